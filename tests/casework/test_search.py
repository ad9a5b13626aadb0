"""Searching a partnership's referrals and reviews (issue 14): by reference, a child's name
misspelt, agency and dates; only what the searcher sees; each search in the audit trail with its
terms; a fixed number of queries whatever the number of records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import services
from casework.selectors import SearchTerms, casework_search
from tenants.agencies.models import AuditEvent
from tests.support.actors import actor
from tests.support.isolation import assert_row_only_in
from tests.support.world import inside, make_agency

pytestmark = pytest.mark.django_db

D = datetime.date


def found(world, who, partnership=None, **terms):
    """The references ``who`` finds in ``partnership`` (Croydon unless named)."""
    partnership = partnership or world.croydon
    with inside(partnership):
        result = casework_search(actor=actor(world, who, partnership), terms=SearchTerms(**terms))
    return {r.reference for r in result["referrals"]} | {r.reference for r in result["reviews"]}


def referral_of(world, review) -> str:
    with inside(world.croydon):
        return review.referral.reference


def refer(world, given, family, aware=D(2026, 11, 2), agencies=()):
    with inside(world.croydon):
        return services.referral_create(
            actor=actor(world, "bob"),
            incident_date=aware - datetime.timedelta(days=3),
            aware_date=aware,
            harm="serious_harm",
            abuse_or_neglect="suspected",
            children=[services.ChildInput(given, family, D(2020, 1, 2), "male")],
            summary="Found injured.",
            agencies_involved=list(agencies),
        )


class TestWhatSearchFinds:
    def test_a_misspelt_name_finds_the_referral_and_its_review(self, world, review):
        other = refer(world, "Theodore", "Blackwood")
        expected = {review.reference, referral_of(world, review)}
        assert found(world, "alice", name="Amra Okafo") == expected
        assert found(world, "alice", name="amara okafor") == expected
        assert found(world, "alice", name="Theo Blakwood") == {other.reference}
        assert found(world, "alice", name="Zebedee Grant") == set()

    def test_by_reference_agency_and_dates(self, world, review):
        later = refer(world, "Theodore", "Blackwood", aware=D(2026, 11, 3))
        referral = referral_of(world, review)
        assert found(world, "dave", reference=later.reference) == {later.reference}
        # A review is found by its own reference and by its referral's.
        assert found(world, "dave", reference=referral) == {referral, review.reference}
        nhs, police = world.nhs_croydon.uuid, world.met_croydon.uuid
        assert found(world, "dave", agency_uuid=nhs) == {referral, review.reference}
        # The referring agency is one of the review's agencies too.
        assert found(world, "dave", agency_uuid=police) == {
            referral,
            later.reference,
            review.reference,
        }
        schools = make_agency(world.croydon, "Croydon Schools")
        assert found(world, "dave", agency_uuid=schools.uuid) == set()
        # A referral's date is when the partnership became aware; a review's, its commissioning.
        assert found(world, "dave", date_from=D(2026, 11, 3)) == {later.reference, review.reference}
        assert found(world, "dave", date_to=D(2026, 11, 2)) == {referral}
        assert found(world, "dave", name="Okafor", date_from=D(2026, 11, 3)) == {review.reference}


class TestWhoFindsWhat:
    def test_an_agency_finds_only_its_own_referrals_and_no_review(self, world, review):
        referral = referral_of(world, review)
        assert found(world, "bob", name="Amara Okafor") == {referral}
        # NHS was involved, but did not refer: it finds nothing of the case.
        assert found(world, "frank", name="Amara Okafor") == set()

    def test_a_lead_reviewer_finds_only_reviews_they_are_appointed_to(self, world, review):
        assert found(world, "erin", name="Amara Okafor") == set()

    def test_another_partnership_finds_nothing_of_croydons(self, world, review):
        assert found(world, "charlie", world.lewisham, name="Amara Okafor") == set()
        assert found(world, "charlie", world.lewisham, reference="CRO") == set()
        assert_row_only_in("croydon", "casework_referral", "reference", referral_of(world, review))


class TestTheSearchIsRecorded:
    def test_who_searched_for_which_name(self, world, review):
        found(world, "dave", name="Amra", agency_uuid=world.nhs_croydon.uuid)
        with inside(world.croydon):
            event = AuditEvent.objects.get(action="casework.searched")
        assert event.actor_label == "dave@croydon.example"
        assert event.detail == {
            "name": "Amra",
            "agency_uuid": str(world.nhs_croydon.uuid),
            "referrals": 1,
            "reviews": 1,
        }

    def test_nothing_asked_nothing_searched_or_recorded(self, world, review):
        assert found(world, "dave") == set()
        with inside(world.croydon):
            assert not AuditEvent.objects.filter(action="casework.searched").exists()


def test_the_queries_do_not_grow_with_the_records(world, review):
    def queries() -> int:
        with inside(world.croydon), CaptureQueriesContext(connection) as captured:
            result = casework_search(
                actor=actor(world, "alice"), terms=SearchTerms(name="Okafor", reference="CRO")
            )
            assert result["referrals"] and result["reviews"]
        return len(captured)

    few = queries()
    for number in range(6):
        refer(world, f"Amara{number}", "Okafor", agencies=["NHS Croydon Health Services"])
    assert queries() == few
