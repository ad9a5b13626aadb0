"""How people are told, in the browser: a person's choices, the business manager's messages
and webhooks pages, each checked with axe."""

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, enter_code, sign_in
from tests.support.clients import totp_code


def test_choices_and_the_message_and_webhook_logs(page, browser_world, sutton_manager):
    sign_in(page, browser_world.url("sutton"), sutton_manager.user.email)
    enter_code(page, totp_code(sutton_manager.device))
    expect(page).to_have_url(browser_world.url("sutton", "/dashboard/"))

    page.get_by_role("link", name="Your emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How you are told")
    check_accessibility(page, "notification choices")
    reminders = page.get_by_role("group", name="Reminders of work due or overdue")
    reminders.get_by_label("In a daily digest").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your choices are saved")
    expect(
        page.get_by_role("group", name="Reminders of work due or overdue").get_by_label(
            "In a daily digest"
        )
    ).to_be_checked()

    page.goto(browser_world.url("sutton", "/workspace/messages/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    check_accessibility(page, "workspace messages")
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    check_accessibility(page, "workspace webhooks")
