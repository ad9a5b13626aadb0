"""Publishing in the services: the public record, documents and the anonymisation gate, the
notice, scheduling and publishing, the daily job, delays, withdrawal, chair's statements, the
briefing, requests for copies, and the copy into the national library — in Croydon, never in
Lewisham, and never a child's real identifier in the public schema."""

import datetime
import hashlib
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from casework.models import Review
from publishing import gate, selectors, services
from publishing.library.models import LibraryRecord
from publishing.library.selectors import library_records_of_partnership
from publishing.models import (
    CopyRequest,
    DocumentKind,
    GateOutcome,
    GateRun,
    GateState,
    Publication,
    PublicationDocument,
    PublicationState,
    PublicDownload,
)
from publishing.services import RecordInput
from publishing.services import documents as document_services
from publishing.services import statements as statement_services
from tenants.agencies.models import AuditEvent
from tenants.clock import today
from tenants.files import StoredFileAltered, UploadedFile
from tests.support.actors import actor, system
from tests.support.documents import encrypted_pdf, pdf, scanned_pdf, word
from tests.support.isolation import assert_row_only_in
from tests.support.publications import (
    BORN,
    CLEAN_REPORT,
    DIRTY_REPORT,
    FAMILY,
    GIVEN,
    notice,
    published,
    refreshed,
    upload,
)
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def frozen(clock):
    """``frozen(day)`` makes ``day`` today for the whole platform (tests/support/clock.py)."""
    return clock.today


class TestStarting:
    def test_a_completed_review_starts_a_draft_drafted_from_the_review(
        self, world, review, run_tasks
    ):
        with inside(world.croydon):
            publication = run_tasks(
                services.publication_create, actor=actor(world, "carol"), review=review
            )
            assert (publication.title, publication.pseudonyms) == ('Child "Joy"', ["Joy"])
            assert publication.state == PublicationState.DRAFT
            assert publication.partnerships == [{"key": "croydon", "name": world.croydon.name}]
            assert publication.review_type == "lcspr"
            assert publication.incident_month == D(2026, 6, 1)
            assert publication.age_bands == ["1_4"]
            run = selectors.latest_run(publication=publication, document=None)
            assert run.outcome == GateOutcome.CLEAR

    def test_only_a_completed_review_can_be_published(self, world, review):
        with inside(world.croydon):
            Review.objects.filter(pk=review.pk).update(stage="drafting")
            review.refresh_from_db()
            with pytest.raises(ValidationError, match="completed"):
                services.publication_create(actor=actor(world, "alice"), review=review)
            assert not Publication.objects.exists()

    @pytest.mark.parametrize("who", ["dave", "erin", "bob", "frank"])
    def test_only_the_business_manager_and_the_chair_start_one(self, world, review, who):
        with inside(world.croydon), pytest.raises(PermissionDenied):
            services.publication_create(actor=actor(world, who), review=review)

    def test_a_review_is_published_once(self, world, review, publication):
        with inside(world.croydon), pytest.raises(ValidationError, match="already"):
            services.publication_create(actor=actor(world, "carol"), review=review)


