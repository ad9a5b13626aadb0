"""The Content-Security-Policy in a real browser (issue 10, part 5): the pages work under it,
Swagger UI included, and a violation is caught (every browser test fails on one: conftest)."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, csp_violations


def test_the_api_docs_render_under_the_policy(page, browser_world):
    for docs in (
        browser_world.url("sutton", "/api/v1/docs/"),
        browser_world.platform + "/api/v1/docs/",
    ):
        response = page.goto(docs)
        assert response.status == 200
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        # Swagger UI drew the operations from the schema: its scripts ran.
        expect(page.locator(".opblock").first).to_be_visible()
        assert csp_violations(page) == []


def test_govuk_frontend_and_htmx_run_under_the_policy(page, browser_world):
    response = page.goto(browser_world.url("sutton", "/sign-in/"))
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    # The inline line in base.html ran (it carries the nonce) and GOV.UK Frontend initialised.
    expect(page.locator("body")).to_have_class(re.compile(r"govuk-frontend-supported"))
    assert page.evaluate("typeof window.htmx") == "object"
    check_accessibility(page, "sign in (CSP)")


def test_a_violation_is_reported(page, browser_world):
    """The listener the other tests rely on does hear the browser: an inline script without
    the nonce, added after load, is refused and reported."""
    page.goto(browser_world.url("sutton", "/sign-in/"))
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ran = true"; document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran === undefined")
    assert any("script-src" in found for found in csp_violations(page))
    csp_violations(page).clear()  # expected here: the fixture must not fail this test
