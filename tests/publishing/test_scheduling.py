"""Publishing in the services: the notice seven working days before, unresolved hits refused,
only the public record copied into the national library and never a child's real identifier in
a public table, the published file the one that passed, delays, the improvements published
instead, withdrawal, chair's statements, and the daily job that publishes, makes available on
request and reminds."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from publishing import selectors, services
from publishing.library.models import LibraryRecord
from publishing.models import Publication, PublicationDocument, PublicationState, PublicDownload
from publishing.services import RecordInput
from tenants.agencies.models import AuditEvent
from tenants.clock import today
from tenants.files import StoredFileAltered
from tests.support.actors import actor, system
from tests.support.documents import pdf
from tests.support.isolation import assert_row_only_in
from tests.support.publications import (
    BORN,
    CLEAN_REPORT,
    DIRTY_REPORT,
    FAMILY,
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
        upload(
            world,
            run_tasks,
            publication,
            pdf(DIRTY_REPORT),
            on=today() - datetime.timedelta(days=31),
        )
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


def test_publishing_stops_the_review_s_publication_clock(world, ready):
    from casework.models import Clock

    with inside(world.croydon):
        clock = Clock.objects.get(review=ready.review, referral=None, name="publication")
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
        # The row is the reminder; its email is the hand-off's (tests/publishing/test_handoffs.py).
        assert (
            AuditEvent.objects.filter(
                action="publication.delay_review_due", object_ref=str(ready.uuid)
            ).count()
            == 1
        )
