"""Random step sequences through the services (Hypothesis): whatever order people try the steps
in, and whichever the services refuse, the process keeps its invariants (issue 12, item 3):

- no decision without a rapid review sent to the Panel (2018 and 2023 rules), unless the
  referral was screened as not notifiable; none before the Panel answered without the chair's
  written reason;
- each clock stops once: a stopped clock keeps its date, whatever follows;
- a stopped clock never reminds.
"""

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import services
from casework.models import Clock, Referral, Reminder
from tenants.actors import actor_for_platform
from tests.support.actors import actor
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date
AWARE = {"scr2015": D(2017, 3, 6), "csprr2018": D(2021, 3, 1), "wt2023": D(2026, 11, 2)}


def _steps(world):
    """Each step as people would try it, on a referral, with its awareness date as every date."""

    def day(referral):
        return referral.aware_date

    def screen(referral, met):
        return services.screening_record(
            actor=actor(world, "dave"),
            referral=referral,
            view_met=met,
            rationale="Seen.",
            override_reason="The group's reading of the facts.",
        )

    def decide(referral, outcome, reason=""):
        return services.decision_record(
            actor=actor(world, "carol"),
            referral=referral,
            outcome=outcome,
            rationale="Learning.",
            decided_on=day(referral),
            exception_reason=reason,
        )

    def answer(referral, kind):
        return services.panel_response_record(
            actor=actor(world, "dave"),
            referral=referral,
            kind=kind,
            response="More about the school's part.",
            responded_on=day(referral),
        )

    return {
        "screen_met": lambda r: screen(r, True),
        "screen_not_met": lambda r: screen(r, False),
        "notify": lambda r: services.panel_notification_record(
            actor=actor(world, "alice"), referral=r, submitted_on=day(r), panel_reference="P"
        ),
        "start": lambda r: services.rapid_review_start(
            actor=actor(world, "dave"), referral=r, agencies=[]
        ),
        "write": lambda r: services.rapid_review_update(
            actor=actor(world, "dave"),
            referral=r,
            immediate_actions="a",
            potential_improvements="b",
            racism_inequality_disability="c",
            recommended_next_step="no_review",
        ),
        "send": lambda r: services.rapid_review_send(
            actor=actor(world, "alice"), referral=r, sent_on=day(r)
        ),
        "answer": lambda r: answer(r, "agrees"),
        "ask_more": lambda r: answer(r, "more_information"),
        "decide_review": lambda r: decide(r, "learning_review"),
        "decide_none": lambda r: decide(r, "no_review"),
        "decide_early": lambda r: decide(r, "no_review", "The family asked us not to wait."),
        "tell": lambda r: services.decision_notices_record(
            actor=actor(world, "alice"),
            referral=r,
            family_informed_on=None,
            family_informed_how="",
            panel_told_on=day(r),
            ofsted_told_on=day(r),
            department_told_on=day(r),
        ),
    }


STEP_NAMES = sorted(_steps(None))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    regime=st.sampled_from(sorted(AWARE)),
    sequence=st.lists(st.sampled_from(STEP_NAMES), min_size=1, max_size=14),
)
def test_random_steps_keep_the_invariants(world, clock, regime, sequence):
    clock.today(D(2026, 11, 20))
    steps = _steps(world)
    with inside(world.croydon):
        referral = services.referral_create(
            actor=actor(world, "bob"),
            incident_date=AWARE[regime] - datetime.timedelta(days=3),
            aware_date=AWARE[regime],
            harm="died",
            abuse_or_neglect="suspected",
            children=[services.ChildInput("Amara", "Okafor", D(2012, 6, 1), "female")],
            summary="Found at home.",
        )
        system = actor_for_platform(partnership=world.croydon, label="reminders")
        stopped: dict[str, D] = {}
        for index, name in enumerate(sequence):
            # A refused step is fine: the invariants must hold all the same.
            with contextlib.suppress(ValidationError):
                steps[name](Referral.objects.get(pk=referral.pk))
            fresh = Referral.objects.select_related("rapid_review", "decision", "screening").get(
                pk=referral.pk
            )
            _check_the_decision(fresh)
            clocks = list(Clock.objects.filter(referral=fresh))
            for clock_row in clocks:
                if clock_row.name in stopped:
                    assert clock_row.stopped_on == stopped[clock_row.name], clock_row.name
                elif clock_row.stopped_on is not None:
                    stopped[clock_row.name] = clock_row.stopped_on
            stopped_ids = {c.pk for c in clocks if c.stopped_on is not None}
            before = set(Reminder.objects.values_list("pk", flat=True))
            services.clock_reminders_send(
                actor=system, day=AWARE[regime] + datetime.timedelta(days=60 + index)
            )
            new = Reminder.objects.exclude(pk__in=before)
            assert not new.filter(clock_id__in=stopped_ids).exists()


def _check_the_decision(referral: Referral) -> None:
    decision = getattr(referral, "decision", None)
    if decision is None:
        return
    screening = getattr(referral, "screening", None)
    not_notifiable = screening is not None and not screening.view_met
    if referral.regime == "scr2015" or not_notifiable:
        return
    rapid_review = referral.rapid_review
    assert rapid_review.sent_to_panel_on is not None
    if not decision.exception_reason:
        assert rapid_review.panel_response_kind in ("agrees", "disagrees", "national_review")
