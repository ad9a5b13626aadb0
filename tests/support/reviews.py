"""A practice review of Croydon's in the services, commissioned from a Met Police referral (NHS
Croydon involved), as the casework and API tests of a review's work start from, on 3 November
2026 (``frozen(day)`` moves the day). The fixtures are made available to a folder by its
``conftest.py``."""

import datetime

import pytest

from casework import services
from casework.models import Review
from tests.support.actors import actor
from tests.support.referrals import walk_to_decision
from tests.support.world import inside


@pytest.fixture
def frozen(clock):
    """Today is 3 November 2026 (tests/support/clock.py); ``frozen(day)`` moves it."""
    clock.today(datetime.date(2026, 11, 3))
    return clock.today


@pytest.fixture
def review(world, frozen):
    """A practice review commissioned from a Met Police referral (NHS Croydon involved)."""
    with inside(world.croydon):
        referral = services.referral_create(
            actor=actor(world, "bob"),
            incident_date=datetime.date(2026, 10, 30),
            aware_date=datetime.date(2026, 11, 2),
            harm="died",
            abuse_or_neglect="suspected",
            children=[services.ChildInput("Amara", "Okafor", datetime.date(2024, 6, 1), "female")],
            summary="A toddler died.",
            agencies_involved=["NHS Croydon Health Services"],
        )
        walk_to_decision(
            referral,
            group=actor(world, "dave"),
            manager=actor(world, "alice"),
            notified_on=datetime.date(2026, 11, 2),
            sent_on=datetime.date(2026, 11, 3),
            answered_on=datetime.date(2026, 11, 3),
        )
        services.decision_record(
            actor=actor(world, "carol"),
            referral=referral,
            outcome="lcspr",
            rationale="Learning",
            decided_on=datetime.date(2026, 11, 3),
        )
        return Review.objects.get(referral=referral)


def profile_for(world, affiliations=()):
    """Erin's reviewer profile, saved by alice, with ``affiliations``."""
    with inside(world.croydon):
        return services.reviewer_profile_save(
            actor=actor(world, "alice"),
            user_uuid=world.erin.uuid,
            name="Erin Reviewer",
            organisation="Independent",
            affiliations=list(affiliations),
        )