class TestTheGate:
    def test_a_planted_child_s_name_blocks_the_document_until_a_fixed_version(
        self, world, publication, run_tasks
    ):
        document = upload(world, run_tasks, publication, pdf("Page one.", DIRTY_REPORT))
        with inside(world.croydon):
            run = selectors.latest_run(publication=publication, document=document)
            assert run.outcome == GateOutcome.HITS and run.open_hits == 1
            hit = run.hits.get()
            assert (hit.location, hit.matched, hit.label) == (
                "page 2",
                "Amara Quillfeather",
                "A child's name",
            )
            assert "review found that " in hit.before
            readiness = selectors.publication_readiness(publication=refreshed(publication))
            assert not readiness.ready
            assert any("1 possible identifier" in m for m in readiness.missing)
            assert refreshed(publication).state == PublicationState.DRAFT
        upload(world, run_tasks, publication, pdf("Page one.", CLEAN_REPORT))
        with inside(world.croydon):
            assert refreshed(publication).state == PublicationState.READY

    def test_the_chair_accepts_a_hit_with_a_reason(self, world, publication, run_tasks):
        document = upload(world, run_tasks, publication, pdf("Seen by Quillfeather Street."))
        with inside(world.croydon):
            hit = selectors.latest_run(publication=publication, document=document).hits.get()
            for who in ("alice", "dave"):
                with pytest.raises(PermissionDenied):
                    services.gate_hit_accept(actor=actor(world, who), hit=hit, reason="A street")
            with pytest.raises(ValidationError):
                services.gate_hit_accept(actor=actor(world, "carol"), hit=hit, reason=" ")
            services.gate_hit_accept(
                actor=actor(world, "carol"), hit=hit, reason="A street name, not the family"
            )
            assert refreshed(publication).state == PublicationState.READY
            hit.refresh_from_db()
            assert hit.accepted_by == "carol@croydon.example"

    def test_an_acceptance_carries_to_a_new_version_with_the_same_words(
        self, world, publication, run_tasks
    ):
        first = upload(
            world, run_tasks, publication, pdf("Seen by Quillfeather Street on Monday.\nMore.")
        )
        with inside(world.croydon):
            hit = selectors.latest_run(publication=publication, document=first).hits.get()
            services.gate_hit_accept(actor=actor(world, "carol"), hit=hit, reason="A street")
        second = upload(
            world,
            run_tasks,
            publication,
            pdf("Seen by Quillfeather Street on Monday.\nAnd by Amara."),
        )
        with inside(world.croydon):
            run = selectors.latest_run(publication=publication, document=second)
            assert run.open_hits == 1
            assert run.hits.get(matched="Quillfeather").accepted_reason == "A street"

    def test_the_public_record_is_checked_too(self, world, publication, run_tasks):
        with inside(world.croydon):
            run_tasks(
                services.publication_record_update,
                actor=actor(world, "alice"),
                publication=publication,
                data=RecordInput(
                    title='Child "Joy"', summary=f"{GIVEN} died, born {BORN:%d/%m/%Y}."
                ),
            )
            run = selectors.latest_run(publication=publication, document=None)
            assert sorted(hit.location for hit in run.hits.all()) == ["summary", "summary"]
            readiness = selectors.publication_readiness(publication=refreshed(publication))
            assert "The public record: 2 possible identifiers" in readiness.missing[0]

    def test_identifiers_to_check_are_looked_for(self, world, publication, run_tasks):
        document = upload(world, run_tasks, publication, pdf("Her mother Grace Mensah said."))
        with inside(world.croydon):
            assert selectors.latest_run(publication=publication, document=document).outcome == (
                GateOutcome.CLEAR
            )
            run_tasks(
                services.identifier_add,
                actor=actor(world, "alice"),
                publication=publication,
                kind="person",
                value="Grace Mensah",
            )
            run = selectors.latest_run(publication=publication, document=document)
            assert run.outcome == GateOutcome.HITS
            assert run.hits.get().label.startswith("A person's name")

    def test_a_scan_cannot_pass_and_the_gate_says_so(self, world, publication, run_tasks):
        document = upload(world, run_tasks, publication, scanned_pdf())
        with inside(world.croydon):
            run = selectors.latest_run(publication=publication, document=document)
            assert run.outcome == GateOutcome.UNREADABLE
            assert "page 1: no text can be read on it, by OCR either" in run.message
            missing = selectors.publication_readiness(publication=refreshed(publication)).missing
            assert any("cannot be checked" in m for m in missing)

    def test_a_pdf_longer_than_the_cap_as_the_gate_reads_it_cannot_pass(
        self, world, publication, run_tasks, monkeypatch
    ):
        # Its first page is not a page: pypdf counts one at upload, PDFium two in the gate.
        content = pdf("Page one.", "Page two.").replace(b"/Type /Page ", b"/Type /Pagx ", 1)
        monkeypatch.setattr(document_services, "DOCUMENT_MAX_PAGES", 1)
        document = upload(world, run_tasks, publication, content)
        with inside(world.croydon):
            run = selectors.latest_run(publication=publication, document=document)
            assert run.outcome == GateOutcome.UNREADABLE
            assert run.message == "it has more than 1 pages."

    def test_a_word_document_goes_through_the_gate(self, world, publication, run_tasks):
        document = upload(
            world, run_tasks, publication, word("Intro.", DIRTY_REPORT), name="report.docx"
        )
        with inside(world.croydon):
            run = selectors.latest_run(publication=publication, document=document)
            assert run.hits.get().location == "main text, paragraph 2"

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("report.pdf", b"not a pdf at all", "is not a PDF or Word"),
            ("report.docx", b"%PDF-1.7\n", "is not a PDF or Word"),
            ("report.pdf", b"%PDF-1.7\ngarbage without pages", "cannot be used"),
            ("report.pdf", encrypted_pdf(), "encrypted"),
            ("report.docx", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "password-protected"),
            ("report.pdf", b"", "is empty"),
        ],
    )
    def test_a_bad_document_is_refused_and_nothing_is_saved(
        self, world, publication, run_tasks, name, content, message
    ):
        with inside(world.croydon):
            with pytest.raises(ValidationError, match=message):
                upload(world, run_tasks, publication, content, name=name)
            assert not PublicationDocument.objects.exists()
            assert GateRun.objects.filter(document__isnull=False).count() == 0

    def test_a_document_over_the_cap_is_refused(self, world, publication, run_tasks, monkeypatch):
        monkeypatch.setattr(document_services, "DOCUMENT_MAX_BYTES", 100)
        with inside(world.croydon), pytest.raises(ValidationError, match="larger than 100 bytes"):
            upload(world, run_tasks, publication, pdf("x" * 500))

    def test_the_appointed_lead_reviewer_uploads_a_corrected_report(
        self, world, publication, run_tasks
    ):
        with inside(world.croydon):
            with pytest.raises(PermissionDenied):
                upload(world, run_tasks, publication, pdf(CLEAN_REPORT), who="erin")
            from casework.models import ReviewerAppointment, ReviewerProfile

            profile = ReviewerProfile.objects.create(user_uuid=world.erin.uuid, name="Erin")
            ReviewerAppointment.objects.create(
                review=publication.review,
                profile=profile,
                appointed_on=D(2026, 7, 9),
                appointed_by="test",
            )
            assert upload(world, run_tasks, publication, pdf(CLEAN_REPORT), who="erin")

    def test_the_task_is_safe_to_run_twice(self, world, publication, run_tasks):
        document = upload(world, run_tasks, publication, pdf(DIRTY_REPORT))
        with inside(world.croydon):
            run = selectors.latest_run(publication=publication, document=document)
            again = services.gate_run_execute(run_uuid=str(run.uuid), actor=system(world.croydon))
            assert again.hits.count() == 1 and again.finished_at == run.finished_at

    def test_a_file_that_keeps_stopping_the_worker_is_given_up(
        self, world, publication, run_tasks, monkeypatch
    ):
        document = upload(world, run_tasks, publication, pdf(CLEAN_REPORT))
        with inside(world.croydon):
            run = selectors.latest_run(publication=publication, document=document)
            # As if three workers had died reading it: started, never finished.
            GateRun.objects.filter(pk=run.pk).update(
                state=GateState.RUNNING, outcome=GateOutcome.PENDING, attempts=3
            )
            monkeypatch.setattr(
                gate, "extract_bounded", lambda *a, **k: pytest.fail("read a fourth time")
            )
            given_up = services.gate_run_execute(
                run_uuid=str(run.uuid), actor=system(world.croydon)
            )
            assert (given_up.state, given_up.outcome) == (GateState.DONE, GateOutcome.UNREADABLE)
            assert "stopped the gate 3 times" in given_up.message
            assert given_up.attempts == 4
            assert refreshed(publication).state != "ready"

    def test_a_file_read_past_the_time_limit_cannot_pass(
        self, world, publication, run_tasks, monkeypatch
    ):
        from celery.exceptions import SoftTimeLimitExceeded

        def too_slow(*args, **kwargs):
            raise SoftTimeLimitExceeded()

        monkeypatch.setattr(gate, "extract_bounded", too_slow)
        document = upload(world, run_tasks, publication, pdf(CLEAN_REPORT))
        with inside(world.croydon):
            run = selectors.latest_run(publication=publication, document=document)
            assert (run.state, run.outcome) == (GateState.DONE, GateOutcome.UNREADABLE)
            from publishing.tasks import GATE_SOFT_TIME_LIMIT

            minutes = GATE_SOFT_TIME_LIMIT // 60
            assert f"took more than {minutes} minutes, so it cannot be checked" in run.message

    def test_the_audit_trail_names_no_identifier(self, world, publication, run_tasks):
        upload(world, run_tasks, publication, pdf(DIRTY_REPORT))
        with inside(world.croydon):
            details = json.dumps(list(AuditEvent.objects.values_list("detail", flat=True)))
            assert FAMILY not in details and GIVEN not in details
            assert AuditEvent.objects.filter(action="gate.finished").exists()


