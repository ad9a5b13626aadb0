"""The business manager's workspace in the browser: agencies (htmx), API keys, the audit trail."""

import re

from playwright.sync_api import Page, expect

from tenants.agencies.models import Agency, AgencyApiKey
from tests.browser.conftest import check_accessibility, enter_code, sign_in
from tests.support.clients import totp_code
from tests.support.world import inside

HOSTILE_NAME = "<script>window.__pwned=1</script>Evil"


def _sign_in_manager(page: Page, world, manager) -> None:
    sign_in(page, world.url("sutton"), manager.user.email)
    expect(page).to_have_url(world.url("sutton", "/sign-in/two-factor/?next=/dashboard/"))
    enter_code(page, totp_code(manager.device))
    expect(page).to_have_url(world.url("sutton", "/dashboard/"))


def _submit_agency(page: Page, name: str, kind: str | None = None):
    """Submit the "Add an agency" form; returns the response to its POST."""
    page.get_by_label("Name", exact=True).fill(name)
    if kind:
        page.get_by_label("Kind of agency").select_option(label=kind)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/workspace/agencies/")
    ) as info:
        page.get_by_role("button", name="Add agency").click()
    return info.value


def _add_agency_with_htmx(page: Page, name: str, kind: str | None = None):
    response = _submit_agency(page, name, kind)
    assert response.request.headers.get("hx-request") == "true"
    assert response.status == 200
    return response


def _open_agencies(page: Page, world) -> str:
    """Load the agencies page afresh and mark the window: a page load would wipe the mark, an
    htmx swap of #agencies keeps it."""
    url = world.url("sutton", "/workspace/agencies/")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    page.evaluate("window.__samePage = 'yes'")
    return url


def test_manager_adds_agencies_without_a_page_load_and_names_are_shown_as_text(
    page, browser_world, sutton_manager, django_db_blocker
):
    _sign_in_manager(page, browser_world, sutton_manager)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Workspace").click()
    agencies_url = _open_agencies(page, browser_world)
    rows = page.locator("#agencies tbody tr")
    expect(rows.filter(has_text=browser_world.sutton_agency_name)).to_have_count(1)
    before = rows.count()
    check_accessibility(page, "workspace: agencies")

    _add_agency_with_htmx(
        page, "Sutton Health Visiting", "Health (NHS trust, integrated care board)"
    )
    new_row = rows.filter(has_text="Sutton Health Visiting")
    expect(new_row).to_have_count(1)
    expect(new_row).to_contain_text("Health (NHS trust, integrated care board)")
    expect(new_row).to_contain_text("Active")
    expect(rows).to_have_count(before + 1)
    expect(page.locator("#agencies caption")).to_have_text(f"{before + 1} agencies")
    expect(page).to_have_url(agencies_url)
    assert page.evaluate("window.__samePage") == "yes"
    expect(page.get_by_label("Name", exact=True)).to_have_value("")  # a fresh form
    with django_db_blocker.unblock(), inside(browser_world.sutton):
        assert Agency.objects.filter(name="Sutton Health Visiting", kind="health").exists()
    check_accessibility(page, "workspace: agencies, after htmx add")

    # An empty name: the GOV.UK error summary, inside the swapped section.
    _open_agencies(page, browser_world)
    _add_agency_with_htmx(page, "")
    summary = page.locator("#agencies .govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="This field is required.")).to_have_attribute(
        "href", "#id_name"
    )
    expect(page.locator("#agencies .govuk-form-group--error")).to_contain_text(
        "This field is required."
    )
    expect(rows).to_have_count(before + 1)
    expect(page).to_have_url(agencies_url)
    assert page.evaluate("window.__samePage") == "yes"
    check_accessibility(page, "workspace: agencies, htmx error summary")

    # HTML typed as a name is stored and shown as text, never run.
    _open_agencies(page, browser_world)
    _add_agency_with_htmx(page, HOSTILE_NAME)
    expect(page.locator("#agencies .govuk-error-summary")).to_have_count(0)
    hostile_row = rows.filter(has_text="Evil")
    expect(hostile_row.locator("td").first).to_have_text(HOSTILE_NAME)
    assert page.evaluate("window.__samePage") == "yes"
    assert page.evaluate("window.__pwned") is None
    page.goto(agencies_url)  # a full render of the same list
    expect(hostile_row.locator("td").first).to_have_text(HOSTILE_NAME)
    assert page.evaluate("window.__pwned") is None
    page.get_by_role("link", name=f"Change {HOSTILE_NAME}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Change {HOSTILE_NAME}")
    expect(page).to_have_title(re.compile("^" + re.escape(f"Change {HOSTILE_NAME} – ")))
    expect(page.get_by_label("Name", exact=True)).to_have_value(HOSTILE_NAME)
    assert page.evaluate("window.__pwned") is None
    check_accessibility(page, "workspace: change agency")
    with django_db_blocker.unblock(), inside(browser_world.sutton):
        assert Agency.objects.filter(name=HOSTILE_NAME).exists()


