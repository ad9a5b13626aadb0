"""Reviewer independence against the agencies register: aliases match exactly (a conflict, as
before), an affiliation may be chosen from the register, free text is matched fuzzily (a near
match is a warning the chair answers with a reason, audited); the register keeps each alias to
one agency."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework import services
from casework.models import Affiliation, ReviewerProfile
from casework.services import CONFIRM_HINT, AffiliationInput
from tenants.agencies import services as agency_services
from tenants.agencies.models import AuditEvent
from tests.support.actors import actor
from tests.support.reviews import profile_for
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date
MET_ALIASES = ["Metropolitan Police Service", "Metropolitan Police", "MPS"]


@pytest.fixture
def register(world):
    """Croydon's register knows the Met Police's other names."""
    with inside(world.croydon):
        met = world.met_croydon
        agency_services.agency_update(
            actor=actor(world, "alice"),
            agency=met,
            name=met.name,
            kind=met.kind,
            is_active=True,
            aliases=MET_ALIASES,
        )
    return world


def check(world, review, *affiliations):
    profile = profile_for(world, affiliations)
    with inside(world.croydon):
        return profile, services.independence_check(review=review, profile=profile)


class TestThroughTheRegister:
    def test_metropolitan_police_service_2015_to_now_is_not_independent_of_met_police(
        self, register, review
    ):
        _, found = check(
            register, review, AffiliationInput("Metropolitan Police Service", D(2015, 1, 1))
        )
        assert found.conflicts == [
            "Erin Reviewer worked for Met Police (2015-01-01 to now), declared as 'Metropolitan "
            "Police Service', an agency involved in the case."
        ]
        assert found.warnings == []

    @pytest.mark.parametrize("declared", ["MPS", "metropolitan police", "Met. Police"])
    def test_every_alias_matches_exactly(self, register, review, declared):
        _, found = check(register, review, AffiliationInput(declared, D(2020, 1, 1)))
        assert len(found.conflicts) == 1 and "Met Police" in found.conflicts[0]

    def test_an_affiliation_chosen_from_the_register_matches(self, register, review):
        chosen = AffiliationInput("", D(2016, 1, 1), agency_uuid=str(register.met_croydon.uuid))
        profile, found = check(register, review, chosen)
        assert found.conflicts and found.conflicts[0].startswith("Erin Reviewer worked for Met")
        with inside(register.croydon):
            affiliation = Affiliation.objects.get(profile=profile)
            assert (affiliation.agency, affiliation.organisation) == (
                register.met_croydon,
                "Met Police",
            )

    def test_an_agency_not_in_the_register_is_refused_and_nothing_saved(self, world, review):
        with inside(world.croydon), pytest.raises(ValidationError) as error:
            services.reviewer_profile_save(
                actor=actor(world, "alice"),
                user_uuid=world.erin.uuid,
                name="Erin Reviewer",
                organisation="Independent",
                affiliations=[
                    AffiliationInput("", D(2016, 1, 1), agency_uuid=str(world.met_lewisham.uuid))
                ],
            )
        assert error.value.message_dict == {
            "affiliations.0.agency": ["Choose an agency from the register."]
        }
        with inside(world.croydon):
            assert not ReviewerProfile.objects.exists()

    def test_an_old_affiliation_through_an_alias_is_no_conflict(self, register, review):
        _, found = check(register, review, AffiliationInput("MPS", D(1995, 1, 1), D(2010, 1, 1)))
        assert found.conflicts == [] and found.warnings == []


class TestNearMatches:
    def test_free_text_close_to_an_agency_is_a_warning_the_chair_answers(self, world, review):
        # Without the register's aliases, the text as typed is only near "Met Police"'s trust.
        declared = AffiliationInput("Croydon Health Services NHS", D(2018, 1, 1))
        profile, found = check(world, review, declared)
        assert found.conflicts == []
        assert found.warnings == [
            "Erin Reviewer declared 'Croydon Health Services NHS' (2018-01-01 to now), which is "
            "close to NHS Croydon Health Services on this case (100% alike): the chair must "
            "confirm their independence."
        ]
        with inside(world.croydon):
            with pytest.raises(ValidationError) as error:
                services.reviewer_appoint(
                    actor=actor(world, "carol"), review=review, profile=profile
                )
            assert error.value.message_dict == {"independence": [*found.warnings, CONFIRM_HINT]}
            for who in ("alice", "dave"):
                with pytest.raises(PermissionDenied):
                    services.reviewer_appoint(
                        actor=actor(world, who),
                        review=review,
                        profile=profile,
                        independence_reason="A different trust",
                    )
            assert not review.appointments.exists()
            appointment = services.reviewer_appoint(
                actor=actor(world, "carol"),
                review=review,
                profile=profile,
                independence_reason="A community service, never the hospital.",
            )
            assert appointment.warnings == found.warnings
            assert appointment.independence_confirmed_by == "carol@croydon.example"
            event = AuditEvent.objects.get(action="reviewer.independence_confirmed")
            assert event.detail == {
                "reviewer": "Erin Reviewer",
                "warnings": 1,
                "reason": "A community service, never the hospital.",
            }

    def test_the_text_with_its_dates_typed_in_is_not_independent_either(self, register, review):
        # The "Metropolitan Police Service, 2015-now" typed as the organisation.
        _, found = check(
            register,
            review,
            AffiliationInput("Metropolitan Police Service, 2015–now", D(2015, 1, 1)),
        )
        assert found.conflicts == [] and len(found.warnings) == 1
        assert "close to Met Police" in found.warnings[0]

    def test_an_unrelated_organisation_is_neither(self, register, review):
        _, found = check(
            register,
            review,
            AffiliationInput("Kent County Council", D(2015, 1, 1)),
            AffiliationInput("Croydon Council", D(2015, 1, 1)),
        )
        assert (found.conflicts, found.warnings) == ([], [])


class TestRegister:
    def test_an_alias_names_one_agency(self, register):
        with inside(register.croydon):
            with pytest.raises(ValidationError) as error:
                agency_services.agency_create(
                    actor=actor(register, "alice"), name="Met Police Lewisham", aliases=["mps"]
                )
            assert error.value.message_dict == {
                "aliases": ["'mps' is already a name of Met Police."]
            }
            made = agency_services.agency_create(
                actor=actor(register, "alice"),
                name="Croydon Health Services NHS Trust",
                aliases=["  CHS  NHS ", "Croydon Health Services NHS Trust"],
            )
            assert made.aliases == ["CHS NHS"]
            event = AuditEvent.objects.filter(action="agency.created").first()
            assert event.detail["aliases"] == ["CHS NHS"]
            with pytest.raises(PermissionDenied):
                agency_services.agency_create(
                    actor=actor(register, "carol"), name="Another", aliases=["Other"]
                )