class TestPublishing:
    def test_publishing_needs_the_notice_seven_working_days_before(
        self, world, publication, run_tasks, frozen
    ):
        frozen(D(2026, 12, 18))
        upload(world, run_tasks, publication, pdf(CLEAN_REPORT))
        with inside(world.croydon), pytest.raises(ValidationError, match="Secretary of State"):
            services.publication_publish(actor=actor(world, "alice"), publication=publication)
        # Friday 2026-12-18 + 7 working days: Christmas Day and Boxing Day (observed) do not count.
        notice(world, publication, D(2026, 12, 18))
        with inside(world.croydon):
            publication.refresh_from_db()
            assert selectors.earliest_publication_date(publication=publication) == D(2026, 12, 31)
            with pytest.raises(ValidationError, match="2026-12-31"):
                services.publication_schedule(
                    actor=actor(world, "alice"), publication=publication, on=D(2026, 12, 30)
                )
            services.publication_schedule(
                actor=actor(world, "alice"), publication=publication, on=D(2026, 12, 31)
            )
            assert refreshed(publication).state == PublicationState.SCHEDULED

    def test_publishing_with_unresolved_hits_is_refused_with_the_reason(
        self, world, publication, run_tasks
    ):
        upload(world, run_tasks, publication, pdf(DIRTY_REPORT))
        notice(world, publication, today() - datetime.timedelta(days=30))
        with inside(world.croydon):
            with pytest.raises(ValidationError, match="possible identifier"):
                services.publication_publish(
                    actor=actor(world, "alice"), publication=refreshed(publication)
                )
            assert not LibraryRecord.objects.exists()

    def test_publication_copies_only_the_public_record_into_the_library(self, world, ready):
        with inside(world.croydon):
            done = services.publication_publish(actor=actor(world, "alice"), publication=ready)
            assert done.state == PublicationState.PUBLISHED
            assert done.online_until == today().replace(year=today().year + 1)
        assert_row_only_in("public", "library_libraryrecord", "uuid", str(ready.uuid))
        record = LibraryRecord.objects.get(uuid=ready.uuid)
        assert record.title == 'Child "Joy"' and record.partnership_keys == ["croydon"]
        assert record.themes == ["neglect", "information-sharing"]
        assert record.documents[0]["kind"] == "full_report"
        assert record.year == today().year

    def test_no_real_identifier_ever_reaches_a_public_table(self, world, ready):
        published(world, ready)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                cursor.execute(f'SELECT t::text FROM public."{table}" AS t')
                text = " ".join(row[0] for row in cursor.fetchall())
                for secret in (FAMILY, BORN.isoformat(), BORN.strftime("%d/%m/%Y")):
                    assert secret not in text, f"{secret} in public.{table}"

    def test_the_published_file_is_byte_for_byte_the_one_that_passed(self, world, ready):
        published(world, ready)
        with inside(world.croydon):
            document = selectors.public_documents(publication=refreshed(ready))[0]
            _, content = services.public_document_download(
                publication=refreshed(ready), document_uuid=document.uuid
            )
            assert hashlib.sha256(content).hexdigest() == document.sha256
            assert PublicDownload.objects.filter(document=document).count() == 1
            with document.file.open("wb") as handle:
                handle.write(pdf("Amara Quillfeather, tampered with after the gate."))
            with pytest.raises(StoredFileAltered):
                services.public_document_download(
                    publication=refreshed(ready), document_uuid=document.uuid
                )

    def test_a_delay_holds_publication_until_lifted(self, world, ready):
        with inside(world.croydon):
            alice = actor(world, "alice")
            with pytest.raises(ValidationError):
                services.publication_delay(
                    actor=alice, publication=ready, reason="", review_on=None
                )
            services.publication_delay(
                actor=alice,
                publication=ready,
                reason="Parallel criminal proceedings",
                review_on=today() + datetime.timedelta(days=60),
            )
            with pytest.raises(ValidationError, match="delayed"):
                services.publication_publish(actor=alice, publication=refreshed(ready))
            services.publication_delay_lift(actor=alice, publication=refreshed(ready))
            assert services.publication_publish(actor=alice, publication=refreshed(ready))

    def test_not_published_publishes_the_improvements_instead(self, world, ready, run_tasks):
        with inside(world.croydon):
            alice = actor(world, "alice")
            with pytest.raises(ValidationError, match="improvements"):
                services.publication_not_publish(actor=alice, publication=ready, reason="Family")
            run_tasks(
                services.publication_record_update,
                actor=alice,
                publication=ready,
                data=RecordInput(
                    title='Child "Joy"', improvements="Health visitors now share records."
                ),
            )
            services.publication_not_publish(
                actor=alice, publication=refreshed(ready), reason="The family's wishes"
            )
        record = LibraryRecord.objects.get(uuid=ready.uuid)
        assert record.availability == "not_published" and record.documents == []
        assert "Health visitors" in record.improvements

    def test_withdrawal_takes_it_out_of_the_library(self, world, ready):
        published(world, ready)
        with inside(world.croydon):
            with pytest.raises(ValidationError):
                services.publication_withdraw(
                    actor=actor(world, "alice"), publication=refreshed(ready), reason=""
                )
            services.publication_withdraw(
                actor=actor(world, "carol"), publication=refreshed(ready), reason="An error"
            )
            assert not LibraryRecord.objects.filter(uuid=ready.uuid).exists()
            with pytest.raises(PublicationDocument.DoesNotExist):
                services.public_document_download(
                    publication=refreshed(ready),
                    document_uuid=ready.documents.get().uuid,
                )
            services.publication_reopen(actor=actor(world, "alice"), publication=refreshed(ready))
            assert refreshed(ready).state == PublicationState.READY

    def test_a_chair_s_statement_goes_public_once_checked(self, world, ready, run_tasks):
        published(world, ready)
        with inside(world.croydon):
            with pytest.raises(PermissionDenied):
                services.chair_statement_save(
                    actor=actor(world, "alice"),
                    publication=refreshed(ready),
                    chair_name="X",
                    chair_role="Y",
                    text="Z",
                )
            run_tasks(
                services.chair_statement_save,
                actor=actor(world, "carol"),
                publication=refreshed(ready),
                chair_name="Carol Chair",
                chair_role="Independent Chair",
                text="We have learned from Amara's death.",
            )
        assert LibraryRecord.objects.get(uuid=ready.uuid).chair_statements == []
        with inside(world.croydon):
            hit = selectors.latest_run(publication=ready, document=None).hits.get()
            services.gate_hit_accept(
                actor=actor(world, "carol"), hit=hit, reason="Agreed with the family"
            )
        (statement,) = LibraryRecord.objects.get(uuid=ready.uuid).chair_statements
        assert statement["name"] == "Carol Chair"


