"""A review's journey in the browser, from the chair's decision to review a referral: the business
manager appoints a lead reviewer (a conflicted one is blocked), asks two agencies for
information — one answers on the web, the other's system through the API — adds a chronology
entry inline with htmx, a finding it supports, a recommendation and an action; the agency's user
posts progress with evidence and the business manager (the review group) verifies it. The
manager and the agency user each have a browser of their own. Every page is checked with axe."""

import datetime
import json
import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from casework import services as casework_services
from casework import services as review_services
from casework.models import ActionStatus, ActionUpdate, Review
from tenants.actors import actor_for_member, actor_for_platform
from tenants.agencies.services import api_key_issue
from tenants.clock import today
from tenants.models import Membership, Role, User
from tests.browser.conftest import check_accessibility, enter_code, sign_in
from tests.support.clients import totp_code
from tests.support.referrals import walk_to_decision
from tests.support.world import inside, make_agency, make_member

REVIEW_TITLE = "Adolescents at risk of exploitation: thematic review"
CONFLICTED = ("connie.conflicted@sutton.example", "Connie Conflicted")
INDEPENDENT = ("ivy.independent@sutton.example", "Ivy Independent")
OTHER_AGENCY = "Sutton Health Visiting"
CHAIR_EMAIL = "cleo.chair@sutton.example"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def sutton_review(browser_world, django_db_blocker):
    """A thematic review in Sutton with the police involved, and two lead reviewers with
    declared affiliations: one worked for the police until last year. Committed for the module;
    the casework goes when browser_world drops Sutton's schema, the people here."""
    sutton = browser_world.sutton
    emails = [CONFLICTED[0], INDEPENDENT[0], CHAIR_EMAIL]
    with django_db_blocker.unblock():
        police = make_agency(sutton, browser_world.sutton_agency_name)
        health = make_agency(sutton, OTHER_AGENCY)
        manager = Membership.objects.select_related("user", "partnership").get(
            user=browser_world.new_manager, partnership=sutton
        )
        reviewers = []
        for email, name in (CONFLICTED, INDEPENDENT):
            user = make_member(sutton, email, Role.LEAD_REVIEWER)
            User.objects.filter(pk=user.pk).update(full_name=name)
            reviewers.append(user)
        chair = make_member(sutton, CHAIR_EMAIL, Role.CHAIR)
        referrer = Membership.objects.select_related("user", "partnership").get(
            user=browser_world.agency_user, partnership=sutton
        )
        with inside(sutton):
            actor = actor_for_member(membership=manager)
            # The referral the chair decided to review (the referrals journey shows those steps).
            referral = casework_services.referral_create(
                actor=actor_for_member(membership=referrer),
                incident_date=today() - datetime.timedelta(days=40),
                aware_date=today() - datetime.timedelta(days=38),
                harm="serious_harm",
                abuse_or_neglect="suspected",
                children=[
                    casework_services.ChildInput(
                        given_name="Tayo",
                        family_name="Adeyemi",
                        date_of_birth=today().replace(year=today().year - 15),
                        sex="male",
                    )
                ],
                summary="Missing for three days; found injured.",
                agencies_involved=[OTHER_AGENCY],
            )
            walk_to_decision(
                referral,
                group=actor,
                manager=actor,
                notified_on=today() - datetime.timedelta(days=37),
                sent_on=today() - datetime.timedelta(days=20),
                answered_on=today() - datetime.timedelta(days=12),
            )
            casework_services.decision_record(
                actor=actor_for_member(
                    membership=Membership.objects.select_related("user", "partnership").get(
                        user=chair, partnership=sutton
                    )
                ),
                referral=referral,
                outcome="lcspr",
                rationale="Serious harm; abuse suspected; learning about missing episodes.",
                decided_on=today() - datetime.timedelta(days=10),
            )
            review = Review.objects.get(referral=referral)
            _, api_key = api_key_issue(
                actor=actor_for_platform(partnership=sutton, label="test"),
                agency=health,
                name="health visiting system",
            )
            affiliations = {
                CONFLICTED[0]: [
                    review_services.AffiliationInput(
                        police.name,
                        today().replace(year=today().year - 4),
                        today().replace(year=today().year - 1),
                    )
                ],
                INDEPENDENT[0]: [
                    review_services.AffiliationInput(
                        "Kent County Council", datetime.date(2012, 1, 1)
                    )
                ],
            }
            for user, (email, name) in zip(reviewers, (CONFLICTED, INDEPENDENT), strict=True):
                review_services.reviewer_profile_save(
                    actor=actor,
                    user_uuid=user.uuid,
                    name=name,
                    organisation="Independent",
                    affiliations=affiliations[email],
                )
            reference = review.reference
    yield reference, api_key
    with django_db_blocker.unblock():
        with inside(sutton):
            for update in ActionUpdate.objects.exclude(evidence=""):
                update.evidence.delete(save=False)
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__in=emails).delete()
        User.objects.filter(email__in=emails).delete()


