"""One of each kind of casework, made through the services for the route world
(tests/support/route_world.py): a referral and the review its decision commissioned, the work in
a review (``ReviewWork``), a publication published and since available on request, and an
agency's API key. Each is made as the people whose job it is would make it."""

import datetime
from dataclasses import dataclass

from django.test import TestCase

from casework import services as casework_services
from casework import services as review_services
from casework.models import (
    Action,
    ActionUpdate,
    ChronologyEntry,
    InformationRequest,
    Recommendation,
    Referral,
    Review,
    ReviewDocument,
)
from casework.services import ChildInput, EntryInput
from publishing import selectors as publishing_selectors
from publishing import services as publishing_services
from publishing.models import PublicationState
from publishing.services import RecordInput
from tenants.actors import Actor, actor_for_member, actor_for_platform
from tenants.agencies.models import Agency, AgencyApiKey
from tenants.agencies.services import api_key_issue
from tenants.clock import today
from tenants.files import UploadedFile
from tenants.models import Membership, Partnership, User
from tests.support.clock import Clock
from tests.support.documents import pdf
from tests.support.referrals import walk_to_decision
from tests.support.world import inside

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


@dataclass
class ReviewWork:
    """A review and one of each thing in it."""

    review: Review
    entry: ChronologyEntry
    information_request: InformationRequest
    recommendation: Recommendation
    action: Action
    update: ActionUpdate  # with evidence
    document: ReviewDocument


def actor_of(partnership: Partnership, user: User) -> Actor:
    membership = Membership.objects.select_related("user", "partnership").get(
        user=user, partnership=partnership
    )
    return actor_for_member(membership=membership)


def settled(function, *args, **kwargs):
    """Run a change and what it sends to the worker after commit (the gate), as the worker
    would, at once."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def agency_key(partnership: Partnership, manager: User, agency: Agency) -> tuple[AgencyApiKey, str]:
    with inside(partnership):
        return api_key_issue(
            actor=actor_of(partnership, manager), agency=agency, name=f"{agency.name} case system"
        )


def referral_decided(side: dict, child: ChildInput) -> tuple[Referral, Review]:
    """The referring agency's referral taken through its steps (its rapid review asking both
    agencies, sent, the Panel agreeing), and the review the chair's decision commissioned."""
    people, partnership = side["people"], side["partnership"]
    referral = casework_services.referral_create(
        actor=actor_of(partnership, people["agency_user"]),
        incident_date=days(-10),
        aware_date=days(-5),
        harm="died",
        abuse_or_neglect="suspected",
        children=[child],
        summary="A toddler died at home.",
        agencies_involved=[side["other_agency"].name],
        attachments=[UploadedFile("photo.png", PNG)],
    )
    walk_to_decision(
        referral,
        group=actor_of(partnership, people["review_group"]),
        manager=actor_of(partnership, people["business_manager"]),
        notified_on=days(-4),
        sent_on=days(-3),
        answered_on=days(-2),
        agencies=[side["agency"], side["other_agency"]],
    )
    referral.children.update(pseudonym="Joy")
    casework_services.decision_record(
        actor=actor_of(partnership, people["chair"]),
        referral=referral,
        outcome="lcspr",
        rationale="Learning for every agency.",
        decided_on=days(-1),
    )
    return referral, Review.objects.get(referral=referral)


