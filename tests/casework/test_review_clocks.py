"""A review's own clocks (its type's, casework/processes.py): planned from its dates, real rows
of the review alone, stopped on their event, reminded like a referral's; the publication clock
only on the review types the guidance requires to publish."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from casework import selectors, services
from casework.models import Clock, Reminder
from casework.processes import REVIEW_TYPES, plan_review_clocks
from tenants.actors import actor_for_platform
from tenants.agencies.models import AuditEvent
from tests.support.actors import actor
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date


def names(review_type: str, events: dict) -> set[str]:
    return {plan.name for plan in plan_review_clocks(review_type, events)}


class TestPlans:
    def test_only_the_types_required_to_publish_have_the_publication_clock(self):
        commissioned = {"commissioned": D(2026, 8, 31)}
        for required in ("lcspr", "serious_case_review", "thematic"):
            assert "publication" in names(required, commissioned), required
        for local in ("learning_review", "near_miss", "single_agency"):
            assert names(local, commissioned) == set(), local
        assert names("dardr", commissioned) == {"home_office_submission"}
        assert names("sar", commissioned) == {"local_completion_target"}

    def test_six_months_from_the_decision_to_review_each_citing_its_guidance(self):
        lcspr = plan_review_clocks("lcspr", {"commissioned": D(2026, 8, 31)})[0]
        assert lcspr.due == D(2027, 2, 28) and lcspr.stopped_on is None
        assert "Working Together to Safeguard Children 2018, ch. 4, and 2023, ch. 5" in (
            lcspr.source
        )
        scr = plan_review_clocks("serious_case_review", {"commissioned": D(2016, 2, 29)})[0]
        assert scr.due == D(2016, 8, 29)
        assert scr.source == "Working Together to Safeguard Children 2015, ch. 4"

    def test_lengths_not_confirmed_are_marked_and_configurable(self, settings):
        for review_type in REVIEW_TYPES.values():
            for rule in review_type.clocks:
                assert rule.source and len(rule.source) <= 200
                if getattr(rule, "setting", ""):
                    assert "unverified" in rule.source, rule.name
        sar = REVIEW_TYPES["sar"].clocks[0]
        assert sar.source.startswith("Local policy, configurable")
        assert "s. 44 sets no timescale" in sar.source
        settings.REVIEW_CLOCK_LENGTHS = {**settings.REVIEW_CLOCK_LENGTHS, "sar.completion": 9}
        plan = plan_review_clocks("sar", {"commissioned": D(2026, 1, 15)})[0]
        assert (plan.length, plan.due) == (9, D(2026, 10, 15))

    def test_a_clock_stops_on_its_own_event(self):
        events = {
            "commissioned": D(2026, 1, 15),
            "published": D(2026, 3, 2),
            "home_office_sent": D(2026, 5, 1),
        }
        assert plan_review_clocks("dardr", events)[0].stopped_on == D(2026, 5, 1)
        assert plan_review_clocks("lcspr", events)[0].stopped_on == D(2026, 3, 2)
        assert plan_review_clocks("sar", events)[0].stopped_on is None  # not completed

    def test_not_publishing_starts_the_reasons_clock_in_working_days(self):
        # Friday 18 December 2026 + 7 working days: Christmas and Boxing Day (observed 28th).
        events = {"commissioned": D(2026, 6, 1), "not_publish_decided": D(2026, 12, 18)}
        plans = {p.name: p for p in plan_review_clocks("lcspr", events)}
        assert plans["not_publish_reasons"].due == D(2026, 12, 31)
        events["not_publish_reasons_sent"] = D(2026, 12, 22)
        plans = {p.name: p for p in plan_review_clocks("lcspr", events)}
        assert plans["not_publish_reasons"].stopped_on == D(2026, 12, 22)


class TestReviewClockRows:
    def test_a_decision_commissions_the_review_with_its_own_clock(self, world, review):
        with inside(world.croydon):
            clock = Clock.objects.get(review=review)
            assert clock.referral is None and clock.name == "publication"
            assert (clock.counted_from, clock.due) == (D(2026, 11, 3), D(2027, 5, 3))
            assert not review.referral.clocks.filter(name="publication").exists()

    def test_a_thematic_dardr_and_sar_have_their_clocks(self, world, frozen):
        alice = actor(world, "alice")
        with inside(world.croydon):
            made = {
                kind: services.thematic_review_commission(
                    actor=alice, title=f"A {kind}", commissioned_on=D(2026, 9, 1), review_type=kind
                )
                for kind in ("thematic", "dardr", "sar", "learning_review")
            }
            assert [c.name for c in made["thematic"].clocks.all()] == ["publication"]
            assert [c.name for c in made["dardr"].clocks.all()] == ["home_office_submission"]
            assert [c.name for c in made["sar"].clocks.all()] == ["local_completion_target"]
            assert made["dardr"].clocks.get().due == D(2027, 3, 1)
            assert not made["learning_review"].clocks.exists()

    def test_the_home_office_submission_stops_the_dardr_clock_audited(self, world, frozen):
        alice = actor(world, "alice")
        with inside(world.croydon):
            dardr = services.thematic_review_commission(
                actor=alice, title="DARDR", commissioned_on=D(2026, 9, 1), review_type="dardr"
            )
            with pytest.raises(ValidationError, match="cannot be in the future"):
                services.home_office_submission_record(
                    actor=alice, review=dardr, sent_on=D(2026, 11, 4)
                )
            with pytest.raises(ValidationError, match="cannot be before 2026-09-01"):
                services.home_office_submission_record(
                    actor=alice, review=dardr, sent_on=D(2026, 8, 31)
                )
            with pytest.raises(ValidationError, match="Enter the date"):
                services.home_office_submission_record(actor=alice, review=dardr, sent_on=None)
            assert dardr.clocks.get().stopped_on is None  # nothing half-saved
            with pytest.raises(PermissionDenied):
                services.home_office_submission_record(
                    actor=actor(world, "dave"), review=dardr, sent_on=D(2026, 11, 2)
                )
            services.home_office_submission_record(
                actor=alice, review=dardr, sent_on=D(2026, 11, 2)
            )
            assert dardr.clocks.get().stopped_on == D(2026, 11, 2)
            event = AuditEvent.objects.filter(action="review.home_office_sent").get()
            assert event.object_ref == dardr.reference
            assert event.detail == {"sent_on": "2026-11-02", "replaces": None}
            # A corrected date moves the stopped clock with it (a review's clocks follow their
            # recorded dates; a referral's stop once).
            services.home_office_submission_record(
                actor=alice, review=dardr, sent_on=D(2026, 10, 30)
            )
            assert dardr.clocks.get().stopped_on == D(2026, 10, 30)

    def test_only_a_dardr_goes_to_the_home_office(self, world, review):
        with inside(world.croydon), pytest.raises(ValidationError, match="Home Office"):
            services.home_office_submission_record(
                actor=actor(world, "alice"), review=review, sent_on=D(2026, 11, 3)
            )

    def test_a_sar_completed_stops_its_local_target(self, world, frozen):
        alice = actor(world, "alice")
        with inside(world.croydon):
            sar = services.thematic_review_commission(
                actor=alice, title="SAR", commissioned_on=D(2026, 9, 1), review_type="sar"
            )
            sar.completed_on = D(2026, 11, 3)
            sar.save(update_fields=["completed_on"])
            services.review_clocks_sync(review=sar)
            assert sar.clocks.get().stopped_on == D(2026, 11, 3)


class TestBoardAndReminders:
    def test_review_clocks_show_on_the_board_with_their_source(self, world, frozen):
        alice = actor(world, "alice")
        with inside(world.croydon):
            dardr = services.thematic_review_commission(
                actor=alice, title="DARDR", commissioned_on=D(2026, 9, 1), review_type="dardr"
            )
            board = selectors.clock_board(actor=actor(world, "dave"))
            later = [c for c in board["later"] if c.review_id == dardr.pk]
            assert [c.subject_reference for c in later] == [dardr.reference]
            assert "unverified" in later[0].source
            # Not the agency's: a review's clocks are for the review group.
            assert selectors.open_clocks(actor=actor(world, "bob")) == []

    def test_an_overdue_review_clock_reminds_its_managers_once_a_day(self, world, frozen):
        alice = actor(world, "alice")
        with inside(world.croydon):
            dardr = services.thematic_review_commission(
                actor=alice, title="DARDR", commissioned_on=D(2026, 4, 1), review_type="dardr"
            )
            system = actor_for_platform(partnership=world.croydon, label="reminders")
            services.clock_reminders_send(actor=system, day=D(2026, 11, 3))
            services.clock_reminders_send(actor=system, day=D(2026, 11, 3))
            reminders = Reminder.objects.filter(clock__review=dardr)
            assert [(r.kind, r.sent_on) for r in reminders] == [("overdue", D(2026, 11, 3))]
            sent = [m for m in mail.outbox if dardr.reference in m.subject]
            assert len(sent) == 1 and "for review " + dardr.reference in sent[0].body
            assert f"/case-reviews/{dardr.reference}/" in sent[0].body
            assert set(sent[0].to) == {"alice@croydon.example", "carol@croydon.example"}
            services.home_office_submission_record(
                actor=alice, review=dardr, sent_on=D(2026, 11, 3)
            )
            services.clock_reminders_send(actor=system, day=D(2026, 11, 4))
            assert reminders.count() == 1  # a stopped clock never reminds