@pytest.fixture
def agency_page(chromium, django_db_blocker) -> Page:
    """A second browser, for the agency's user, alongside the manager's."""
    from django.contrib.sessions.models import Session

    context = chromium.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    session_keys = {c["value"] for c in context.cookies() if c["name"] == "sessionid"}
    context.close()
    with django_db_blocker.unblock():
        Session.objects.filter(session_key__in=session_keys).delete()


def _htmx_post(page: Page, button, path_end: str):
    """Click a section's button and wait for its htmx POST; the page must not reload."""
    page.evaluate("window.__samePage = 'yes'")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(path_end)
    ) as info:
        button.click()
    response = info.value
    assert response.request.headers.get("hx-request") == "true"
    assert response.status == 200
    return response


def _api(world, key: str, method: str, path: str, body: dict | None = None) -> dict:
    """An agency's system calling the live server (urllib does not resolve *.localhost)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{world.port}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Host": f"sutton.localhost:{world.port}",
            "Authorization": f"Api-Key {key}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _tab(page: Page, name: str) -> None:
    tabs = page.get_by_role("navigation", name="Review sections")
    tabs.get_by_role("link", name=name, exact=True).click()
    expect(tabs.get_by_role("link", name=name, exact=True)).to_have_attribute(
        "aria-current", "page"
    )


def test_a_review_from_appointment_to_a_verified_action(
    page, agency_page, browser_world, sutton_manager, sutton_review, django_db_blocker
):
    world = browser_world
    reference, api_key = sutton_review
    police = world.sutton_agency_name

    # --- The business manager appoints a lead reviewer ------------------------------------------
    sign_in(page, world.url("sutton"), sutton_manager.user.email)
    enter_code(page, totp_code(sutton_manager.device))
    expect(page).to_have_url(world.url("sutton", "/dashboard/"))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews")
    check_accessibility(page, "reviews: list")
    page.locator("#reviews").get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review {reference}")
    check_accessibility(page, "review: overview")

    reviewers = page.locator("#reviewers")
    reviewers.locator("#id_check-reviewer").select_option(
        label=f"{CONFLICTED[1]} ({CONFLICTED[0]})"
    )
    _htmx_post(
        page, reviewers.get_by_role("button", name="Check independence"), "/reviewers/check/"
    )
    expect(reviewers.locator("#conflicts")).to_contain_text(f"{CONFLICTED[1]} worked for {police}")
    expect(reviewers.locator("#conflicts")).to_contain_text(
        "Only the chair can appoint them anyway"
    )
    expect(reviewers.get_by_role("button", name=re.compile("^Appoint"))).to_have_count(0)
    check_accessibility(page, "review: a conflicted reviewer blocked")

    reviewers.locator("#id_check-reviewer").select_option(
        label=f"{INDEPENDENT[1]} ({INDEPENDENT[0]})"
    )
    _htmx_post(
        page, reviewers.get_by_role("button", name="Check independence"), "/reviewers/check/"
    )
    expect(reviewers.locator("#no-conflicts")).to_contain_text("Independent")
    _htmx_post(page, reviewers.get_by_role("button", name="Appoint the reviewer"), "/reviewers/")
    expect(reviewers.locator("#appointments")).to_contain_text(INDEPENDENT[1])
    assert page.evaluate("window.__samePage") == "yes"
    check_accessibility(page, "review: reviewer appointed")

    # --- Information from the police, answered on the web by its user ---------------------------
    _tab(page, "Information requests")
    requests = page.locator("#requests")
    requests.get_by_label("Agency", exact=True).select_option(label=police)
    requests.get_by_label("A chronology of the agency's involvement").check()
    requests.get_by_label("Details (optional)").fill("Every contact with the young people named.")
    _htmx_post(page, requests.get_by_role("button", name="Send the request"), "/information/new/")
    expect(requests.locator("#information-requests tbody tr")).to_contain_text(["Waiting"])
    check_accessibility(page, "review: information requested")

    sign_in(agency_page, world.url("sutton"), world.agency_user.email)
    expect(agency_page).to_have_url(world.url("sutton", "/dashboard/"))
    agency_page.locator("#information-requests").get_by_role(
        "link", name=re.compile(reference)
    ).click()
    expect(agency_page.get_by_role("heading", level=1)).to_have_text(
        f"Information request to {police}"
    )
    check_accessibility(agency_page, "information request (agency)")
    agency_page.get_by_label("Your agency's answer").fill(
        "Four contacts between March and June, listed."
    )
    agency_page.get_by_role("button", name="Send your answer").click()
    expect(agency_page.locator("#request-status")).to_have_text("Answered")
    check_accessibility(agency_page, "information request answered (agency)")

    page.reload()
    expect(requests.locator("#information-requests tbody tr")).to_contain_text(["Answered"])

    # --- Information from health visiting, answered by its system through the API -------------
    requests.get_by_label("Agency", exact=True).select_option(label=OTHER_AGENCY)
    requests.get_by_label("A single-agency report").check()
    _htmx_post(page, requests.get_by_role("button", name="Send the request"), "/information/new/")
    expect(requests.locator("#information-requests tbody tr")).to_have_count(2)
    listed = _api(world, api_key, "GET", "/api/v1/information-requests/")
    (asked,) = listed["results"]
    assert asked["review"]["reference"] == reference
    answer = _api(
        world,
        api_key,
        "POST",
        f"/api/v1/information-requests/{asked['id']}/responses/",
        {"text": "Single-agency report: eleven contacts, two missed appointments."},
    )
    assert answer["id"]
    page.reload()
    expect(requests.locator("#information-requests tbody tr")).to_contain_text(
        ["Answered", "Answered"]
    )
    check_accessibility(page, "review: both requests answered")

    # --- The chronology: an entry added inline with htmx ---------------------------------------
    _tab(page, "Chronology")
    check_accessibility(page, "review: chronology, empty")
    add = page.locator("#add")
    add.get_by_text("Add an entry").click()
    add.get_by_label("Date", exact=True).fill((today() - datetime.timedelta(days=30)).isoformat())
    add.get_by_label("Agency", exact=True).select_option(label=police)
    add.get_by_label("What happened").fill("Missing episode reported; return interview not held.")
    add.get_by_label("Who", exact=True).fill("police officer")
    add.get_by_label("A key practice episode").check()
    _htmx_post(page, add.get_by_role("button", name="Add the entry"), "/chronology/entries/")
    expect(page.locator("#add")).to_contain_text("Entry added for")
    rows = page.locator("#chronology tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("return interview not held")
    expect(rows.first).to_contain_text("Key practice episode")
    assert page.evaluate("window.__samePage") == "yes"
    check_accessibility(page, "review: chronology entry added")

    # A correction, inline: it replaces the entry and shows what it was.
    with page.expect_response(lambda r: r.url.endswith("/correct/")):
        rows.first.get_by_role("link", name=re.compile("^Correct")).click()
    rows.first.get_by_label("What happened").fill(
        "Missing episode reported; return interview held late."
    )
    check_accessibility(page, "review: chronology entry being corrected")
    _htmx_post(page, rows.first.get_by_role("button", name="Save the correction"), "/correct/")
    expect(rows.first).to_contain_text("return interview held late")
    expect(rows.first.locator(".corrected")).to_contain_text("return interview not held")
    page.get_by_role("link", name="Printable page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Multi-agency chronology")
    expect(page.locator("#chronology tbody tr")).to_contain_text(["held late"])
    check_accessibility(page, "review: chronology, printable page")
    page.go_back()

    # --- A finding the entry supports, a recommendation, then an action owned by the police ---
    _tab(page, "Findings and recommendations")
    findings = page.locator("#findings")
    findings.get_by_label("Finding", exact=True).fill(
        "Return interviews were not held, so the pattern of missing episodes went unseen."
    )
    findings.get_by_label(re.compile("return interview held late")).check()
    _htmx_post(page, findings.get_by_role("button", name="Add the finding"), "/findings/new/")
    expect(page.locator("#finding-1")).to_contain_text("pattern of missing episodes")
    expect(page.locator("#finding-1")).to_contain_text("return interview held late")
    check_accessibility(page, "review: finding added")
    recommendations = page.locator("#recommendations")
    recommendations.get_by_label("Recommendation", exact=True).fill(
        "Return interviews are held within 72 hours of every missing episode."
    )
    recommendations.get_by_label(police).check()
    _htmx_post(
        page,
        recommendations.get_by_role("button", name="Add the recommendation"),
        "/recommendations/new/",
    )
    expect(page.locator("#recommendation-1")).to_contain_text("Return interviews are held")
    check_accessibility(page, "review: recommendation added")

    _tab(page, "Action plan")
    plan = page.locator("#plan")
    plan.get_by_label("Recommendation", exact=True).select_option(label="Recommendation 1")
    plan.get_by_label("Action", exact=True).fill("Audit return interviews monthly")
    plan.get_by_label("Owner").select_option(label=police)
    plan.get_by_label("Due date").fill((today() + datetime.timedelta(days=90)).isoformat())
    _htmx_post(page, plan.get_by_role("button", name="Add the action"), "/actions/new/")
    action_row = page.locator("#recommendation-1 tbody tr")
    expect(action_row).to_contain_text("Audit return interviews monthly")
    expect(action_row).to_contain_text("Not started")
    check_accessibility(page, "review: action added")

    # --- The police user posts progress with evidence -----------------------------------------
    agency_page.get_by_role("navigation", name="Menu").get_by_role("link", name="Actions").click()
    expect(agency_page.get_by_role("heading", level=1)).to_have_text("Actions")
    check_accessibility(agency_page, "actions (agency)")
    agency_page.locator("#actions").get_by_role(
        "link", name="Audit return interviews monthly"
    ).click()
    check_accessibility(agency_page, "action (agency)")
    agency_page.get_by_label("Complete", exact=True).check()
    agency_page.get_by_label("Progress", exact=True).fill("Audits since September attached.")
    agency_page.get_by_label("Evidence (optional)").set_input_files(
        files=[{"name": "audit.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    agency_page.get_by_role("button", name="Send the update").click()
    expect(agency_page.locator("#action-status")).to_contain_text("Complete")
    expect(agency_page.locator("#updates")).to_contain_text("Evidence: audit.pdf")
    check_accessibility(agency_page, "action updated (agency)")

    # --- The review group verifies it ----------------------------------------------------------
    page.reload()
    expect(action_row).to_contain_text("Complete")
    action_row.get_by_role("link", name="Audit return interviews monthly").click()
    expect(page.locator("#updates")).to_contain_text("Audits since September attached.")
    page.get_by_role("button", name="Verify the action").click()
    expect(page.locator("#action-status")).to_contain_text("Verified")
    check_accessibility(page, "action verified")

    # The tabs not yet visited.
    page.get_by_role("link", name=f"Review {reference}'s action plan").click()
    _tab(page, "Terms of reference")
    check_accessibility(page, "review: terms of reference")
    _tab(page, "Documents")
    check_accessibility(page, "review: documents")

    with django_db_blocker.unblock(), inside(world.sutton):
        review = Review.objects.get(reference=reference)
        assert review.appointments.get().profile.name == INDEPENDENT[1]
        action = review.actions.get()
        assert action.status == ActionStatus.VERIFIED
        assert action.updates.get().evidence_name == "audit.pdf"
