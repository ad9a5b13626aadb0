"""The bare platform domain and hosts that serve no partnership."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility


def test_landing_page_lists_the_partnerships_and_links_to_their_hosts(page, browser_world):
    response = page.goto(browser_world.platform + "/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguard")
    partnerships = page.locator("#partnerships")
    for key in ("sutton", "bromley"):
        partnership = getattr(browser_world, key)
        link = partnerships.get_by_role("link", name=partnership.name, exact=True)
        expect(link).to_have_attribute("href", browser_world.url(key, "/"))
    # The shared session partnerships are listed too: the page is the platform's, not Sutton's.
    expect(partnerships).to_contain_text("Croydon Safeguarding Children Partnership")
    check_accessibility(page, "platform landing")

    partnerships.get_by_role("link", name=browser_world.sutton.name, exact=True).click()
    expect(page).to_have_url(browser_world.url("sutton", "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(browser_world.sutton.name)
    check_accessibility(page, "partnership home (signed out)")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(browser_world.url("sutton", "/sign-in/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Sign in to {browser_world.sutton.name}"
    )
    check_accessibility(page, "sign in")


def test_unknown_host_gets_the_friendly_not_found_page(page, browser_world):
    response = page.goto(f"http://nowhere.localhost:{browser_world.port}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page).to_have_title(re.compile(r"^Page not found – Safeguard$"))
    # Nothing of any partnership is shown, nor a sign-in form.
    expect(page.locator("body")).not_to_contain_text("Safeguarding Children Partnership")
    expect(page.get_by_label("Password")).to_have_count(0)
    check_accessibility(page, "404 for an unknown host")


def test_the_api_docs_page_is_accessible(page, browser_world):
    """The agency API's Swagger UI page (api/templates/api/swagger_ui.html): a language, enough
    contrast and no control inside another, once its operations have been drawn."""
    response = page.goto(browser_world.url("sutton", "/api/v1/docs/"))
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".opblock").first).to_be_visible()
    check_accessibility(page, "API docs")