class TestTheDailyJob:
    def test_it_publishes_what_is_scheduled_and_later_makes_it_available_on_request(
        self, world, ready
    ):
        with inside(world.croydon):
            day = today() + datetime.timedelta(days=3)
            services.publication_schedule(actor=actor(world, "alice"), publication=ready, on=day)
            platform = system(world.croydon)
            assert services.publications_daily(actor=platform, day=day)["published"] == 1
            assert services.publications_daily(actor=platform, day=day)["published"] == 0
            found = refreshed(ready)
            assert found.published_on == day
            assert found.online_until == day.replace(year=day.year + 1)
            later = found.online_until + datetime.timedelta(days=1)
            assert services.publications_daily(actor=platform, day=later)["on_request"] == 1
            assert services.publications_daily(actor=platform, day=later)["on_request"] == 0
            assert refreshed(ready).state == PublicationState.ON_REQUEST
        record = LibraryRecord.objects.get(uuid=ready.uuid)
        assert record.availability == "on_request"

    def test_a_scheduled_publication_that_may_no_longer_go_out_stays_and_tells_managers(
        self, world, ready, run_tasks
    ):
        with inside(world.croydon):
            day = today() + datetime.timedelta(days=3)
            services.publication_schedule(actor=actor(world, "alice"), publication=ready, on=day)
            Publication.objects.filter(pk=ready.pk).update(delay_reason="Trial")
            result = services.publications_daily(actor=system(world.croydon), day=day)
            assert result == {"published": 0, "blocked": 1, "on_request": 0, "delays": 0}
            assert refreshed(ready).state == PublicationState.SCHEDULED
        assert mail.outbox[-1].to == ["alice@croydon.example"]
        assert FAMILY not in mail.outbox[-1].body