def test_the_agency_form_stays_htmx_after_a_swap(page, browser_world, sutton_manager):
    _sign_in_manager(page, browser_world, sutton_manager)
    _open_agencies(page, browser_world)
    _add_agency_with_htmx(page, "Sutton Youth Offending Service")
    expect(page.locator("#agencies tbody tr", has_text="Youth Offending")).to_have_count(1)
    assert page.locator("#agencies form form").count() == 0
    second = _submit_agency(page, "Sutton Early Help")
    expect(page.locator("#agencies tbody tr", has_text="Sutton Early Help")).to_have_count(1)
    assert second.request.headers.get("hx-request") == "true"
    assert page.evaluate("window.__samePage") == "yes"


def test_an_error_summary_swapped_in_by_htmx_takes_focus(page, browser_world, sutton_manager):
    _sign_in_manager(page, browser_world, sutton_manager)
    _open_agencies(page, browser_world)
    _add_agency_with_htmx(page, "")
    summary = page.locator("#agencies .govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()


def test_manager_issues_a_key_sees_it_once_revokes_it_and_finds_it_all_audited(
    page, browser_world, sutton_manager, django_db_blocker
):
    keys_url = browser_world.url("sutton", "/workspace/api-keys/")
    agency_name = "Sutton Probation Delivery Unit"
    _sign_in_manager(page, browser_world, sutton_manager)
    _open_agencies(page, browser_world)
    _add_agency_with_htmx(page, agency_name, "Probation and youth justice")
    expect(page.locator("#agencies tbody tr", has_text=agency_name)).to_have_count(1)
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="API keys").click()
    expect(page).to_have_url(keys_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Agency API keys")
    check_accessibility(page, "workspace: API keys")

    page.get_by_label("Agency", exact=True).select_option(label=agency_name)
    page.get_by_label("Which system is it for?").fill("Niche RMS referrals")
    page.get_by_role("button", name="Issue key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Key issued for {agency_name}")
    key = page.locator("#api-key-value").inner_text().strip()
    row = page.locator("#api-keys tbody tr").filter(has_text="Niche RMS referrals")
    expect(row).to_have_count(1)
    prefix = row.locator("code").inner_text().strip()
    assert key.startswith(prefix + "."), (key, prefix)
    expect(row).to_contain_text(agency_name)
    expect(row).to_contain_text(f"by {sutton_manager.user.email}")
    expect(row.locator(".govuk-tag")).to_have_text("Active")
    with django_db_blocker.unblock(), inside(browser_world.sutton):
        assert AgencyApiKey.objects.is_valid(key)
    check_accessibility(page, "workspace: API key issued")

    # Shown once: loading the page again shows the key's prefix, never the key.
    page.goto(keys_url)
    expect(page.locator("#api-key-value")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Agency API keys")
    assert key not in page.content()
    expect(row.locator("code")).to_have_text(prefix)

    # Revoke it, with a reason.
    row.get_by_role("link", name=f"Revoke key {prefix}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Revoke key {prefix} for {agency_name}?"
    )
    check_accessibility(page, "workspace: revoke API key")
    page.get_by_label("Why are you revoking it?").fill("Rotated after the browser test")
    page.get_by_role("button", name="Revoke key").click()
    expect(page).to_have_url(keys_url)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Key {prefix} for {agency_name} revoked."
    )
    expect(row.locator(".govuk-tag")).to_have_text("Revoked")
    expect(row.get_by_role("link", name=re.compile("Revoke"))).to_have_count(0)
    with django_db_blocker.unblock(), inside(browser_world.sutton):
        assert not AgencyApiKey.objects.is_valid(key)
    check_accessibility(page, "workspace: API key revoked")

    # The audit trail has it all, by this manager.
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    events = page.locator("#audit-events tbody tr")
    mine = events.filter(has_text=sutton_manager.user.email)
    for action in ("agency.created", "api_key.issued", "api_key.revoked"):
        expect(mine.filter(has=page.locator("code", has_text=action))).to_have_count(1)
    check_accessibility(page, "workspace: audit trail")

    page.get_by_label("Action starts with").fill("api_key.")
    page.get_by_label("Who (email or key)").fill(sutton_manager.user.email)
    page.get_by_role("button", name="Apply filter").click()
    expect(page).to_have_url(re.compile(r"/workspace/audit/\?action=api_key\.&actor="))
    expect(events).to_have_count(2)
    actions = [a.strip() for a in events.locator("td:nth-child(3)").all_inner_texts()]
    assert actions == ["api_key.revoked", "api_key.issued"], actions  # newest first
    check_accessibility(page, "workspace: audit trail, filtered")
