"""A referral's journey in the browser: an agency refers (a child's name holding a script, shown
as text), the business manager screens it, records the Panel notification, runs the rapid review
and records the Panel's answer with htmx, and the chair decides to review and records who was
told. The page says at each step whom the referral waits for. Every page is checked with axe."""

import datetime
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from casework.models import Referral, Review
from tenants.clock import today
from tenants.models import Role, User
from tests.browser.conftest import (
    check_accessibility,
    enter_code,
    fill_date,
    sign_in,
    sign_out,
)
from tests.support.clients import totp_code
from tests.support.world import inside, make_agency, make_member

HOSTILE_GIVEN_NAME = "<script>window.__pwned=1</script>Mia"
FAMILY_NAME = "Hostile"
CHAIR_EMAIL = "chair.referrals@sutton.example"
OTHER_AGENCY = "Sutton Children's Services"


@pytest.fixture(scope="module")
def sutton_chair(browser_world, django_db_blocker):
    """Sutton's independent chair and a second agency, committed for this module. The agency
    (and the casework made with it) goes when browser_world drops Sutton's schema."""
    with django_db_blocker.unblock():
        make_agency(browser_world.sutton, OTHER_AGENCY)
        user = make_member(browser_world.sutton, CHAIR_EMAIL, Role.CHAIR)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
    yield user, device
    with django_db_blocker.unblock():
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=CHAIR_EMAIL).delete()
        User.objects.filter(email=CHAIR_EMAIL).delete()


def _post_with_htmx(page: Page, button, path_end: str):
    """Click a section's button and wait for its htmx POST; the page must not reload."""
    page.evaluate("window.__samePage = 'yes'")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(path_end)
    ) as info:
        button.click()
    response = info.value
    assert response.request.headers.get("hx-request") == "true"
    assert response.status == 200
    return response


def _sign_in_with_code(page: Page, world, email: str, device) -> None:
    sign_in(page, world.url("sutton"), email)
    expect(page).to_have_url(re.compile(r"/sign-in/two-factor/"))
    enter_code(page, totp_code(device))
    expect(page).to_have_url(world.url("sutton", "/dashboard/"))


