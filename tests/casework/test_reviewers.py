"""Lead reviewers in the services: independent of the agencies involved (a conflict blocks the
appointment, an old affiliation does not), and who sees a review, from their appointment on."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from casework import selectors, services
from casework.services import AffiliationInput
from tenants.actors import actor_for_member
from tenants.models import Membership, Role
from tests.support.actors import actor
from tests.support.reviews import profile_for
from tests.support.world import inside, make_member

pytestmark = pytest.mark.django_db

D = datetime.date


class TestIndependence:
    def test_an_independent_reviewer_is_appointed(self, world, review):
        profile = profile_for(world, [AffiliationInput("Kent County Council", D(2015, 1, 1))])
        with inside(world.croydon):
            appointment = services.reviewer_appoint(
                actor=actor(world, "alice"), review=review, profile=profile
            )
        assert appointment.conflicts == [] and appointment.override_reason == ""

    @pytest.mark.parametrize(
        "organisation",
        ["NHS Croydon Health Services", "met police", "Croydon Safeguarding Children Partnership"],
    )
    def test_a_conflict_blocks_the_appointment(self, world, review, organisation):
        profile = profile_for(
            world, [AffiliationInput(organisation, D(2019, 4, 1), D(2023, 3, 31))]
        )
        with inside(world.croydon):
            with pytest.raises(ValidationError) as error:
                services.reviewer_appoint(
                    actor=actor(world, "alice"), review=review, profile=profile
                )
            assert "worked for" in str(error.value)
            with pytest.raises(PermissionDenied):
                services.reviewer_appoint(
                    actor=actor(world, "alice"),
                    review=review,
                    profile=profile,
                    override_reason="No one else",
                )
            assert not review.appointments.exists()
            appointment = services.reviewer_appoint(
                actor=actor(world, "carol"),
                review=review,
                profile=profile,
                override_reason="Left four years ago; no contact with the case",
            )
        assert appointment.conflicts and appointment.override_by == "carol@croydon.example"

    def test_an_old_affiliation_is_no_conflict(self, world, review):
        profile = profile_for(world, [AffiliationInput("Met Police", D(1995, 1, 1), D(2010, 1, 1))])
        with inside(world.croydon):
            services.reviewer_appoint(actor=actor(world, "alice"), review=review, profile=profile)

    def test_only_lead_reviewers_can_have_a_profile(self, world):
        with inside(world.croydon), pytest.raises(ValidationError):
            services.reviewer_profile_save(
                actor=actor(world, "alice"),
                user_uuid=world.dave.uuid,
                name="Dave",
                organisation="",
                affiliations=[],
            )


class TestWhoSeesAReview:
    def test_a_reviewer_sees_only_their_reviews_from_their_appointment(self, world, review, frozen):
        profile = profile_for(world)
        erin = actor(world, "erin")
        with inside(world.croydon):
            with pytest.raises(Http404):
                selectors.access_review(actor=erin, reference=review.reference)
            services.reviewer_appoint(
                actor=actor(world, "alice"),
                review=review,
                profile=profile,
                appointed_on=D(2026, 11, 10),
            )
            with pytest.raises(Http404):
                selectors.access_review(actor=erin, reference=review.reference)
            frozen(D(2026, 11, 10))
            assert selectors.access_review(actor=erin, reference=review.reference) == review
            assert list(selectors.review_list(actor=erin)) == [review]
            for who in ("bob", "frank"):
                with pytest.raises(Http404):
                    selectors.access_review(actor=actor(world, who), reference=review.reference)

    def test_another_reviewer_not_appointed_sees_nothing(self, world, review):
        other = make_member(world.croydon, "other.reviewer@reviews.example", Role.LEAD_REVIEWER)
        membership = Membership.objects.get(user=other, partnership=world.croydon)
        with inside(world.croydon), pytest.raises(Http404):
            selectors.access_review(
                actor=actor_for_member(membership=membership), reference=review.reference
            )
