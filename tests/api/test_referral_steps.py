"""The agency API and the referral's rules and steps: the rules by date (a regime not in force
is a 400 naming the field), and where a referral is and whom it waits for."""

import datetime

import pytest

from casework import services
from casework.models import Referral
from tests.support.actors import actor_of
from tests.support.clients import problem
from tests.support.referral_api import URL, body, child, post
from tests.support.referrals import walk_to_decision
from tests.support.world import inside

pytestmark = pytest.mark.django_db

HISTORIC = {
    "incident_date": "2016-01-20",
    "aware_date": "2016-01-25",
    "children": [child(date_of_birth="2013-02-01")],
}


def test_the_rules_follow_the_awareness_date(world, frozen_today, met):
    response = post(met, body(**HISTORIC))
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["regime"] == "scr2015"
    assert [clock["source"] for clock in answer["clocks"]] == [
        "Working Together to Safeguard Children 2015, ch. 4"
    ]


@pytest.mark.parametrize(
    ("regime", "message"),
    [
        ("wt2023", "rules were not in force on 2016-01-25"),
        ("nonsense", "Unknown rules 'nonsense'"),
    ],
)
def test_rules_not_in_force_are_a_400_naming_the_field(world, frozen_today, met, regime, message):
    response = post(met, body(regime=regime, **HISTORIC))
    assert response.status_code == 400
    errors = problem(response)["errors"]
    assert [error["name"] for error in errors] == ["regime"]
    assert message in errors[0]["reason"]
    with inside(world.croydon):
        assert not Referral.objects.exists()


def test_an_agency_cannot_choose_the_transitions_other_rules(world, frozen_today, met):
    response = post(
        met,
        body(
            regime="scr2015",
            incident_date="2019-09-27",
            aware_date="2019-09-29",
            children=[child(date_of_birth="2013-02-01")],
        ),
    )
    assert response.status_code == 400
    [error] = problem(response)["errors"]
    assert error["name"] == "regime" and "only the business manager" in error["reason"]


def test_the_referral_says_where_it_is_and_whom_it_waits_for(world, frozen_today, met):
    reference = post(met, body(working_together_concern=True)).json()["reference"]
    listed = met.get(URL).json()["results"][0]
    assert (listed["step"], listed["waiting_for"]) == ("Awaiting screening", "The review group")
    with inside(world.croydon):
        referral = Referral.objects.get(reference=reference)
        assert referral.working_together_concern is True
        walk_to_decision(
            referral,
            group=actor_of(world.dave, world.croydon),
            manager=actor_of(world.alice, world.croydon),
            notified_on=referral.aware_date,
            sent_on=referral.aware_date,
            answered_on=referral.aware_date + datetime.timedelta(days=1),
        )
    answer = met.get(f"{URL}{reference}/").json()
    assert answer["step"] == "Awaiting the chair's decision"
    assert answer["waiting_for"] == "The independent chair"
    assert answer["panel_response"] == {"kind": "agrees", "responded_on": "2026-11-03"}
    assert answer["decision"] is None
    with inside(world.croydon):
        services.decision_record(
            actor=actor_of(world.carol, world.croydon),
            referral=Referral.objects.get(reference=reference),
            outcome="no_review",
            rationale="Single-agency learning is enough.",
            decided_on=datetime.date(2026, 11, 3),
            panel_told_on=datetime.date(2026, 11, 3),
            ofsted_told_on=datetime.date(2026, 11, 3),
            department_told_on=datetime.date(2026, 11, 3),
        )
    answer = met.get(f"{URL}{reference}/").json()
    assert answer["decision"] == {
        "outcome": "no_review",
        "decided_on": "2026-11-03",
        "before_the_panel_answered": False,
        "communicated": True,
    }
    assert (answer["step"], answer["waiting_for"]) == ("Decision communicated", "Nobody")
