"""The chair answering a near match in the browser: a lead reviewer declared "Sutton Police
Service" in free text on a review involving Sutton Police; the independence check warns, the
chair confirms their independence with a reason and appoints them, and the reason is shown on
the review. Every page is checked with axe."""

import datetime

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from casework import services as review_services
from tenants.actors import actor_for_member
from tenants.agencies.models import Agency
from tenants.clock import today
from tenants.models import Membership, Role, User
from tests.browser.conftest import check_accessibility, enter_code, sign_in
from tests.support.clients import totp_code
from tests.support.world import inside, make_member

CHAIR = "chair.independence@sutton.example"
REVIEWER = ("rhea.reviewer@sutton.example", "Rhea Reviewer")
REASON = "A civilian analyst role, never in child protection; no contact with the case."


@pytest.fixture(scope="module")
def near_match(browser_world, django_db_blocker):
    """A thematic review in Sutton involving Sutton Police; Rhea declared "Sutton Police
    Service" (free text, 2016 to now); the chair, with an authenticator."""
    sutton = browser_world.sutton
    with django_db_blocker.unblock():
        chair = make_member(sutton, CHAIR, Role.CHAIR)
        reviewer = make_member(sutton, REVIEWER[0], Role.LEAD_REVIEWER)
        User.objects.filter(pk=reviewer.pk).update(full_name=REVIEWER[1])
        membership = Membership.objects.select_related("user", "partnership").get(
            user=chair, partnership=sutton
        )
        with inside(sutton):
            actor = actor_for_member(membership=membership)
            police = Agency.objects.get(name=browser_world.sutton_agency_name)
            review = review_services.thematic_review_commission(
                actor=actor,
                title="Exploitation outside the home: thematic review",
                commissioned_on=today() - datetime.timedelta(days=3),
                agencies=[police],
            )
            review_services.reviewer_profile_save(
                actor=actor,
                user_uuid=reviewer.uuid,
                name=REVIEWER[1],
                organisation="Independent",
                affiliations=[
                    review_services.AffiliationInput(
                        "Sutton Police Service", datetime.date(2016, 1, 1)
                    )
                ],
            )
            reference = review.reference
        device = TOTPDevice.objects.get(user=chair, confirmed=True)
    yield reference, reviewer, device
    with django_db_blocker.unblock():
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        emails = [CHAIR, REVIEWER[0]]
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__in=emails).delete()
        User.objects.filter(email__in=emails).delete()


def test_the_chair_confirms_independence_after_a_near_match(page, browser_world, near_match):
    reference, reviewer, device = near_match
    sign_in(page, browser_world.url("sutton"), CHAIR)
    enter_code(page, totp_code(device))
    page.goto(browser_world.url("sutton", f"/case-reviews/{reference}/?reviewer={reviewer.uuid}"))
    reviewers = page.locator("#reviewers")
    warning = reviewers.locator("#near-matches")
    expect(warning).to_contain_text("declared 'Sutton Police Service'")
    expect(warning).to_contain_text(f"close to {browser_world.sutton_agency_name} on this case")
    check_accessibility(page, "review: a near match to answer")

    button = reviewers.get_by_role("button", name="Confirm their independence and appoint")
    button.click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The chair must confirm their independence"
    )
    check_accessibility(page, "review: a near match not answered")

    reviewers = page.locator("#reviewers")
    reviewers.get_by_label("Why they are independent despite the near match").fill(REASON)
    reviewers.get_by_role("button", name="Confirm their independence and appoint").click()
    appointments = page.locator("#appointments")
    expect(appointments).to_contain_text(REVIEWER[1])
    expect(appointments).to_contain_text("Independence confirmed")
    expect(appointments).to_contain_text(REASON)
    check_accessibility(page, "review: independence confirmed")
