"""The business manager's workspace in the browser: agencies (htmx), API keys, the audit trail."""

import re

from playwright.sync_api import Page, expect

from tenants.workspace.models import Agency, AgencyApiKey
from tests.browser.conftest import check_accessibility, enter_code, sign_in
from tests.conftest import inside, totp_code

HOSTILE_NAME = "<script>window.__pwned=1</script>Evil"


def _sign_in_manager(page: Page, world) -> None:
    sign_in(page, world.url("sutton"), world.manager.email)
    expect(page).to_have_url(world.url("sutton", "/sign-in/two-factor/?next=/dashboard/"))
    enter_code(page, totp_code(world.manager_device))
    expect(page).to_have_url(world.url("sutton", "/dashboard/"))


def _add_agency_with_htmx(page: Page, name: str, kind: str | None = None):
    """Submit the "Add an agency" form; returns the htmx request's response."""
    page.get_by_label("Name", exact=True).fill(name)
    if kind:
        page.get_by_label("Kind of agency").select_option(label=kind)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/workspace/agencies/")
    ) as info:
        page.get_by_role("button", name="Add agency").click()
    response = info.value
    assert response.request.headers.get("hx-request") == "true"
    assert response.status == 200
    return response


def test_manager_adds_agencies_without_a_page_load_and_names_are_shown_as_text(
    page, browser_world, django_db_blocker
):
    agencies_url = browser_world.url("sutton", "/workspace/agencies/")
    _sign_in_manager(page, browser_world)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Workspace").click()
    expect(page).to_have_url(agencies_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    rows = page.locator("#agencies tbody tr")
    expect(rows.filter(has_text=browser_world.sutton_agency_name)).to_have_count(1)
    before = rows.count()
    check_accessibility(page, "workspace: agencies")

    # A page load would wipe this; an htmx swap of #agencies keeps it.
    page.evaluate("window.__samePage = 'yes'")
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
    _add_agency_with_htmx(page, HOSTILE_NAME)
    hostile_row = rows.filter(has_text="Evil")
    expect(hostile_row.locator("td").first).to_have_text(HOSTILE_NAME)
    expect(page.locator("#agencies .govuk-error-summary")).to_have_count(0)
    assert page.evaluate("window.__pwned") is None
    page.goto(agencies_url)  # a full render of the same list
    expect(rows.filter(has_text="Evil").locator("td").first).to_have_text(HOSTILE_NAME)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__samePage") is None  # this time it was a page load
    page.get_by_role("link", name=f"Change {HOSTILE_NAME}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Change {HOSTILE_NAME}")
    expect(page).to_have_title(re.compile("^" + re.escape(f"Change {HOSTILE_NAME} – ")))
    expect(page.get_by_label("Name", exact=True)).to_have_value(HOSTILE_NAME)
    assert page.evaluate("window.__pwned") is None
    check_accessibility(page, "workspace: change agency")
    with django_db_blocker.unblock(), inside(browser_world.sutton):
        assert Agency.objects.filter(name=HOSTILE_NAME).exists()


def test_manager_issues_a_key_sees_it_once_revokes_it_and_finds_it_all_audited(
    page, browser_world, django_db_blocker
):
    keys_url = browser_world.url("sutton", "/workspace/api-keys/")
    agency_name = browser_world.sutton_agency_name
    _sign_in_manager(page, browser_world)
    page.goto(keys_url)
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
    expect(row).to_contain_text(f"by {browser_world.manager.email}")
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
    for action in ("agency.created", "api_key.issued", "api_key.revoked"):
        expect(events.filter(has=page.locator("code", has_text=action)).first).to_contain_text(
            browser_world.manager.email
        )
    check_accessibility(page, "workspace: audit trail")

    page.get_by_label("Action starts with").fill("api_key.")
    page.get_by_role("button", name="Apply filter").click()
    expect(page).to_have_url(re.compile(r"/workspace/audit/\?action=api_key\.&"))
    actions = [a.strip() for a in events.locator("td:nth-child(3)").all_inner_texts()]
    assert sorted(actions) == ["api_key.issued", "api_key.revoked"], actions
    check_accessibility(page, "workspace: audit trail, filtered")