class TestCopies:
    @pytest.fixture
    def on_request(self, world, ready):
        published(world, ready)
        with inside(world.croydon):
            later = refreshed(ready).online_until + datetime.timedelta(days=1)
            services.publications_daily(actor=system(world.croydon), day=later)
            return refreshed(ready)

    def ask(self, world, publication, address="203.0.113.9", email="researcher@uni.example"):
        with inside(world.croydon):
            publication = refreshed(publication)
            return services.copy_request_create(
                actor=system(world.croydon),
                publication=publication,
                document_uuid=publication.documents.get(is_public=True).uuid,
                name="Rae Searcher",
                email=email,
                organisation="A University",
                reason="Research on neglect",
                client_address=address,
            )

    def test_a_request_is_approved_and_the_link_works_once(
        self, world, on_request, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = self.ask(world, on_request)
        assert mail.outbox[-1].to == ["alice@croydon.example"]
        with inside(world.croydon):
            with pytest.raises(PermissionDenied):
                services.copy_request_decide(
                    actor=actor(world, "carol"), copy_request=request, approve=True, reason=""
                )
            with django_capture_on_commit_callbacks(execute=True):
                services.copy_request_decide(
                    actor=actor(world, "alice"), copy_request=request, approve=True, reason=""
                )
        email = mail.outbox[-1]
        assert email.to == ["researcher@uni.example"] and 'Child "Joy"' in email.subject
        token = email.body.split("/reviews/copies/")[1].split("/")[0]
        with inside(world.croydon):
            request.refresh_from_db()
            assert request.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
            assert token not in json.dumps(
                list(AuditEvent.objects.values_list("detail", flat=True))
            )
            document, content = services.copy_link_download(
                actor=system(world.croydon), token=token
            )
            assert hashlib.sha256(content).hexdigest() == document.sha256
            with pytest.raises(ValidationError, match="used"):
                services.copy_link_download(actor=system(world.croydon), token=token)
            assert PublicDownload.objects.filter(via="copy_link").count() == 1

    def test_an_expired_link_gives_nothing(
        self, world, on_request, django_capture_on_commit_callbacks
    ):
        request = self.ask(world, on_request)
        with inside(world.croydon), django_capture_on_commit_callbacks(execute=True):
            services.copy_request_decide(
                actor=actor(world, "alice"), copy_request=request, approve=True, reason=""
            )
        token = mail.outbox[-1].body.split("/reviews/copies/")[1].split("/")[0]
        with inside(world.croydon):
            CopyRequest.objects.filter(pk=request.pk).update(
                link_expires_at=request.received_at - datetime.timedelta(seconds=1)
            )
            assert selectors.copy_link_state(token=token).state == "expired"
            with pytest.raises(ValidationError, match="expired"):
                services.copy_link_download(actor=system(world.croydon), token=token)

    def test_a_refusal_needs_a_reason_and_tells_the_requester(
        self, world, on_request, django_capture_on_commit_callbacks
    ):
        request = self.ask(world, on_request)
        with inside(world.croydon):
            with pytest.raises(ValidationError):
                services.copy_request_decide(
                    actor=actor(world, "alice"), copy_request=request, approve=False, reason=""
                )
            with django_capture_on_commit_callbacks(execute=True):
                services.copy_request_decide(
                    actor=actor(world, "alice"),
                    copy_request=request,
                    approve=False,
                    reason="Court order",
                )
        assert "Court order" in mail.outbox[-1].body
        assert "/reviews/copies/" not in mail.outbox[-1].body

    def test_requests_are_only_for_publications_no_longer_online(self, world, ready):
        published(world, ready)
        with pytest.raises(ValidationError, match="online"):
            self.ask(world, ready)

    def test_a_flood_from_one_address_is_throttled(self, world, on_request):
        for n in range(services.REQUESTS_PER_ADDRESS_PER_HOUR):
            self.ask(world, on_request, email=f"person{n}@example.org")
        with pytest.raises(services.CopyRequestThrottled):
            self.ask(world, on_request, email="another@example.org")
        with inside(world.croydon):
            assert CopyRequest.objects.count() == services.REQUESTS_PER_ADDRESS_PER_HOUR
        # Another address, the same email: three a day.
        for n in range(services.REQUESTS_PER_EMAIL_PER_DAY):
            self.ask(world, on_request, address=f"198.51.100.{n}", email="same@example.org")
        with pytest.raises(services.CopyRequestThrottled):
            self.ask(world, on_request, address="198.51.100.99", email="same@example.org")

    def test_bad_requests_name_each_field(self, world, on_request):
        with inside(world.croydon), pytest.raises(ValidationError) as error:
            services.copy_request_create(
                actor=system(world.croydon),
                publication=on_request,
                document_uuid="not-a-uuid",
                name="",
                email="nope",
                organisation="",
                reason="",
                client_address="203.0.113.1",
            )
        assert set(error.value.message_dict) == {"document", "name", "email", "reason"}


class TestBriefing:
    def test_the_briefing_is_edited_then_made_into_one_page_that_goes_through_the_gate(
        self, world, publication, run_tasks
    ):
        with inside(world.croydon):
            alice = actor(world, "alice")
            services.briefing_save(
                actor=alice,
                publication=publication,
                sections={"background": "A toddler died.", "learning": "Share what you know."},
            )
            document = run_tasks(services.briefing_generate, actor=alice, publication=publication)
            assert document.kind == DocumentKind.BRIEFING_NOTE and document.pages == 1
            assert document.generated
            run = selectors.latest_run(publication=publication, document=document)
            assert run.outcome == GateOutcome.CLEAR

    def test_a_briefing_longer_than_a_page_is_refused(self, world, publication, monkeypatch):
        with inside(world.croydon):
            alice = actor(world, "alice")
            monkeypatch.setattr(statement_services, "BRIEFING_SECTION_LIMIT", 10_000)
            services.briefing_save(
                actor=alice,
                publication=publication,
                sections={name: "Long text. " * 250 for name in services.BRIEFING_SECTIONS},
            )
            with pytest.raises(ValidationError, match="shorten"):
                services.briefing_generate(actor=alice, publication=publication)
            assert not PublicationDocument.objects.exists()

    def test_each_section_is_limited(self, world, publication):
        with inside(world.croydon), pytest.raises(ValidationError, match="900"):
            services.briefing_save(
                actor=actor(world, "alice"),
                publication=publication,
                sections={"background": "x" * 901},
            )


class TestJointAndIsolation:
    def test_a_joint_publication_is_listed_for_every_partnership(self, world, run_tasks):
        with inside(world.croydon):
            platform = system(world.croydon)
            joint = run_tasks(
                services.publication_enter_directly,
                actor=platform,
                title="Children R, S and W",
                review_type="serious_case_review",
                published_on=D(2017, 1, 24),
                partnerships=[
                    {"key": "croydon", "name": "x"},
                    {"key": "lewisham", "name": "y"},
                ],
            )
            run_tasks(
                services.document_upload,
                actor=platform,
                publication=joint,
                kind="full_report",
                upload=UploadedFile("r.pdf", pdf(CLEAN_REPORT)),
            )
            services.publication_record_as_published(
                actor=platform, publication=refreshed(joint), online=True
            )
        for key in ("croydon", "lewisham"):
            assert [e.title for e in library_records_of_partnership(key=key)] == [
                "Children R, S and W"
            ]
        record = LibraryRecord.objects.get(uuid=joint.uuid)
        assert [p["name"] for p in record.partnerships] == [world.croydon.name, world.lewisham.name]

    def test_only_the_platform_names_other_partnerships(self, world):
        with inside(world.croydon), pytest.raises(PermissionDenied):
            services.publication_enter_directly(
                actor=actor(world, "alice"),
                title="X",
                review_type="serious_case_review",
                published_on=D(2010, 1, 1),
                partnerships=[{"key": "croydon"}, {"key": "lewisham"}],
            )

    def test_another_partnership_cannot_reach_the_publication(self, world, publication):
        assert_row_only_in("croydon", "publishing_publication", "uuid", str(publication.uuid))
        with inside(world.lewisham):
            with pytest.raises(Http404):
                selectors.access_publication(
                    actor=actor(world, "charlie", world.lewisham),
                    publication_uuid=publication.uuid,
                )
            assert selectors.public_publication(publication_uuid=publication.uuid) is None

    @pytest.mark.parametrize("who", ["bob", "frank", "erin"])
    def test_agencies_and_unappointed_reviewers_do_not_see_it(self, world, publication, who):
        with inside(world.croydon), pytest.raises(Http404):
            selectors.access_publication(actor=actor(world, who), publication_uuid=publication.uuid)

    def test_the_gate_task_refuses_to_run_without_a_partnership(self, world, publication):
        from publishing.tasks import gate_run_task
        from safeguard.celery import PartnershipMissing

        connection.set_schema_to_public()
        with pytest.raises(PartnershipMissing):
            gate_run_task.apply(args=[str(publication.uuid)], throw=True)


def test_publishing_stops_the_review_s_publication_clock(world, ready):
    from casework.models import Clock

    with inside(world.croydon):
        clock = Clock.objects.get(referral=ready.review.referral, name="publication")
        assert clock.stopped_on is None
    published(world, ready)
    with inside(world.croydon):
        clock.refresh_from_db()
        assert clock.stopped_on == today()
        services.publication_withdraw(
            actor=actor(world, "alice"), publication=refreshed(ready), reason="A mistake"
        )
        clock.refresh_from_db()
        assert clock.stopped_on is None


def test_the_daily_job_reminds_managers_of_a_delay_due_for_review(world, ready):
    with inside(world.croydon):
        review_on = today() + datetime.timedelta(days=30)
        services.publication_delay(
            actor=actor(world, "alice"),
            publication=ready,
            reason="Parallel criminal proceedings",
            review_on=review_on,
        )
        platform = system(world.croydon)
        assert (
            services.publications_daily(actor=platform, day=review_on - datetime.timedelta(days=1))[
                "delays"
            ]
            == 0
        )
        assert services.publications_daily(actor=platform, day=review_on)["delays"] == 1
    assert mail.outbox[-1].subject == "A delayed publication is due for review"
    assert "criminal" not in mail.outbox[-1].body and FAMILY not in mail.outbox[-1].body
