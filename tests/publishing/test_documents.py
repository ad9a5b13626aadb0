"""A publication's documents and the anonymisation gate in the services: a planted name blocks a
document until a fixed version, the chair accepts a hit with a reason (carried to a new version
with the same words), the public record and the identifiers to check are looked for, scans and
files too long or too slow cannot pass, bad documents are refused, and the audit trail names no
identifier."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from publishing import gate, selectors, services
from publishing.models import GateOutcome, GateRun, GateState, PublicationDocument, PublicationState
from publishing.services import RecordInput
from publishing.services import documents as document_services
from tenants.agencies.models import AuditEvent
from tests.support.actors import actor, system
from tests.support.documents import encrypted_pdf, pdf, scanned_pdf, word
from tests.support.publications import (
    BORN,
    CLEAN_REPORT,
    DIRTY_REPORT,
    FAMILY,
    GIVEN,
    refreshed,
    upload,
)
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date


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
