"""One browser, two partnerships: signing in on Bromley gives nothing on Sutton."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, enter_code, sign_in
from tests.support.clients import totp_code

GENERIC_ERROR = "The email address or password is wrong, or you have no access here."


def test_a_bromley_session_gives_nothing_on_sutton(page, browser_world):
    bromley = lambda path: browser_world.url("bromley", path)  # noqa: E731
    sutton = lambda path: browser_world.url("sutton", path)  # noqa: E731
    user = browser_world.bromley_manager

    # Signed in on Bromley, seeing Bromley's own data only.
    sign_in(page, bromley(""), user.email)
    expect(page).to_have_url(bromley("/sign-in/two-factor/?next=/dashboard/"))
    enter_code(page, totp_code(browser_world.bromley_device))
    expect(page).to_have_url(bromley("/dashboard/"))
    memberships = page.locator("#memberships")
    expect(memberships).to_contain_text(browser_world.bromley.name)
    expect(memberships).not_to_contain_text(browser_world.sutton.name)
    page.goto(bromley("/workspace/agencies/"))
    expect(page.locator("#agencies")).to_contain_text("Bromley Secret Agency")
    expect(page.locator("#agencies")).not_to_contain_text(browser_world.sutton_agency_name)
    check_accessibility(page, "workspace: agencies (Bromley)")
    cookie_hosts = {c["domain"] for c in page.context.cookies() if c["name"] == "sessionid"}
    assert cookie_hosts == {"bromley.localhost"}  # host-only: never sent to sutton.localhost

    sign_in_page = re.compile(re.escape(sutton("/sign-in/?next=")) + r"(/|%2F)dashboard(/|%2F)$")

    # Same browser, Sutton's dashboard: signed out there, sent to Sutton's sign-in page.
    page.goto(sutton("/dashboard/"))
    expect(page).to_have_url(sign_in_page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Sign in to {browser_world.sutton.name}"
    )
    body = page.locator("body")
    for sutton_data in (
        browser_world.sutton_agency_name,
        browser_world.agency_user.email,
        browser_world.new_manager.email,
        "Dashboard",
    ):
        expect(body).not_to_contain_text(sutton_data)
    expect(page.get_by_role("link", name="Sign out")).to_have_count(0)
    check_accessibility(page, "sign in (Sutton, while signed in on Bromley)")

    # The Bromley password is right, but it opens nothing here: the same generic error.
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(GENERIC_ERROR)
    expect(page).to_have_url(sign_in_page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Sign in to {browser_world.sutton.name}"
    )
    check_accessibility(page, "sign in (Sutton), generic error")
    page.goto(sutton("/dashboard/"))
    expect(page).to_have_url(sign_in_page)

    # Bromley's session is untouched by all that.
    page.goto(bromley("/dashboard/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    # Bromley's session cookie replayed on Sutton's host: as if the pages did not exist.
    session = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    page.context.add_cookies([{"name": "sessionid", "value": session["value"], "url": sutton("/")}])
    for path in ("/dashboard/", "/workspace/agencies/", "/workspace/audit/"):
        response = page.goto(sutton(path))
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(body).not_to_contain_text(browser_world.sutton_agency_name)
    check_accessibility(page, "404 for a session from another partnership")
