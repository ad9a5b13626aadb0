"""Signing in on a partnership's host: the authenticator set-up, codes, recovery codes, roles."""

import base64
import re

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import (
    check_accessibility,
    enter_code,
    sign_in,
    sign_out,
    wait_until_codes_accepted,
)
from tests.support.clients import totp_code

WRONG_OR_USED = "The code is wrong or has already been used."


def test_business_manager_sets_up_authenticator_then_uses_a_recovery_code_once(
    page, browser_world, django_db_blocker
):
    sutton = lambda path: browser_world.url("sutton", path)  # noqa: E731
    user = browser_world.new_manager

    # First sign-in: the password is right, and a business manager must set up an authenticator.
    sign_in(page, sutton(""), user.email)
    expect(page).to_have_url(sutton("/sign-in/two-factor/set-up/?next=/dashboard/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr.locator("svg")).to_be_visible()
    secret = page.locator("#totp-secret")
    expect(secret).to_be_hidden()
    check_accessibility(page, "authenticator set-up")

    page.get_by_text("I cannot scan the QR code").click()
    expect(secret).to_be_visible()
    with django_db_blocker.unblock():
        device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = base64.b32encode(device.bin_key).decode()
    assert secret.inner_text().replace(" ", "") == key
    check_accessibility(page, "authenticator set-up, key revealed")

    page.get_by_label("Code from your authenticator app").fill(totp_code(device))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    codes = [code.strip() for code in page.locator("#recovery-codes li").all_inner_texts()]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[0-9a-f]{4,}(-[0-9a-f]{4,})+", code) for code in codes), codes
    check_accessibility(page, "recovery codes")
    with django_db_blocker.unblock():
        device.refresh_from_db()
        assert device.confirmed

    page.get_by_role("link", name="I have saved my codes").click()
    expect(page).to_have_url(sutton("/dashboard/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("main")).to_contain_text(f"You are signed in as {user.email}")
    check_accessibility(page, "dashboard (business manager)")

    # Sign out, and in again: now the authenticator's code is asked for.
    sign_out(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out.")
    check_accessibility(page, "sign in, after signing out")
    sign_in(page, sutton(""), user.email)
    expect(page).to_have_url(sutton("/sign-in/two-factor/?next=/dashboard/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check it's you")
    check_accessibility(page, "two-factor check")

    # A wrong code: the GOV.UK error summary, linked to the field.
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    enter_code(page, wrong)
    expect(page).to_have_url(re.compile(r"/sign-in/two-factor/"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name=WRONG_OR_USED)).to_have_attribute("href", "#id_token")
    expect(page.locator(".govuk-form-group--error .govuk-error-message")).to_contain_text(
        WRONG_OR_USED
    )
    check_accessibility(page, "two-factor check, wrong code")

    # A recovery code instead: in, with a warning that one was spent.
    wait_until_codes_accepted(django_db_blocker, user)
    enter_code(page, codes[0])
    expect(page).to_have_url(sutton("/dashboard/"))
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("You signed in with a recovery code. You have 9 left")
    check_accessibility(page, "dashboard, recovery code warning")
    with django_db_blocker.unblock():
        assert not StaticToken.objects.filter(device__user=user, token=codes[0]).exists()
        assert StaticToken.objects.filter(device__user=user).count() == 9

    # Next time, the spent recovery code is refused; the authenticator still works.
    sign_out(page)
    sign_in(page, sutton(""), user.email)
    expect(page).to_have_url(sutton("/sign-in/two-factor/?next=/dashboard/"))
    enter_code(page, codes[0])
    expect(page.locator(".govuk-form-group--error .govuk-error-message")).to_contain_text(
        WRONG_OR_USED
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Check it's you")
    with django_db_blocker.unblock():
        # Refused by the recovery codes themselves (not merely throttled): they checked it.
        recovery = StaticDevice.objects.get(user=user)
        assert recovery.throttling_failure_count == 1
        assert recovery.token_set.count() == 9
    wait_until_codes_accepted(django_db_blocker, user)
    # One period ahead: the code used at set-up may still be current, and is never accepted twice.
    enter_code(page, totp_code(device, steps_ahead=1))
    expect(page).to_have_url(sutton("/dashboard/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator(".govuk-notification-banner")).to_have_count(0)


def test_agency_user_signs_in_without_second_factor_and_cannot_open_the_workspace(
    page, browser_world
):
    sutton = lambda path: browser_world.url("sutton", path)  # noqa: E731
    user = browser_world.agency_user

    sign_in(page, sutton(""), user.email)
    expect(page).to_have_url(sutton("/dashboard/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("main")).to_contain_text(
        f"You are signed in as {user.email}, agency user for {browser_world.sutton_agency_name}."
    )
    memberships = page.locator("#memberships")
    expect(memberships).to_contain_text(browser_world.sutton.name)
    expect(memberships).not_to_contain_text(browser_world.bromley.name)
    # No way into the workspace is offered…
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="Workspace")).to_have_count(0)
    expect(navigation.get_by_role("link", name="Audit trail")).to_have_count(0)
    check_accessibility(page, "dashboard (agency user)")

    # …and typing its address gets the 403 page.
    response = page.goto(sutton("/workspace/agencies/"))
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    expect(page.locator("main")).to_contain_text("does not allow this")
    expect(page.locator("table")).to_have_count(0)
    check_accessibility(page, "403 page")
