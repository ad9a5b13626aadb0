"""Publishing in the browser: the business manager publishes a completed review through the
anonymisation gate (a planted child's name blocks it until a corrected report is uploaded); it
appears on the partnership's public page and in the national library, and a joint review on both
partners' pages; with the clock moved past 12 months its documents stop being served and a
member of the public asks for a copy, which the business manager approves and the link then
delivers, once. Every page is checked with axe."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from casework import services as referral_services
from casework.models import Review
from publishing import services as publishing_services
from publishing.library.models import LibraryRecord
from publishing.models import Publication, PublicationDocument
from tenants.actors import actor_for_member, actor_for_platform
from tenants.clock import now, today
from tenants.files import UploadedFile
from tenants.models import Membership, Role
from tests.browser.conftest import check_accessibility, enter_code, sign_in
from tests.support.clients import totp_code
from tests.support.documents import pdf
from tests.support.referrals import walk_to_decision
from tests.support.world import inside, make_member

CHILD = ("Tilly", "Marchbank")
REVIEW_TITLE = "Practice review after a toddler's injuries"
JOINT_TITLE = "Children D and E"
DIRTY = f"The review found that {CHILD[0]} {CHILD[1]}'s bruises were not explained."
CLEAN = "The review found that Child T's bruises were not explained. Agencies did not share."


@pytest.fixture(scope="module")
def sutton_publishing(browser_world, django_db_blocker):
    """A completed review of Sutton's (the child's real name in its case record), and a joint
    review of Sutton and Bromley already published. Committed; the library's records for the
    two partnerships go at the end (their schemas go with browser_world)."""
    sutton, bromley = browser_world.sutton, browser_world.bromley
    with django_db_blocker.unblock():
        agency_user = Membership.objects.select_related("user", "partnership").get(
            user=browser_world.agency_user, partnership=sutton
        )
        chair_user = make_member(sutton, "chair.publishing@sutton.example", Role.CHAIR)
        chair = Membership.objects.select_related("user", "partnership").get(
            user=chair_user, partnership=sutton
        )
        with inside(sutton):
            referral = referral_services.referral_create(
                actor=actor_for_member(membership=agency_user),
                incident_date=datetime.date(2026, 3, 2),
                aware_date=datetime.date(2026, 3, 3),
                harm="serious_harm",
                abuse_or_neglect="suspected",
                children=[
                    referral_services.ChildInput(*CHILD, datetime.date(2024, 5, 9), "female")
                ],
                summary="A toddler was brought to hospital with bruising.",
            )
            manager = Membership.objects.select_related("user", "partnership").get(
                user=browser_world.new_manager, partnership=sutton
            )
            walk_to_decision(
                referral,
                group=actor_for_member(membership=manager),
                manager=actor_for_member(membership=manager),
                notified_on=datetime.date(2026, 3, 4),
                sent_on=datetime.date(2026, 3, 6),
                answered_on=datetime.date(2026, 3, 9),
            )
            referral_services.decision_record(
                actor=actor_for_member(membership=chair),
                referral=referral,
                outcome="lcspr",
                rationale="Learning about bruising in babies.",
                decided_on=datetime.date(2026, 3, 10),
            )
            review = Review.objects.get(referral=referral)
            Review.objects.filter(pk=review.pk).update(stage="completed", title=REVIEW_TITLE)
            platform = actor_for_platform(partnership=sutton, label="browser test")
            joint = publishing_services.publication_enter_directly(
                actor=platform,
                title=JOINT_TITLE,
                review_type="serious_case_review",
                published_on=datetime.date(2016, 5, 4),
                partnerships=[{"key": "sutton"}, {"key": "bromley"}],
            )
            publishing_services.document_upload(
                actor=platform,
                publication=joint,
                kind="full_report",
                upload=UploadedFile("joint.pdf", pdf(CLEAN)),
            )
            joint.refresh_from_db()
            publishing_services.publication_record_as_published(
                actor=platform, publication=joint, online=True
            )
            reference = review.reference
    yield reference
    with django_db_blocker.unblock():
        with inside(sutton):
            for publication in Publication.objects.all():
                for document in publication.documents.all():
                    document.file.delete(save=False)
        LibraryRecord.objects.filter(partnership_keys__overlap=[sutton.key, bromley.key]).delete()


def _upload(page: Page, kind: str, name: str, content: bytes) -> None:
    gate = page.locator("#gate")
    gate.get_by_label("Which document").select_option(label=kind)
    gate.get_by_label("File").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
    )
    gate.get_by_role("button", name="Upload").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The document is uploaded")


def test_a_review_is_published_through_the_gate_and_reaches_the_library(
    page,
    chromium,
    browser_world,
    sutton_manager,
    sutton_publishing,
    django_db_blocker,
    clock,
):
    world = browser_world
    sign_in(page, world.url("sutton"), sutton_manager.user.email)
    enter_code(page, totp_code(sutton_manager.device))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Publications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publications")
    check_accessibility(page, "publications: list")

    # --- Start it from the completed review, write its public record ---------------------------
    page.get_by_label("Completed review").select_option(
        label=f"{sutton_publishing}: {REVIEW_TITLE}"
    )
    page.get_by_role("button", name="Start the publication").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("A publication without a title")
    check_accessibility(page, "publication: started")
    record = page.locator("#record")
    record.get_by_label("Title as the public will know it").fill('Child "T"')
    record.get_by_label("Pseudonyms").fill("Child T")
    record.get_by_label("Public summary").fill(
        "A toddler was brought to hospital with bruising nobody had explained."
    )
    record.get_by_label("Non-accidental injury").check()
    record.get_by_role("button", name="Save the public record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text('Child "T"')

    # --- A report with the child's real name: blocked ------------------------------------------
    _upload(page, "Full report", "report.pdf", pdf("Introduction.", DIRTY))
    card = page.locator("#check-full_report")
    expect(card).to_contain_text("To resolve")
    expect(card.locator("mark")).to_have_text(f"{CHILD[0]} {CHILD[1]}")
    expect(card).to_contain_text("page 2")
    check_accessibility(page, "publication: the gate found a name")

    page.locator("#publishing").get_by_role("button", name="Publish now").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("possible identifier")

    # --- Fixed in a new upload; the notice sent; published ------------------------------------
    _upload(page, "Full report", "report-v2.pdf", pdf("Introduction.", CLEAN))
    expect(page.locator("#check-full_report")).to_contain_text("Passed")
    expect(page.locator("#publication-state")).to_have_text("Ready to publish")
    # The report went up weeks ago (a notice cannot be dated before the report it sends).
    with django_db_blocker.unblock(), inside(world.sutton):
        PublicationDocument.objects.filter(publication__title='Child "T"').update(
            uploaded_at=now() - datetime.timedelta(days=25)
        )
    sent = (today() - datetime.timedelta(days=20)).isoformat()
    publishing = page.locator("#publishing")
    publishing.get_by_label("Sent to the Child Safeguarding Practice Review Panel").fill(sent)
    publishing.get_by_label("Sent to the Secretary of State (Department for Education)").fill(sent)
    publishing.get_by_label("Sent to Ofsted").fill(sent)
    publishing.get_by_role("button", name="Save the notice dates").click()
    expect(page.locator("#earliest")).to_contain_text("Earliest publication date")
    check_accessibility(page, "publication: ready, with the notice")
    page.locator("#publishing").get_by_role("button", name="Publish now").click()
    expect(page.locator("#publication-state")).to_have_text("Published")
    check_accessibility(page, "publication: published")

    # --- The public sees it on Sutton's page and in the library --------------------------------
    public = chromium.new_context(locale="en-GB").new_page()
    public.goto(world.url("sutton", "/reviews/"))
    listed = public.locator("#published-reviews")
    expect(listed).to_contain_text('Child "T"')
    expect(listed).to_contain_text(JOINT_TITLE)
    expect(listed).not_to_contain_text(CHILD[1])
    check_accessibility(public, "public: the partnership's reviews")
    listed.get_by_role("link", name='Child "T"').click()
    expect(public.get_by_role("heading", level=1)).to_have_text('Child "T"')
    expect(public.locator("#review-themes")).to_contain_text("Non-accidental injury")
    check_accessibility(public, "public: a review")
    report = public.locator("#review-documents").get_by_role("link", name="Full report")
    report_url = report.get_attribute("href")
    # Fetched by the page itself (the browser resolves *.localhost; Playwright's own client not).
    status, kind = public.evaluate(
        "async url => { const r = await fetch(url);"
        " return [r.status, r.headers.get('content-type')]; }",
        report_url,
    )
    assert (status, kind) == (200, "application/pdf")

    # The joint review is on Bromley's page too, its documents on Sutton's host.
    public.goto(world.url("bromley", "/reviews/"))
    expect(public.locator("#published-reviews")).to_contain_text(JOINT_TITLE)
    expect(public.locator("#published-reviews")).not_to_contain_text('Child "T"')
    public.get_by_role("link", name=JOINT_TITLE).click()
    expect(public.locator("#review-partnerships")).to_contain_text(world.sutton.name)
    expect(public.locator("#review-partnerships")).to_contain_text(world.bromley.name)
    href = public.locator("#review-documents").get_by_role("link").first.get_attribute("href")
    assert href.startswith(world.url("sutton", "/reviews/"))
    check_accessibility(public, "public: a joint review on the participant's page")

    public.goto(world.platform + "/library/")
    check_accessibility(public, "library: search")
    public.get_by_label("Search the reviews").fill("bruising")
    public.get_by_role("button", name="Search").click()
    results = public.locator("#results")
    expect(results).to_contain_text('Child "T"')
    expect(public.locator("#results-count")).to_contain_text("1 review")
    check_accessibility(public, "library: results")
    results.get_by_role("link", name='Child "T"').click()
    expect(public.get_by_role("heading", level=1)).to_have_text('Child "T"')
    check_accessibility(public, "library: a publication")
    public.get_by_role("link", name=re.compile("on Sutton")).click()
    expect(public).to_have_url(re.compile(r"sutton\.localhost:\d+/reviews/"))

    # --- 13 months later: documents are no longer served; a copy is asked for ----------------
    # The daily job runs 400 days on (the platform's one clock, moved for it alone); the pages
    # that follow are read today, so the people's sessions stay signed in.
    clock.today(today() + datetime.timedelta(days=400))
    with django_db_blocker.unblock(), inside(world.sutton):
        done = publishing_services.publications_daily(
            actor=actor_for_platform(partnership=world.sutton, label="daily publications")
        )
    clock.stop()
    assert done["on_request"] == 1
    public.goto(world.url("sutton", report_url))
    expect(public.get_by_role("heading", level=1)).to_have_text(
        "This document is available on request"
    )
    check_accessibility(public, "public: a document no longer online")
    public.get_by_role("link", name="Ask for a copy").click()
    check_accessibility(public, "public: request a copy")
    public.get_by_role("button", name="Send the request").click()
    expect(public.locator(".govuk-error-summary")).to_contain_text("Enter your name")
    check_accessibility(public, "public: request a copy, with errors")
    public.get_by_label("Your name").fill("Rae Searcher")
    public.get_by_label("Your email address").fill("rae@university.example")
    public.get_by_label("Why would you like a copy?").fill("Research on bruising in infants")
    public.get_by_role("button", name="Send the request").click()
    expect(public.locator(".govuk-panel__title")).to_have_text("Request sent")
    check_accessibility(public, "public: request sent")

    page.goto(world.url("sutton", "/publications/copy-requests/"))
    check_accessibility(page, "copy requests")
    page.locator("#copy-requests").get_by_role("link").first.click()
    expect(page.locator("#copy-request")).to_contain_text("Rae Searcher")
    check_accessibility(page, "copy request")
    page.get_by_label("Approve: email a link to the document").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approved")

    email = next(m for m in reversed(mail.outbox) if m.to == ["rae@university.example"])
    # The email's link is on the configured host; the live server listens on a port of its own.
    link = world.url("sutton", re.search(r"/reviews/copies/\S+/", email.body).group())
    public.goto(link)
    check_accessibility(public, "public: a copy's link")
    with public.expect_download() as download:
        public.get_by_role("button", name=re.compile("^Download")).click()
    assert download.value.suggested_filename == "full-report.pdf"
    public.goto(link)
    expect(public.get_by_role("heading", level=1)).to_have_text("This link has been used")
    expect(public.get_by_role("button", name=re.compile("^Download"))).to_have_count(0)
    check_accessibility(public, "public: a used link")
    public.context.close()


def test_a_finished_gate_run_refreshes_its_panel_and_keeps_what_is_typed_elsewhere(
    page, chromium, browser_world, sutton_manager, django_db_blocker
):
    """While the gate works the page polls the run; when it is done, the gate's panel is
    swapped in place (and the state beside the title), not the whole page: a title being typed
    in the public record's form is still there."""
    world = browser_world
    with django_db_blocker.unblock(), inside(world.sutton):
        platform = actor_for_platform(partnership=world.sutton, label="test")
        publication = publishing_services.publication_enter_directly(
            actor=platform, title="Child P", review_type="lcspr", published_on=today()
        )
        publishing_services.document_upload(
            actor=platform,
            publication=publication,
            kind="full_report",
            upload=UploadedFile(name="report.pdf", content=pdf(CLEAN)),
        )
        # As if the gate were still reading the report.
        run = publication.runs.get(document__isnull=False)
        assert run.state == "done" and run.outcome == "clear"
        type(run).objects.filter(pk=run.pk).update(state="running", progress=40)
    sign_in(page, world.url("sutton"), sutton_manager.user.email)
    enter_code(page, totp_code(sutton_manager.device))
    page.goto(world.url("sutton", f"/publications/{publication.uuid}/"))
    card = page.locator("#check-full_report")
    expect(card).to_contain_text("Checking: 40%")
    title = page.locator("#record").get_by_label("Title as the public will know it")
    title.fill("Child P, being retitled")
    with django_db_blocker.unblock(), inside(world.sutton):
        type(run).objects.filter(pk=run.pk).update(state="done", progress=100)
    expect(card).to_contain_text("Passed")
    expect(card).not_to_contain_text("Checking")
    expect(title).to_have_value("Child P, being retitled")
