"""Finding and taking casework away (issue 14, items 2 to 4) in Chromium: a search by a misspelt
name, a casework page printed without its navigation and forms, and the action tracker at
375 px wide without sideways scrolling. Every page is checked with axe."""

import datetime

from playwright.sync_api import expect

from casework import services
from tenants.clock import today
from tenants.models import Role
from tests.browser.conftest import check_accessibility, sign_in
from tests.support.actors import actor_of
from tests.support.referrals import walk_to_decision
from tests.support.world import inside, make_member

LONG_ACTION = (
    "Introduce a multi-agency information-sharing protocol between SuttonPoliceControlRoom and "
    "children's social care's front door, with a named lead for each out-of-hours referral"
)


def _case(world, django_db_blocker) -> str:
    """A referral of Sutton Police's about Jayden Smith, its review and an action the police
    own, committed for the live server; the referral's reference."""
    with django_db_blocker.unblock():
        chair_user = make_member(world.sutton, "chair.finding@sutton.example", Role.CHAIR)
        manager_user = make_member(
            world.sutton, "manager.finding@sutton.example", Role.BUSINESS_MANAGER
        )
        with inside(world.sutton):
            agency, chair = (
                actor_of(world.agency_user, world.sutton),
                actor_of(chair_user, world.sutton),
            )
            referral = services.referral_create(
                actor=agency,
                incident_date=today() - datetime.timedelta(days=10),
                aware_date=today() - datetime.timedelta(days=2),
                harm="serious_harm",
                abuse_or_neglect="suspected",
                children=[
                    services.ChildInput("Jayden", "Smith", datetime.date(2018, 5, 6), "male")
                ],
                summary="Found injured at home.",
                agencies_involved=[world.sutton_agency_name],
            )
            walk_to_decision(
                referral,
                group=chair,
                manager=actor_of(manager_user, world.sutton),
                notified_on=today(),
                sent_on=today(),
                answered_on=today(),
            )
            services.decision_record(
                actor=chair,
                referral=referral,
                outcome="lcspr",
                rationale="Learning for every agency.",
                decided_on=today(),
            )
            recommendation = services.recommendation_add(
                actor=chair,
                review=referral.review,
                text="Share records out of hours.",
                to_partnership=False,
                agencies=[referral.referring_agency],
            )
            services.action_add(
                actor=chair,
                recommendation=recommendation,
                description=LONG_ACTION,
                owner_agency=referral.referring_agency,
                due=today() + datetime.timedelta(days=60),
            )
            return referral.reference


def test_search_print_and_the_tracker_on_a_small_screen(page, browser_world, django_db_blocker):
    reference = _case(browser_world, django_db_blocker)
    sign_in(page, browser_world.url("sutton"), browser_world.agency_user.email)
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search referrals and reviews")
    check_accessibility(page, "search: the form")
    page.get_by_label("Child's name").fill("Jaden Smyth")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#search-referrals")
    expect(results.get_by_role("link", name=reference)).to_be_visible()
    check_accessibility(page, "search: results")

    # Printed, the page is the casework: no menu, no form, the results whole.
    page.emulate_media(media="print")
    expect(menu).to_be_hidden()
    expect(page.locator("main form")).to_be_hidden()
    expect(results).to_be_visible()
    page.emulate_media(media="screen")
    expect(menu).to_be_visible()

    # At 375 px the tracker's table scrolls inside its own container, not the page.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(browser_world.url("sutton", "/actions/"))
    expect(page.locator("#actions")).to_contain_text("information-sharing protocol")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    container = page.get_by_role("region", name="Actions")
    assert container.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls there
    check_accessibility(page, "action tracker at 375 px")
