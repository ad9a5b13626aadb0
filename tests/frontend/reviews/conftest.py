"""A practice review of Croydon's from a Met Police referral (NHS Croydon involved), decided
yesterday, as the review pages' tests start from; and the same with Erin appointed
(tests/support/review_pages.py makes the rest)."""

import datetime

import pytest

from casework import services as referral_services
from casework import services as review_services
from casework.models import Review
from casework.services import AffiliationInput
from tests.support.actors import actor
from tests.support.referrals import walk_to_decision
from tests.support.review_pages import TITLE_MARKER, days, erin_profile
from tests.support.world import inside


@pytest.fixture
def review(world) -> Review:
    """A practice review from a Met Police referral (NHS Croydon involved), decided yesterday."""
    with inside(world.croydon):
        referral = referral_services.referral_create(
            actor=actor(world, "bob"),
            incident_date=days(-10),
            aware_date=days(-5),
            harm="died",
            abuse_or_neglect="suspected",
            children=[
                referral_services.ChildInput(
                    "Amara", TITLE_MARKER, datetime.date(2024, 6, 1), "female"
                )
            ],
            summary="A toddler died.",
            agencies_involved=["NHS Croydon Health Services"],
        )
        walk_to_decision(
            referral,
            group=actor(world, "dave"),
            manager=actor(world, "alice"),
            notified_on=days(-4),
            sent_on=days(-3),
            answered_on=days(-2),
        )
        referral_services.decision_record(
            actor=actor(world, "carol"),
            referral=referral,
            outcome="lcspr",
            rationale="Learning for every agency.",
            decided_on=days(-1),
        )
        return Review.objects.get(referral=referral)


@pytest.fixture
def appointed(world, review) -> Review:
    """Erin, independent, appointed to the review today."""
    profile = erin_profile(
        world, [AffiliationInput("Kent County Council", datetime.date(2015, 1, 1))]
    )
    with inside(world.croydon):
        review_services.reviewer_appoint(
            actor=actor(world, "alice"), review=review, profile=profile
        )
    return review
