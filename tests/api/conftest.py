"""The API tests' starting points: Met Police's system in Croydon on 3 November 2026, a
referral whose rapid review asks NHS Croydon for its contribution (the referral contract:
tests/support/referral_api.py), and a practice review of Croydon's (tests/support/reviews.py)."""

import datetime

import pytest

from casework.models import Referral
from casework.services import panel_notification_record, rapid_review_start, screening_record
from tests.support.actors import actor_of
from tests.support.clients import api_client, issue_key
from tests.support.referral_api import CONTRACT_BODY, post
from tests.support.reviews import frozen, review  # noqa: F401 - fixtures for tests/api/
from tests.support.world import inside


@pytest.fixture
def frozen_today(clock):
    """Today in England is 3 November 2026 for the whole platform (tests/support/clock.py);
    ``frozen_today(day)`` moves it."""
    clock.today(datetime.date(2026, 11, 3))
    return clock.today


@pytest.fixture
def met(world):
    """An API client for Met Police's system in Croydon."""
    return api_client(world.croydon, issue_key(world.croydon, world.met_croydon))


@pytest.fixture
def rapid_review(world, frozen_today, met):
    """A Met referral whose rapid review asks NHS Croydon (not Met) for its contribution."""
    reference = post(met, CONTRACT_BODY).json()["reference"]
    with inside(world.croydon):
        referral = Referral.objects.get(reference=reference)
        screening_record(
            actor=actor_of(world.dave, world.croydon),
            referral=referral,
            view_met=True,
            rationale="The criteria are met.",
        )
        panel_notification_record(
            actor=actor_of(world.alice, world.croydon),
            referral=referral,
            submitted_on=referral.aware_date,
            panel_reference="CSPRP-T-3",
        )
        rapid_review_start(
            actor=actor_of(world.dave, world.croydon),
            referral=referral,
            agencies=[world.nhs_croydon],
        )
    return reference
