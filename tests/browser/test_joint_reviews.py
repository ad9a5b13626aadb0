"""A joint review's journey in the browser, each person in a browser of their own, on their own
partnership's host: Sutton's business manager invites Bromley; Bromley's chair accepts on
bromley's host and signs the report off for Bromley with a statement; a Bromley review group
member opens the joint review from bromley's host, sees Sutton's chronology, adds an entry from
Bromley's own agency (htmx, inline) and an action that agency owns, and finds it in Bromley's
own action tracker; Sutton's business manager adds Sutton's entry and an action its police owns
from sutton's host, each side sees the other's part (and Bromley never Sutton's other review),
each tracks its own actions; Sutton's chair signs off for the lead, sees Bromley's entry, then
ends the joint review — and the next htmx request of Bromley's page, still open, gets a 404.
Every page is checked with axe."""

import datetime
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from casework import services as review_services
from casework.joint.models import JointReviewGrant
from tenants.actors import actor_for_member
from tenants.clock import today
from tenants.files import UploadedFile
from tenants.models import Membership, Role
from tests.browser.conftest import check_accessibility, enter_code, sign_in, sign_out
from tests.support.clients import totp_code
from tests.support.world import inside, make_agency, make_member

TITLE = "Child V: joint practice review across Sutton and Bromley"
SUTTON_ENTRY = "Health visitor's new birth visit in Sutton"
BROMLEY_ENTRY = "Bromley's duty team closed the referral before the move"
SUTTON_LIVE_ENTRY = "Sutton police shared the domestic abuse notification with the school"
SUTTON_ACTION = "Sutton Police flag a family's move out of the borough to the receiving area"
BROMLEY_ACTION = "Bromley sends a transfer-in letter within 5 days"
SUTTON_ONLY = "Child U: Sutton's own learning review"
SUTTON_CHAIR = "sian.chair@sutton.example"
PDF = b"%PDF-1.7\n% draft report\n%%EOF\n"
CHAIR = "chloe.chair@bromley.example"
MEMBER = "rory.member@bromley.example"


@pytest.fixture(scope="module")
def joint_journey(browser_world, django_db_blocker):
    """Sutton's review (an entry from its police, a recommendation, the draft report) and two
    Bromley people with authenticators, committed; Bromley's people go with browser_world, the
    grant here (it names both partnerships, which browser_world drops)."""
    sutton, bromley = browser_world.sutton, browser_world.bromley
    with django_db_blocker.unblock():
        police = make_agency(sutton, browser_world.sutton_agency_name)
        make_agency(bromley, "Bromley Children's Services")
        chair = make_member(bromley, CHAIR, Role.CHAIR)
        member = make_member(bromley, MEMBER, Role.REVIEW_GROUP_MEMBER)
        manager = Membership.objects.select_related("user", "partnership").get(
            user=browser_world.new_manager, partnership=sutton
        )
        with inside(sutton):
            actor = actor_for_member(membership=manager)
            review = review_services.thematic_review_commission(
                actor=actor, title=TITLE, commissioned_on=today(), agencies=[police]
            )
            review_services.chronology_entry_add(
                actor=actor,
                review=review,
                data=review_services.EntryInput(
                    occurred_on=today() - datetime.timedelta(days=90),
                    agency=police,
                    what_happened=SUTTON_ENTRY,
                    who="health visitor",
                ),
            )
            review_services.recommendation_add(
                actor=actor,
                review=review,
                text="Records follow a family that moves between boroughs.",
                to_partnership=True,
            )
            review_services.review_document_upload(
                actor=actor,
                review=review,
                title="Draft report",
                kind="draft_report",
                upload=UploadedFile("draft.pdf", PDF),
            )
            reference = review.reference
            sutton_only = review_services.thematic_review_commission(
                actor=actor, title=SUTTON_ONLY, commissioned_on=today()
            )
        sutton_chair = make_member(sutton, SUTTON_CHAIR, Role.CHAIR)
        devices = {
            "chair": TOTPDevice.objects.get(user=chair, confirmed=True),
            "member": TOTPDevice.objects.get(user=member, confirmed=True),
            "sutton_chair": TOTPDevice.objects.get(user=sutton_chair, confirmed=True),
        }
        devices["sutton_only"] = sutton_only.uuid
    yield reference, devices
    with django_db_blocker.unblock():
        JointReviewGrant.objects.filter(lead=sutton).delete()


@pytest.fixture
def second_page(chromium, django_db_blocker) -> Page:
    from django.contrib.sessions.models import Session

    context = chromium.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    keys = {c["value"] for c in context.cookies() if c["name"] == "sessionid"}
    context.close()
    with django_db_blocker.unblock():
        Session.objects.filter(session_key__in=keys).delete()


third_page = second_page


def _htmx_post(page: Page, button, path_end: str):
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(path_end)
    ) as info:
        button.click()
    assert info.value.request.headers.get("hx-request") == "true"
    assert info.value.status == 200, info.value.status


def _tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Review sections").get_by_role(
        "link", name=name, exact=True
    ).click()
    expect(page.get_by_role("heading", level=2).first).to_be_visible()


