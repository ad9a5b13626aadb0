"""The pre-publication notice's dates are real (not before the report was uploaded, not in the
future, changed only with a reason, audited) and the earliest publication date follows from
them; deciding not to publish sends its reasons to the Panel and the Secretary of State, on a
review clock (publishing/services/notices.py)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework.models import Clock
from publishing import selectors, services
from publishing.models import PublicationState
from publishing.services import RecordInput
from tenants.agencies.models import AuditEvent
from tests.support.actors import actor
from tests.support.documents import pdf
from tests.support.publications import CLEAN_REPORT, notice, refreshed, upload
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def frozen(clock):
    return clock.today


def record_notice(world, publication, who="alice", change_reason="", **days):
    with inside(world.croydon):
        return services.notice_record(
            actor=actor(world, who),
            publication=refreshed(publication),
            panel_sent_on=days.get("panel"),
            secretary_of_state_sent_on=days.get("sos"),
            ofsted_sent_on=days.get("ofsted"),
            change_reason=change_reason,
        )


class TestNoticeDates:
    def test_not_before_the_report_was_uploaded_nor_in_the_future(
        self, world, publication, run_tasks, frozen
    ):
        frozen(D(2027, 3, 25))
        with pytest.raises(ValidationError, match="Upload the report before"):
            record_notice(world, publication, panel=D(2027, 3, 25))
        upload(world, run_tasks, publication, pdf(CLEAN_REPORT), on=D(2027, 3, 22))
        with inside(world.croydon):
            assert selectors.publication_ready_on(publication=publication) == D(2027, 3, 22)
        with pytest.raises(ValidationError) as error:
            record_notice(
                world, publication, panel=D(2027, 3, 19), sos=D(2027, 3, 26), ofsted=D(2027, 3, 22)
            )
        assert error.value.message_dict == {
            "panel_sent_on": [
                "The date cannot be before 2027-03-22, the day the report was uploaded."
            ],
            "secretary_of_state_sent_on": ["The date it was sent cannot be in the future."],
        }
        with inside(world.croydon):
            assert refreshed(publication).ofsted_sent_on is None  # nothing half-saved

    def test_the_earliest_date_is_seven_working_days_after_the_last_across_easter(
        self, world, publication, run_tasks, frozen
    ):
        frozen(D(2027, 3, 25))
        upload(world, run_tasks, publication, pdf(CLEAN_REPORT), on=D(2027, 3, 22))
        # Thursday 25 March 2027; Good Friday (26th) and Easter Monday (29th) do not count.
        record_notice(
            world, publication, panel=D(2027, 3, 23), sos=D(2027, 3, 25), ofsted=D(2027, 3, 24)
        )
        with inside(world.croydon):
            earliest = selectors.earliest_publication_date(publication=refreshed(publication))
        assert earliest == D(2027, 4, 7)

    def test_changing_a_date_needs_a_reason_and_moves_the_earliest_date(
        self, world, publication, run_tasks, frozen
    ):
        frozen(D(2026, 12, 18))
        upload(world, run_tasks, publication, pdf(CLEAN_REPORT), on=D(2026, 12, 14))
        notice(world, publication, D(2026, 12, 15))
        with inside(world.croydon):
            services.publication_schedule(
                actor=actor(world, "alice"), publication=refreshed(publication), on=D(2026, 12, 29)
            )
        days = {"panel": D(2026, 12, 15), "sos": D(2026, 12, 18), "ofsted": D(2026, 12, 15)}
        with pytest.raises(ValidationError, match="Say why a date already recorded"):
            record_notice(world, publication, **days)
        record_notice(world, publication, change_reason="The DfE copy bounced.", **days)
        with inside(world.croydon):
            found = refreshed(publication)
            # Friday 18 December 2026 + 7 working days, over Christmas: 31 December.
            assert selectors.earliest_publication_date(publication=found) == D(2026, 12, 31)
            # The schedule (29th) no longer follows from the real dates: it is taken off.
            assert found.state == PublicationState.READY and found.scheduled_for is None
            change = AuditEvent.objects.get(action="publication.notice_changed")
            assert change.detail == {
                "changes": {
                    "secretary_of_state_sent_on": {"before": "2026-12-15", "after": "2026-12-18"}
                },
                "reason": "The DfE copy bounced.",
            }

    def test_only_the_partnership_s_leads_record_it(self, world, publication, run_tasks, frozen):
        frozen(D(2026, 12, 18))
        upload(world, run_tasks, publication, pdf(CLEAN_REPORT), on=D(2026, 12, 14))
        for who in ("dave", "erin", "bob"):
            with pytest.raises(PermissionDenied):
                record_notice(world, publication, who=who, panel=D(2026, 12, 15))
        record_notice(world, publication, who="carol", panel=D(2026, 12, 15))


def not_publish(world, publication, run_tasks):
    alice = actor(world, "alice")
    with inside(world.croydon):
        run_tasks(
            services.publication_record_update,
            actor=alice,
            publication=refreshed(publication),
            data=RecordInput(title='Child "Joy"', improvements="Health visitors now share."),
        )
        return services.publication_not_publish(
            actor=alice, publication=refreshed(publication), reason="The family's wishes"
        )


def reasons_sent(world, publication, who="alice", **days):
    with inside(world.croydon):
        return services.not_publish_reasons_sent_record(
            actor=actor(world, who),
            publication=refreshed(publication),
            panel_sent_on=days.get("panel"),
            secretary_of_state_sent_on=days.get("sos"),
            change_reason=days.get("reason", ""),
        )


class TestNotPublishing:
    def test_the_decision_starts_a_clock_that_the_reasons_sent_stop(
        self, world, ready, run_tasks, frozen
    ):
        frozen(D(2026, 12, 18))
        with pytest.raises(ValidationError, match="only after deciding not to publish"):
            reasons_sent(world, ready, panel=D(2026, 12, 18), sos=D(2026, 12, 18))
        decided = not_publish(world, ready, run_tasks)
        assert decided.not_published_on == D(2026, 12, 18)
        with inside(world.croydon):
            clock = Clock.objects.get(review=ready.review, name="not_publish_reasons")
            # Friday 18 December 2026 + 7 working days (unverified, configurable).
            assert (clock.due, clock.stopped_on) == (D(2026, 12, 31), None)
            assert "unverified" in clock.source
            # The report's publication clock stops: the improvements are published instead.
            assert ready.review.clocks.get(name="publication").stopped_on == D(2026, 12, 18)
        frozen(D(2026, 12, 22))
        reasons_sent(world, ready, panel=D(2026, 12, 21), sos=D(2026, 12, 22))
        with inside(world.croydon):
            clock.refresh_from_db()
            assert clock.stopped_on == D(2026, 12, 22)
            found = refreshed(ready)
            assert found.reasons_sent_by == "alice@croydon.example"
            event = AuditEvent.objects.get(action="publication.not_published_reasons_sent")
            assert event.detail["reasons_secretary_of_state_sent_on"] == "2026-12-22"

    def test_each_refusal_names_the_date(self, world, ready, run_tasks, frozen):
        frozen(D(2026, 12, 18))
        not_publish(world, ready, run_tasks)
        with pytest.raises(ValidationError) as error:
            reasons_sent(world, ready, panel=D(2026, 12, 17))
        assert error.value.message_dict == {
            "reasons_secretary_of_state_sent_on": ["Enter the date the reasons were sent."]
        }
        with pytest.raises(ValidationError) as error:
            reasons_sent(world, ready, panel=D(2026, 12, 17), sos=D(2026, 12, 19))
        assert error.value.message_dict == {
            "reasons_panel_sent_on": [
                "The date cannot be before 2026-12-18, the day it was decided not to publish."
            ],
            "reasons_secretary_of_state_sent_on": ["The date it was sent cannot be in the future."],
        }
        reasons_sent(world, ready, panel=D(2026, 12, 18), sos=D(2026, 12, 18))
        frozen(D(2026, 12, 22))
        with pytest.raises(ValidationError, match="Say why"):
            reasons_sent(world, ready, panel=D(2026, 12, 18), sos=D(2026, 12, 21))

    def test_only_the_partnership_s_leads_record_the_reasons(self, world, ready, run_tasks, frozen):
        frozen(D(2026, 12, 18))
        not_publish(world, ready, run_tasks)
        for who in ("dave", "erin", "bob", "frank"):
            with pytest.raises(PermissionDenied):
                reasons_sent(world, ready, who=who, panel=D(2026, 12, 18), sos=D(2026, 12, 18))
        reasons_sent(world, ready, who="carol", panel=D(2026, 12, 18), sos=D(2026, 12, 18))