def test_a_referral_from_the_form_to_the_decision(
    page, browser_world, sutton_manager, sutton_chair, django_db_blocker
):
    world = browser_world
    day = today()
    ago = lambda days: day - datetime.timedelta(days=days)  # noqa: E731
    iso = lambda days: ago(days).isoformat()  # noqa: E731

    def fill_day(legend: str, date: datetime.date) -> None:
        fill_date(page, legend, date.day, date.month, date.year)

    # --- The agency user refers ---------------------------------------------------------------
    sign_in(page, world.url("sutton"), world.agency_user.email)
    expect(page).to_have_url(world.url("sutton", "/dashboard/"))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals")
    check_accessibility(page, "referrals: agency's list")
    page.get_by_role("link", name="Refer a serious incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer a serious incident")
    check_accessibility(page, "referrals: new")

    fill_day("Date of the incident", ago(5))
    # GOV.UK's date input: three boxes; an impossible date is refused in its words, every box
    # of it marked, the summary linking to the first.
    fill_date(page, "Date the partnership became aware", 31, "Feb", ago(6).year)
    page.get_by_label("The child was seriously harmed").check()
    page.get_by_label("Suspected", exact=True).check()
    page.locator("#id_child-1-given_name").fill(HOSTILE_GIVEN_NAME)
    page.locator("#id_child-1-family_name").fill(FAMILY_NAME)
    page.locator("#id_child-1-date_of_birth").fill("2020-05-01")
    page.locator("#id_child-1-sex").select_option("female")
    page.get_by_label(OTHER_AGENCY).check()
    page.get_by_label("What happened", exact=True).fill("Found injured at home.")
    page.get_by_role("button", name="Send referral").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    link = summary.get_by_role("link", name="Date the partnership became aware must be a real")
    expect(link).to_have_attribute("href", "#id_aware_date_0")
    expect(page.locator("#id_aware_date .govuk-input--error")).to_have_count(3)
    expect(page.locator("#id_incident_date_0")).to_have_value(str(ago(5).day))
    check_accessibility(page, "referrals: new, a date that is not real")

    fill_day("Date the partnership became aware", ago(6))  # before the incident: an error
    page.get_by_role("button", name="Send referral").click()
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="cannot be before the incident")
    expect(link).to_have_attribute("href", "#id_aware_date_0")
    expect(page.locator("#id_child-1-given_name")).to_have_value(HOSTILE_GIVEN_NAME)
    check_accessibility(page, "referrals: new, error summary")

    fill_day("Date the partnership became aware", ago(1))
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^[A-Z]+-\d{4}-\d{4}$"))
    reference = page.get_by_role("heading", level=1).inner_text().strip()
    children = page.locator("#children tbody tr")
    expect(children.locator("td").first).to_have_text(f"{HOSTILE_GIVEN_NAME} {FAMILY_NAME}")
    assert page.evaluate("window.__pwned") is None
    expect(page.locator("#clocks")).to_contain_text("Notify the Child Safeguarding Practice")
    expect(page.locator("#screening")).to_have_count(0)  # the review group's, not the agency's
    check_accessibility(page, "referral page (agency)")
    sign_out(page)

    # --- The business manager triages, screens, notifies the Panel, starts the rapid review -------
    _sign_in_with_code(page, world, sutton_manager.user.email, sutton_manager.device)
    expect(page.locator("#needs-attention")).to_contain_text(reference)
    check_accessibility(page, "dashboard: clocks needing attention")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    rows = page.locator("#referrals tbody tr")
    expect(rows.filter(has_text=reference)).to_have_count(1)
    check_accessibility(page, "referrals: triage list")
    page.evaluate("window.__samePage = 'yes'")
    with page.expect_response(lambda r: "status=decided" in r.url) as info:
        page.get_by_label("Status").select_option("decided")
    assert info.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"/referrals/\?status=decided"))
    expect(rows).to_have_text(["No referrals match these filters."])
    assert page.evaluate("window.__samePage") == "yes"
    page.get_by_label("Status").select_option("")
    rows.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    assert page.evaluate("window.__pwned") is None
    check_accessibility(page, "referral page (business manager)")

    screening = page.locator("#screening")
    expect(screening.locator("#criteria-result")).to_have_text("Criteria met")
    screening.get_by_label("Yes, the criteria are met").check()
    screening.get_by_label("Rationale").fill("Suspected abuse and serious harm.")
    _post_with_htmx(page, screening.get_by_role("button", name="Record screening"), "/screening/")
    expect(screening.locator("#screening-record")).to_contain_text("Suspected abuse")
    expect(page.locator("#status")).to_contain_text("Screened")
    expect(page.locator("#timeline")).to_contain_text("Screened against the criteria")
    # The task list says where the case stands and what is next, refreshed with the status.
    tasks = page.locator("#task-list")
    expect(tasks.locator("[data-task=screening]")).to_contain_text("Completed")
    expect(tasks.locator("[data-task=notification]")).to_contain_text("In progress")
    expect(tasks.locator("[data-task=decision]")).to_contain_text("Cannot start yet")
    assert page.evaluate("window.__samePage") == "yes"
    check_accessibility(page, "referral page: screened with htmx")
    # Each step has a page of its own: the notification's, from the task list.
    tasks.get_by_role("link", name=re.compile("^Notification to")).click()
    expect(page).to_have_url(re.compile(r"\?step=notification$"))
    expect(page.locator("#screening")).to_have_count(0)
    check_accessibility(page, "referral: the notification step on its own page")

    notification = page.locator("#notification")
    expect(notification.locator("#panel-content")).to_contain_text(HOSTILE_GIVEN_NAME)
    notification.get_by_label("Date it was submitted").fill(iso(0))
    notification.get_by_label("Panel's reference").fill("CSPRP-2026-0001")
    _post_with_htmx(
        page,
        notification.get_by_role("button", name="Record notification"),
        "/panel-notification/",
    )
    expect(notification.locator("#panel-notified")).to_contain_text("CSPRP-2026-0001")
    expect(tasks.locator("[data-task=notification]")).to_contain_text("Completed")
    assert page.evaluate("window.__samePage") == "yes"
    page.locator("#whole-referral").click()
    expect(page).to_have_url(world.url("sutton", f"/referrals/{reference}/"))
    clocks = page.locator("#clocks")
    expect(clocks.locator("tr[data-clock=panel_notification]")).to_contain_text(f"Stopped {iso(0)}")
    expect(clocks.locator("tr[data-clock=rapid_review]")).to_contain_text("Running")
    check_accessibility(page, "referral page: Panel notified")

    rapid_review = page.locator("#rapid_review")
    expect(rapid_review.get_by_label(OTHER_AGENCY)).to_be_checked()
    _post_with_htmx(
        page,
        rapid_review.get_by_role("button", name="Start the rapid review"),
        "/rapid-review/start/",
    )
    requests = rapid_review.locator("#contribution-requests tbody tr")
    expect(requests).to_have_count(2)
    expect(requests.filter(has_text=OTHER_AGENCY)).to_contain_text("Waiting")
    expect(page.locator("#status")).to_contain_text("Rapid review")
    expect(page.locator("#waiting")).to_contain_text("Awaiting rapid-review contributions")
    check_accessibility(page, "referral page: rapid review started")

    rapid_review.get_by_label("Immediate actions taken").fill("A safety plan the same day.")
    rapid_review.get_by_label("Potential improvements to practice").fill("Sharing at weekends.")
    rapid_review.get_by_label("Effects of racism, inequality and disability").fill("None found.")
    rapid_review.get_by_label("Local child safeguarding practice review").check()
    _post_with_htmx(
        page, rapid_review.get_by_role("button", name="Save the rapid review"), "/rapid-review/"
    )
    rapid_review.get_by_label("Date it was sent to the Panel").fill(iso(0))
    _post_with_htmx(
        page, rapid_review.get_by_role("button", name="Record as sent"), "/rapid-review/sent/"
    )
    expect(page.locator("#waiting")).to_contain_text("Awaiting the Panel")
    rapid_review.get_by_label("Agrees with the recommendation", exact=True).check()
    rapid_review.get_by_label("Date the Panel answered").fill(iso(0))
    _post_with_htmx(
        page,
        rapid_review.get_by_role("button", name="Record the Panel's response"),
        "/rapid-review/panel-response/",
    )
    answered = rapid_review.locator("#panel-response")
    expect(answered).to_contain_text("Agrees with the recommendation")
    # Four htmx actions on this page, one banner: each replaces the last instead of piling up.
    expect(page.locator(".govuk-notification-banner")).to_have_count(1)
    expect(page.locator("#waiting")).to_contain_text("The independent chair: record the decision")
    check_accessibility(page, "referral page: the Panel has answered")
    sign_out(page)

    # --- The chair decides ------------------------------------------------------------------
    chair, device = sutton_chair
    _sign_in_with_code(page, world, chair.email, device)
    # No clock runs while the chair decides: the dashboard still says the referral waits for her.
    waiting = page.locator("#referrals-waiting tr", has_text=reference)
    expect(waiting).to_contain_text("The independent chair")
    check_accessibility(page, "dashboard: referrals waiting")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Clocks").click()
    expect(page.locator("#clocks-later")).not_to_contain_text(reference)
    check_accessibility(page, "clocks board")
    page.goto(world.url("sutton", f"/referrals/{reference}/"))
    decision = page.locator("#decision")
    decision.get_by_label("Local child safeguarding practice review").check()
    decision.get_by_label("Rationale").fill("Learning for health and children's services.")
    decision.get_by_label("Date of the decision").fill(iso(0))
    _post_with_htmx(page, decision.get_by_role("button", name="Record the decision"), "/decision/")
    record = decision.locator("#decision-record")
    expect(record).to_contain_text("Local child safeguarding practice review")
    expect(page.locator("#status")).to_contain_text("Decided")
    # The publication clock is the review's own now (its overview), not the referral's.
    expect(page.locator("#clocks tr[data-clock=publication]")).to_have_count(0)
    expect(page.locator("#waiting")).to_contain_text("Awaiting the decision notice")
    check_accessibility(page, "referral page: decided")

    decision.get_by_label("Date the Panel was told").fill(iso(0))
    decision.get_by_label("Date Ofsted was told").fill(iso(0))
    decision.get_by_label("Date the Department for Education was told").fill(iso(0))
    _post_with_htmx(
        page, decision.get_by_role("button", name="Record who was told"), "/decision/notices/"
    )
    expect(page.locator("#status")).to_contain_text("Decision communicated")
    expect(page.locator("#clocks tr[data-clock=decision_notice]")).to_contain_text(
        f"Stopped {iso(0)}"
    )
    check_accessibility(page, "referral page: decision communicated")

    with django_db_blocker.unblock(), inside(world.sutton):
        referral = Referral.objects.get(reference=reference)
        assert referral.children.get().given_name == HOSTILE_GIVEN_NAME
        review = Review.objects.get(referral=referral)
        assert review.review_type == "lcspr"
        assert {a.name for a in review.agencies.all()} == {world.sutton_agency_name, OTHER_AGENCY}
    expect(record).to_contain_text(review.reference)
