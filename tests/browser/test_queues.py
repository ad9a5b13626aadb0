"""Work queues in the browser (issue 14, item 1): the business manager's dashboard counts what
waits for them; a queue's page lists it, filters by agency with htmx (the page stays) and leads
to the referral. Every page is checked with axe."""

import datetime
import re

from playwright.sync_api import expect

from casework import services
from tenants.clock import today
from tests.browser.conftest import check_accessibility, enter_code, sign_in
from tests.support.actors import actor_of
from tests.support.clients import totp_code
from tests.support.world import inside


def test_the_business_managers_work_from_the_dashboard_to_the_referral(
    page, browser_world, sutton_manager, django_db_blocker
):
    world = browser_world
    day = today()
    with django_db_blocker.unblock(), inside(world.sutton):
        referral = services.referral_create(
            actor=actor_of(world.agency_user, world.sutton),
            incident_date=day - datetime.timedelta(days=3),
            aware_date=day - datetime.timedelta(days=1),
            harm="serious_harm",
            abuse_or_neglect="suspected",
            children=[services.ChildInput("Queue", "Child", datetime.date(2021, 1, 1), "male")],
            summary="Found injured.",
        )
    sign_in(page, world.url("sutton"), sutton_manager.user.email)
    enter_code(page, totp_code(sutton_manager.device))
    expect(page).to_have_url(world.url("sutton", "/dashboard/"))
    work = page.locator("#work-queues")
    screening = work.locator("tr[data-queue=screening]")
    expect(screening).to_contain_text(re.compile(r"Awaiting screening\s*[1-9]"))
    expect(work.locator("tr[data-queue=decisions]")).to_have_count(0)  # the chair's
    check_accessibility(page, "dashboard: work queues")

    screening.get_by_role("link", name="Awaiting screening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Awaiting screening")
    rows = page.locator("#queue tbody tr")
    expect(rows.filter(has_text=referral.reference)).to_contain_text("Record the screening")
    check_accessibility(page, "work queue: awaiting screening")

    page.evaluate("window.__samePage = 'yes'")
    with page.expect_response(lambda r: "agency=" in r.url) as info:
        page.get_by_label("Agency").select_option(label=world.sutton_agency_name)
    assert info.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"/work/screening/\?agency="))
    expect(rows.filter(has_text=referral.reference)).to_have_count(1)
    assert page.evaluate("window.__samePage") == "yes"
    check_accessibility(page, "work queue: filtered by agency")

    rows.get_by_role("link", name=referral.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(referral.reference)
