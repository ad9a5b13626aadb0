"""The referral's state machine through the services (casework/steps.py): the happy path under
each regime, every refused step with its message, the chair's exception, and the clocks a
closed referral stops once."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from casework import services
from casework.models import Referral, Review
from casework.regimes import REGIMES
from casework.steps import TRANSITIONS
from tenants.actors import actor_for_platform
from tenants.agencies.models import AuditEvent
from tests.support.actors import actor
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date
AWARE = {"scr2015": D(2017, 3, 6), "csprr2018": D(2021, 3, 1), "wt2023": D(2026, 11, 2)}


@pytest.fixture(autouse=True)
def frozen(clock):
    clock.today(D(2026, 11, 20))


def refer(world, regime="wt2023", **overrides):
    aware = AWARE[regime]
    values = dict(
        incident_date=aware - datetime.timedelta(days=3),
        aware_date=aware,
        harm="died",
        abuse_or_neglect="suspected",
        children=[services.ChildInput("Amara", "Okafor", D(2012, 6, 1), "female")],
        summary="Found at home.",
    )
    values.update(overrides)
    return services.referral_create(actor=actor(world, "bob"), **values)


def screen(world, referral, met=True, **extra):
    return services.screening_record(
        actor=actor(world, "dave"), referral=referral, view_met=met, rationale="Seen.", **extra
    )


def notify(world, referral, day=None):
    return services.panel_notification_record(
        actor=actor(world, "alice"),
        referral=referral,
        submitted_on=day or referral.aware_date,
        panel_reference="P-1",
    )


def start(world, referral):
    return services.rapid_review_start(actor=actor(world, "dave"), referral=referral, agencies=[])


def start_and_send(world, referral, day=None):
    start(world, referral)
    services.rapid_review_update(
        actor=actor(world, "dave"),
        referral=referral,
        immediate_actions="a",
        potential_improvements="b",
        racism_inequality_disability="c",
        recommended_next_step="lcspr",
    )
    services.rapid_review_send(
        actor=actor(world, "alice"), referral=referral, sent_on=day or referral.aware_date
    )


def answer(world, referral, kind="agrees", response=""):
    return services.panel_response_record(
        actor=actor(world, "dave"),
        referral=referral,
        kind=kind,
        response=response,
        responded_on=referral.aware_date,
    )


def decide(world, referral, outcome="lcspr", **extra):
    return services.decision_record(
        actor=actor(world, "carol"),
        referral=referral,
        outcome=outcome,
        rationale="Learning.",
        decided_on=referral.aware_date,
        **extra,
    )


def refused(function, *args, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as error:
        function(*args, **kwargs)
    return error.value.messages


def told(world, referral, department=True):
    day = referral.decision.decided_on
    return services.decision_notices_record(
        actor=actor(world, "alice"),
        referral=referral,
        family_informed_on=None,
        family_informed_how="",
        panel_told_on=day,
        ofsted_told_on=day,
        department_told_on=day if department else None,
    )


class TestTheHappyPath:
    @pytest.mark.parametrize("regime", ["csprr2018", "wt2023"])
    def test_from_referral_to_the_decision_communicated(self, world, regime):
        with inside(world.croydon):
            referral = refer(world, regime)
            for step in (screen, notify, start_and_send, answer, decide):
                step(world, referral)
            assert referral.status == "decided"
            clock = referral.clocks.get(name="decision_notice")
            assert clock.stopped_on is None and "(length unverified)" in clock.source
            told(world, referral, department=False)
            assert Referral.objects.get(pk=referral.pk).status == "decided"  # the Department
            told(world, referral)
            referral.refresh_from_db()
            assert referral.status == "decision_notified"
            assert referral.clocks.get(name="decision_notice").stopped_on == referral.aware_date
            assert AuditEvent.objects.filter(action="decision.communicated").count() == 1

    def test_a_2015_scr_decision_creates_a_serious_case_review(self, world):
        with inside(world.croydon):
            referral = refer(world, "scr2015")
            screen(world, referral)
            notify(world, referral)
            # No rapid review under the 2015 rules: the decision follows the notification.
            decide(world, referral, outcome="serious_case_review")
            review = Review.objects.get(referral=referral)
            assert review.review_type == "serious_case_review"
            told(world, referral, department=False)  # the Department is not named in 2015
            referral.refresh_from_db()
            assert referral.status == "decision_notified"
            assert "scr_decision" in {c.name for c in referral.clocks.all()}
            # The publication clock is the serious case review's own, not the referral's.
            assert "publication" not in {c.name for c in referral.clocks.all()}
            assert review.clocks.filter(name="publication", referral=None).exists()

    def test_not_notifiable_stops_the_clocks_and_may_still_lead_to_a_learning_review(self, world):
        with inside(world.croydon):
            referral = refer(world, abuse_or_neglect="not_suspected")
            screen(world, referral, met=False)
            clock = referral.clocks.get(name="panel_notification")
            assert clock.stopped_on == D(2026, 11, 20)
            assert clock.stopped_because == "Screened as not notifiable"
            assert refused(decide, world, referral, outcome="lcspr") == ["Choose the decision."]
            decide(world, referral, outcome="learning_review")
            assert Review.objects.get(referral=referral).review_type == "learning_review"
            assert referral.clocks.get(name="panel_notification").stopped_on == D(2026, 11, 20)
            system = actor_for_platform(partnership=world.croydon, label="reminders")
            assert services.clock_reminders_send(actor=system, day=D(2026, 12, 20)) == 0

    def test_no_review_stops_open_clocks_but_not_the_secretary_of_states(self, world):
        with inside(world.croydon):
            referral = refer(
                world,
                abuse_or_neglect="not_suspected",
                children=[
                    services.ChildInput("A", "B", D(2012, 6, 1), "female", looked_after=True)
                ],
            )
            screen(world, referral, met=False)
            decide(world, referral, outcome="no_review")
            clocks = {c.name: c for c in referral.clocks.all()}
            assert clocks["panel_notification"].stopped_on is not None
            assert clocks["sos_ofsted_notification"].stopped_on is None


class TestRefusedSteps:
    def test_every_step_out_of_order_names_what_comes_first(self, world):
        with inside(world.croydon):
            referral = refer(world)
            assert refused(notify, world, referral) == [
                "Recording the notification must wait: first record the screening."
            ]
            assert refused(decide, world, referral) == [
                "Recording the decision must wait: first record the screening."
            ]
            screen(world, referral)
            assert refused(start, world, referral) == [
                "Starting the rapid review must wait: first record the notification to the "
                "Child Safeguarding Practice Review Panel."
            ]
            notify(world, referral)
            assert refused(screen, world, referral) == [
                "Recording the screening: that step is past; the referral is at “Notified”."
            ]
            assert refused(
                services.rapid_review_send,
                actor=actor(world, "alice"),
                referral=referral,
                sent_on=referral.aware_date,
            ) == ["Sending the rapid review to the Panel must wait: first start the rapid review."]
            assert refused(answer, world, referral) == [
                "Recording the Panel's response must wait: first start the rapid review."
            ]
            start(world, referral)
            assert refused(decide, world, referral) == [
                "Recording the decision must wait: first send the rapid review to the Panel."
            ]
            assert refused(
                services.decision_notices_record,
                actor=actor(world, "alice"),
                referral=referral,
                family_informed_on=None,
                family_informed_how="",
                panel_told_on=None,
                ofsted_told_on=None,
            ) == ["No decision has been recorded yet."]

    def test_the_panels_response_is_one_of_its_answers_and_nothing_is_half_saved(self, world):
        with inside(world.croydon):
            referral = refer(world)
            for step in (screen, notify, start_and_send):
                step(world, referral)
            assert refused(answer, world, referral, kind="maybe") == ["Choose what the Panel said."]
            fresh = Referral.objects.select_related("rapid_review").get(pk=referral.pk)
            assert fresh.status == "sent_to_panel" and fresh.rapid_review.panel_response_kind == ""

    def test_a_step_done_is_not_done_again(self, world):
        with inside(world.croydon):
            referral = refer(world)
            for step in (screen, notify, start_and_send):
                step(world, referral)
            assert refused(start, world, referral) == [
                "Starting the rapid review: that step is past; the referral is at “Sent to the "
                "Panel”."
            ]
            answer(world, referral)
            assert refused(answer, world, referral, kind="more_information", response="More.") == [
                "Recording the Panel's response: that step is past; the referral is at “The "
                "Panel has answered”."
            ]
            decide(world, referral)
            assert refused(answer, world, referral) == [
                "Recording the Panel's response: that step is past; the referral is at “Decided”."
            ]

    def test_of_two_people_taking_a_step_at_once_the_second_is_refused(self, world):
        with inside(world.croydon):
            referral = refer(world)
            stale = Referral.objects.get(pk=referral.pk)  # the other person's page
            screen(world, referral)
            assert refused(screen, world, stale, met=False, override_reason="No.") == [
                "The referral has moved on meanwhile: reload the page to see it."
            ]
            fresh = Referral.objects.select_related("screening").get(pk=referral.pk)
            assert fresh.status == "screened" and fresh.screening.view_met is True

    def test_a_referral_not_notifiable_is_not_notified(self, world):
        with inside(world.croydon):
            referral = refer(world, abuse_or_neglect="not_suspected")
            screen(world, referral, met=False)
            assert refused(notify, world, referral) == [
                "Recording the notification: the referral was screened as not notifiable, so "
                "this step does not apply."
            ]

    def test_the_2015_rules_have_no_rapid_review(self, world):
        with inside(world.croydon):
            referral = refer(world, "scr2015")
            screen(world, referral)
            notify(world, referral)
            assert refused(start, world, referral) == [
                "Starting the rapid review: the Serious case review (Working Together 2015) "
                "rules have no such step."
            ]
            assert refused(decide, world, referral, outcome="lcspr") == ["Choose the decision."]

    def test_a_national_review_is_the_panels_not_the_chairs(self, world):
        with inside(world.croydon):
            referral = refer(world)
            for step in (screen, notify, start_and_send):
                step(world, referral)
            answer(world, referral)
            assert refused(decide, world, referral, outcome="national_review") == [
                "A national review is the Panel's decision: record its response saying it will "
                "commission one."
            ]
            answer(world, referral, kind="national_review")
            decide(world, referral, outcome="national_review")
            assert not Review.objects.exists()

    def test_deciding_before_the_panel_answers_needs_the_chairs_reason(self, world):
        with inside(world.croydon):
            referral = refer(world)
            for step in (screen, notify, start_and_send):
                step(world, referral)
            answer(world, referral, kind="more_information", response="The school's account.")
            assert Referral.objects.get(pk=referral.pk).status == "sent_to_panel"
            assert refused(decide, world, referral) == [
                "The Panel has not answered yet: record its response first, or give the reason "
                "for deciding before it answers."
            ]
            assert refused(answer, world, referral, kind="more_information") == [
                "Record what more the Panel asked for."
            ]
            decision = decide(world, referral, exception_reason="The family asked us not to wait.")
            recorded = AuditEvent.objects.get(action="decision.recorded")
        assert decision.exception_reason == "The family asked us not to wait."
        assert recorded.detail["before_the_panel_answered"] is True


def test_every_transition_cites_a_source_and_names_its_regimes():
    for transition in TRANSITIONS:
        assert transition.source and transition.regimes
        assert transition.label.startswith(("Recording", "Starting", "Sending"))


def test_existing_referrals_get_the_step_their_records_show(world):
    migration = importlib.import_module("casework.migrations.0007_referral_steps_from_records")
    with inside(world.croydon):
        notified, sent, closed = refer(world), refer(world), refer(world)
        for referral in (notified, sent):
            screen(world, referral)
            notify(world, referral)
        start_and_send(world, sent)
        screen(world, closed, met=False, override_reason="An accident.")
        # As the code before the steps left them.
        Referral.objects.filter(pk__in=[notified.pk, closed.pk]).update(status="screened")
        Referral.objects.filter(pk=sent.pk).update(status="rapid_review")
        migration.derive_steps(apps, None)
        steps = dict(Referral.objects.values_list("pk", "status"))
    assert steps[notified.pk] == "notified"
    assert steps[sent.pk] == "sent_to_panel"
    assert steps[closed.pk] == "not_notifiable"


def test_each_transition_cites_the_regimes_own_guidance():
    decide_rows = [t for t in TRANSITIONS if t.action == "decide"]
    cited = {t.cited(REGIMES[key]) for t in decide_rows for key in t.regimes}
    assert any("2023, ch. 5" in text for text in cited)
    assert any("2018, ch. 4" in text for text in cited)
    assert all("{guidance}" not in text for text in cited)
