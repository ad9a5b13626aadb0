"""The search page (issue 14, item 2): a misspelt name finds the case, each person finds only
what they see, bad dates are explained, and the search is recorded."""

import pytest

from tenants.agencies.models import AuditEvent
from tests.support.clients import signed_in_client
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def search(world, who: str, query: str, partnership=None):
    client = signed_in_client(getattr(world, who), partnership or world.croydon)
    return client.get(f"/search/?{query}")


def test_a_misspelt_name_finds_the_referral_and_the_review(world, review):
    with inside(world.croydon):
        referral = review.referral.reference
    page = search(world, "dave", "name=Amra+Okafr").content.decode()
    assert f'href="/referrals/{referral}/"' in page
    assert f'href="/case-reviews/{review.reference}/"' in page
    assert "Referrals (1)" in page and "Reviews (1)" in page
    with inside(world.croydon):
        event = AuditEvent.objects.get(action="casework.searched")
    assert event.detail["name"] == "Amra Okafr"


def test_an_agency_finds_its_referrals_and_never_a_review(world, review):
    page = search(world, "bob", "name=Amara+Okafor").content.decode()
    assert "Referrals (1)" in page and "Reviews (0)" in page
    page = search(world, "frank", "name=Amara+Okafor").content.decode()
    assert "Referrals (0)" in page and "Okafor</td>" not in page


def test_another_partnership_finds_nothing_and_the_blank_form_records_nothing(world, review):
    with inside(world.croydon):
        referral = review.referral.reference
    page = search(world, "charlie", "reference=CRO", world.lewisham).content.decode()
    assert referral not in page and review.reference not in page and "Referrals (0)" in page
    assert "Referrals (" not in search(world, "dave", "").content.decode()
    with inside(world.croydon):
        assert not AuditEvent.objects.filter(action="casework.searched").exists()


def test_dates_that_cannot_be_read_or_run_backwards_are_explained(world, review):
    page = search(world, "dave", "date_from=2026-13-01").content.decode()
    assert "Enter the first date as year-month-day" in page
    page = search(world, "dave", "date_from=2026-11-05&date_to=2026-11-01").content.decode()
    assert "The last date must be on or after the first date." in page
    assert "govuk-error-summary" in page and "Referrals (" not in page


def test_the_review_list_filters_by_type_progress_agency_and_dates(world, review):
    def listed(query: str) -> bool:
        page = signed_in_client(world.carol, world.croydon).get(f"/case-reviews/?{query}")
        return f'href="/case-reviews/{review.reference}/"' in page.content.decode()

    assert listed("review_type=lcspr&completed=open")
    assert not listed("review_type=thematic") and not listed("completed=completed")
    assert listed(f"agency={world.nhs_croydon.uuid}")
    assert listed("date_from=2026-11-03&date_to=2026-11-03")
    assert not listed("date_from=2026-11-04")
    with inside(world.croydon):
        event = AuditEvent.objects.filter(action="reviews.listed").latest("id")
    assert event.detail == {"count": 0, "date_from": "2026-11-04"}