def review_work(
    *, manager: Actor, owner: Actor, review: Review, asked: Agency, entry_agency: Agency
) -> ReviewWork:
    """One of each thing in ``review``: ``asked`` is sent the information request and owns the
    action (``owner``, the review group at home, reports progress with evidence);
    ``entry_agency`` is named by the chronology entry."""
    review_services.terms_write(
        actor=manager,
        review=review,
        scope="The child's last year.",
        lines_of_enquiry="Information sharing",
        period_start=days(-400),
        period_end=days(-10),
    )
    request = review_services.information_request_create(
        actor=manager, review=review, agency=asked, asks=["chronology"]
    )
    entry = review_services.chronology_entry_add(
        actor=manager,
        review=review,
        data=EntryInput(
            occurred_on=days(-30),
            agency=entry_agency,
            what_happened="Home visit; no one answered.",
            who="health visitor",
            key_episode=True,
        ),
    )
    finding = review_services.finding_add(
        actor=manager, review=review, text="Visits were not followed up.", evidence=[entry]
    )
    recommendation = review_services.recommendation_add(
        actor=manager,
        review=review,
        text="Follow up missed visits.",
        to_partnership=False,
        agencies=[asked],
        findings=[finding],
    )
    action = review_services.action_add(
        actor=manager,
        recommendation=recommendation,
        description="Audit missed visits.",
        owner_agency=asked,
        due=days(60),
    )
    update = review_services.action_update_add(
        actor=owner,
        action=action,
        status="in_progress",
        note="Audit started.",
        evidence=UploadedFile("register.pdf", pdf("Attendance register.")),
    )
    document = review_services.review_document_upload(
        actor=manager,
        review=review,
        title="Draft report",
        kind="draft_report",
        upload=UploadedFile("draft.pdf", pdf("A draft report.")),
    )
    return ReviewWork(review, entry, request, recommendation, action, update, document)


def publication_on_request(side: dict, review: Review, child: ChildInput) -> dict:
    """The review completed and its publication: an identifier to check, a report naming the
    child (found by the gate, accepted by the chair), published, then available on request,
    and a request for a copy."""
    partnership, people = side["partnership"], side["people"]
    manager = actor_of(partnership, people["business_manager"])
    Review.objects.filter(pk=review.pk).update(stage="completed")
    review.refresh_from_db()
    publication = settled(publishing_services.publication_create, actor=manager, review=review)
    settled(
        publishing_services.publication_record_update,
        actor=manager,
        publication=publication,
        data=RecordInput(
            title='Child "Joy"',
            summary="A toddler died at home; agencies did not share what they knew.",
            pseudonyms=["Joy"],
            themes=["neglect"],
            age_bands=["1_4"],
        ),
    )
    identifier = settled(
        publishing_services.identifier_add,
        actor=manager,
        publication=publication,
        kind="school",
        value="Ashgrove Primary School",
    )
    # The report was uploaded a month ago: the notice (three weeks ago) follows it.
    earlier = Clock()
    earlier.today(today() - datetime.timedelta(days=30))
    try:
        document = settled(
            publishing_services.document_upload,
            actor=manager,
            publication=publication,
            kind="full_report",
            upload=UploadedFile(
                "report.pdf",
                pdf(f"The review found that {child.given_name} was not seen at home."),
            ),
        )
    finally:
        earlier.stop()
    run = publishing_selectors.latest_run(publication=publication, document=document)
    hits = list(run.hits.filter(accepted_at__isnull=True))
    assert hits, "the gate should find the child's name in the report"
    for hit in hits:
        settled(
            publishing_services.gate_hit_accept,
            actor=actor_of(partnership, people["chair"]),
            hit=hit,
            reason="A test: accepted to publish.",
        )
    publication.refresh_from_db()
    sent = today() - datetime.timedelta(days=21)
    publishing_services.notice_record(
        actor=manager,
        publication=publication,
        panel_sent_on=sent,
        secretary_of_state_sent_on=sent,
        ofsted_sent_on=sent,
    )
    publication.refresh_from_db()
    assert publication.state == PublicationState.READY, publishing_selectors.publication_readiness(
        publication=publication
    ).missing
    settled(publishing_services.publication_publish, actor=manager, publication=publication)
    publication.refresh_from_db()
    publishing_services.publications_daily(
        actor=actor_for_platform(partnership=partnership, label="test"),
        day=publication.online_until + datetime.timedelta(days=1),
    )
    publication.refresh_from_db()
    assert publication.state == PublicationState.ON_REQUEST
    copy_request = publishing_services.copy_request_create(
        actor=actor_for_platform(partnership=partnership, label="a member of the public"),
        publication=publication,
        document_uuid=document.uuid,
        name="A Researcher",
        email=f"researcher@{partnership.key}.example.org",
        organisation="A university",
        reason="Research on neglect.",
        client_address="192.0.2.10",
    )
    return {
        "publication": publication,
        "publication_document": document,
        "gate_run": run,
        "gate_hit": hits[0],
        "identifier": identifier,
        "copy_request": copy_request,
    }