def test_sutton_and_bromley_hold_a_review_together_until_sutton_ends_it(
    page, second_page, third_page, browser_world, sutton_manager, joint_journey
):
    world = browser_world
    reference, devices = joint_journey
    chair_page, member_page = second_page, third_page

    # --- Sutton's business manager invites Bromley ------------------------------------------
    sign_in(page, world.url("sutton"), sutton_manager.user.email)
    enter_code(page, totp_code(sutton_manager.device))
    page.goto(world.url("sutton", f"/case-reviews/{reference}/"))
    joint = page.locator("#joint")
    expect(joint).to_contain_text("holds this review alone")
    check_accessibility(page, "joint: review overview before inviting")
    joint.get_by_label("Partnership", exact=True).select_option(
        label="Bromley Safeguarding Children Partnership"
    )
    _htmx_post(page, joint.get_by_role("button", name="Invite the partnership"), "/joint/invite/")
    expect(page.locator("#joint")).to_contain_text("is invited to the review")
    expect(page.locator("#joint-parts")).to_contain_text("Invited")
    check_accessibility(page, "joint: Bromley invited")

    # --- Bromley's chair accepts on bromley's host, and signs the report off ----------------
    sign_in(chair_page, world.url("bromley"), CHAIR)
    enter_code(chair_page, totp_code(devices["chair"]))
    expect(chair_page.locator("#invitations-waiting")).to_contain_text("1 invitation")
    check_accessibility(chair_page, "joint: Bromley's dashboard with an invitation")
    chair_page.locator("#invitations-waiting").get_by_role("link").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Joint review invitations")
    expect(chair_page.locator("#received + p + .govuk-summary-card")).to_contain_text(TITLE)
    check_accessibility(chair_page, "joint: invitations received")
    chair_page.get_by_role("button", name=re.compile("^Accept")).click()
    expect(chair_page.locator("#joint-banner")).to_contain_text(
        "A joint review led by Sutton Safeguarding Children Partnership"
    )
    assert "/joint-reviews/" in chair_page.url and chair_page.url.startswith(world.url("bromley"))
    check_accessibility(chair_page, "joint: the review from bromley's host")
    sign_off = chair_page.locator("#sign_off")
    sign_off.get_by_label("Your chair's statement (optional)").fill(
        "Bromley welcomes the review and will act on it."
    )
    _htmx_post(
        chair_page,
        sign_off.get_by_role("button", name="Sign the report off for your partnership"),
        "/sign-off/",
    )
    expect(chair_page.locator("#sign-offs [data-sign-off='bromley']")).to_contain_text(CHAIR)
    check_accessibility(chair_page, "joint: Bromley's chair signed off")

    # --- A Bromley member works on it from bromley's host ------------------------------------
    sign_in(member_page, world.url("bromley"), MEMBER)
    enter_code(member_page, totp_code(devices["member"]))
    member_page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Reviews", exact=True
    ).click()
    member_page.locator("#joint-link").get_by_role(
        "link", name="Joint reviews other partnerships lead"
    ).click()
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Joint reviews")
    check_accessibility(member_page, "joint: Bromley's joint review list")
    member_page.locator("#joint-reviews").get_by_role("link", name=reference).click()
    _tab(member_page, "Chronology")
    expect(member_page.locator("#chronology")).to_contain_text(SUTTON_ENTRY)
    check_accessibility(member_page, "joint: chronology through the door")
    add = member_page.locator("#add")
    add.get_by_text("Add an entry").click()
    agency = add.get_by_label("Agency", exact=True)
    # Bromley names only its own agencies.
    expect(agency.locator("option")).to_have_text(
        [
            "Choose an agency",
            "Bromley Children's Services (Bromley)",
            "Bromley Secret Agency (Bromley)",
        ]
    )
    add.get_by_label("Date", exact=True).fill((today() - datetime.timedelta(days=60)).isoformat())
    agency.select_option(label="Bromley Children's Services (Bromley)")
    add.get_by_label("What happened").fill(BROMLEY_ENTRY)
    add.get_by_label("Who", exact=True).fill("duty social worker")
    _htmx_post(member_page, add.get_by_role("button", name="Add the entry"), "/chronology/entries/")
    expect(member_page.locator("#chronology")).to_contain_text(BROMLEY_ENTRY)
    check_accessibility(member_page, "joint: Bromley's entry added")

    _tab(member_page, "Action plan")
    plan = member_page.locator("#plan")
    plan.get_by_label("Recommendation", exact=True).select_option(label="Recommendation 1")
    plan.get_by_label("Action", exact=True).fill(BROMLEY_ACTION)
    plan.get_by_label("Owner").select_option(label="Bromley Children's Services (Bromley)")
    plan.get_by_label("Due date").fill((today() + datetime.timedelta(days=60)).isoformat())
    _htmx_post(member_page, plan.get_by_role("button", name="Add the action"), "/actions/new/")
    expect(member_page.locator("#recommendation-1")).to_contain_text("transfer-in letter")
    check_accessibility(member_page, "joint: Bromley's action added")
    member_page.get_by_role("navigation", name="Menu").get_by_role("link", name="Actions").click()
    expect(member_page.locator("#joint-actions")).to_contain_text("transfer-in letter")
    check_accessibility(member_page, "joint: Bromley's own tracker")
    # Nothing else of Sutton's: its own review is not listed, nor reachable through the door.
    member_page.goto(world.url("bromley", "/joint-reviews/"))
    expect(member_page.locator("main")).not_to_contain_text(SUTTON_ONLY)
    member_page.goto(world.url("bromley", f"/joint-reviews/{devices['sutton_only']}/"))
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert SUTTON_ONLY not in member_page.content()

    # --- Sutton adds its part from sutton's host and sees Bromley's --------------------------
    page.goto(world.url("sutton", f"/case-reviews/{reference}/chronology/"))
    expect(page.locator("#chronology")).to_contain_text(BROMLEY_ENTRY)
    expect(page.locator("#chronology")).to_contain_text("Bromley Children's Services (Bromley)")
    check_accessibility(page, "joint: Sutton's chronology with Bromley's entry")
    add = page.locator("#add")
    add.get_by_text("Add an entry").click()
    add.get_by_label("Date", exact=True).fill((today() - datetime.timedelta(days=45)).isoformat())
    add.get_by_label("Agency", exact=True).select_option(label=world.sutton_agency_name)
    add.get_by_label("What happened").fill(SUTTON_LIVE_ENTRY)
    add.get_by_label("Who", exact=True).fill("police officer")
    _htmx_post(page, add.get_by_role("button", name="Add the entry"), "/chronology/entries/")
    expect(page.locator("#chronology")).to_contain_text(SUTTON_LIVE_ENTRY)
    check_accessibility(page, "joint: Sutton's entry added")
    _tab(page, "Action plan")
    expect(page.locator("#recommendation-1")).to_contain_text(BROMLEY_ACTION)
    plan = page.locator("#plan")
    plan.get_by_label("Recommendation", exact=True).select_option(label="Recommendation 1")
    plan.get_by_label("Action", exact=True).fill(SUTTON_ACTION)
    plan.get_by_label("Owner").select_option(label=world.sutton_agency_name)
    plan.get_by_label("Due date").fill((today() + datetime.timedelta(days=45)).isoformat())
    _htmx_post(page, plan.get_by_role("button", name="Add the action"), "/actions/new/")
    expect(page.locator("#recommendation-1")).to_contain_text("move out of the borough")
    check_accessibility(page, "joint: Sutton's action added")
    # The lead tracks every action of the review, its own with the participant's.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Actions").click()
    expect(page.locator("main")).to_contain_text(SUTTON_ACTION)
    check_accessibility(page, "joint: Sutton's tracker")

    # --- Bromley sees Sutton's new entry; its tracker holds its own action only ---------------
    member_page.goto(world.url("bromley", "/actions/"))
    expect(member_page.locator("#joint-actions")).to_contain_text(BROMLEY_ACTION)
    expect(member_page.locator("main")).not_to_contain_text(SUTTON_ACTION)
    member_page.goto(world.url("bromley", "/joint-reviews/"))
    member_page.locator("#joint-reviews").get_by_role("link", name=reference).click()
    _tab(member_page, "Chronology")  # left open while Sutton ends the joint review
    expect(member_page.locator("#chronology")).to_contain_text(SUTTON_LIVE_ENTRY)

    # --- Sutton's chair signs off for the lead and ends the joint review ---------------------
    sign_out(page)
    sign_in(page, world.url("sutton"), SUTTON_CHAIR)
    enter_code(page, totp_code(devices["sutton_chair"]))
    page.goto(world.url("sutton", f"/case-reviews/{reference}/"))
    expect(page.locator("#sign-offs [data-sign-off='bromley']")).to_contain_text(CHAIR)
    expect(page.locator("#sign-offs [data-sign-off='sutton']")).to_contain_text("Not yet")
    _htmx_post(
        page,
        page.locator("#sign_off").get_by_role("button", name="Sign the report off"),
        "/sign-off/",
    )
    expect(page.locator("#sign-offs [data-sign-off='sutton']")).to_contain_text(SUTTON_CHAIR)
    check_accessibility(page, "joint: both chairs signed off")
    joint = page.locator("#joint")
    joint.locator(".govuk-details__summary", has_text="End the joint review").click()
    joint.get_by_label("Why does it end?").fill("Bromley's part is complete.")
    _htmx_post(page, joint.get_by_role("button", name="End the joint review"), "/joint/end/")
    expect(page.locator("#joint-parts")).to_contain_text("Ended")
    check_accessibility(page, "joint: ended")

    # --- Bromley's page, still open: its next htmx request is refused ------------------------
    with member_page.expect_response(
        lambda r: "/chronology/" in r.url and r.request.headers.get("hx-request") == "true"
    ) as info:
        member_page.locator("#chronology-filters").get_by_label("Agency").select_option(index=1)
    assert info.value.status == 404
    member_page.reload()
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert BROMLEY_ENTRY not in member_page.content()
