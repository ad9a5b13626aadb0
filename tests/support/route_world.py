"""The route world: two partnerships with one of every kind of casework each, the people of every
role and the agencies' API keys, and a joint review between them. Built once per test module
(``route_world_rolled_back``) in a transaction rolled back at the module's end; each test's own
rows are rolled back with the test's transaction as usual.

It is made for asking every route of a partnership's host (``tests/support/routes.py``): as
someone who may (tests/test_routes.py: one GET, one audit row) and as someone who may not
(another partnership's person or key, a role that may not, another agency).

Each partnership is a ``Side``:

- its people by role, ``people[slot]``: ``business_manager``, ``chair``, ``review_group``,
  ``lead_reviewer`` (appointed to the review), ``unappointed_reviewer``, ``agency_user`` (of the
  referring agency) and ``other_agency_user``; its agencies' systems, ``keys["agency_key"]`` and
  ``keys["other_agency_key"]``;
- a referral by the referring agency (a file attached, a rapid review asking both agencies for
  their contribution), the review its decision commissioned (``work``: a lead reviewer appointed,
  terms of reference, an information request to the referring agency, a chronology entry, a
  finding, a recommendation, an action the referring agency owns with an update carrying
  evidence, a document), and the review's publication (an identifier to check, a report in which
  the gate found the child's name and the chair accepted it, published and since available on
  request, a member of the public's request for a copy).

Croydon: alice, carol, dave, erin, ursula, bob (Met Police) and frank (NHS Croydon Health
Services), as in tests/support/world.py. Lewisham: charlie, nina, lena, lars, ursula (a
reviewer in both), leo (Met Police) and sol (Lewisham Children's Social Care), as in
tests/support/joint.py.

The joint review (``joint``) is Croydon's, held with Lewisham with every permission
(tests/support/joint.py), with a chronology entry of its own, a request to and an action of
Lewisham's Met Police (its mirror in Croydon's schema) with an update carrying evidence, and a
document. Bexley (bea) takes no part.
"""

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.test import TestCase

from casework import services as casework_services
from casework import services as review_services
from casework.joint.models import JointReviewParticipant
from casework.models import (
    Action,
    ActionUpdate,
    Attachment,
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
from publishing.models import (
    CopyRequest,
    GateHit,
    GateRun,
    IdentifierToCheck,
    Publication,
    PublicationDocument,
    PublicationState,
)
from publishing.services import RecordInput
from tenants.actors import Actor, actor_for_member, actor_for_platform
from tenants.agencies.models import Agency, AgencyApiKey
from tenants.agencies.services import api_key_issue
from tenants.clock import today
from tenants.files import UploadedFile
from tenants.models import Membership, Partnership, Role, User
from tests.support.documents import pdf
from tests.support.joint import joint_world
from tests.support.world import PARTNERSHIPS, ensure_partnership, inside, make_member, make_world

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# The children's real names: they must never appear in an audit row's detail.
CHILDREN = {
    "croydon": ChildInput("Amara", "Quillfeather", datetime.date(2024, 6, 1), "female"),
    "lewisham": ChildInput("Noor", "Thistlewood", datetime.date(2023, 3, 9), "male"),
}


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


@dataclass
class Side:
    """One partnership: its people and agency systems, and one of each kind of its casework."""

    partnership: Partnership
    people: dict[str, User]
    keys: dict[str, str]
    agency: Agency  # the referring agency
    other_agency: Agency
    api_key: AgencyApiKey  # the referring agency's key, as the workspace lists it
    child: ChildInput
    referral: Referral
    attachment: Attachment
    work: ReviewWork
    publication: Publication
    publication_document: PublicationDocument
    gate_run: GateRun
    gate_hit: GateHit
    identifier: IdentifierToCheck
    copy_request: CopyRequest

    @property
    def key(self) -> str:
        return self.partnership.key

    def actor(self, slot: str) -> Actor:
        return actor_of(self.partnership, self.people[slot])


@dataclass
class JointPart:
    """Croydon's review held jointly with Lewisham; Bexley outside it."""

    lead: Side
    participant: Side
    part: JointReviewParticipant  # the participant's part (its invitation)
    mirror: Agency  # the participant's referring agency, as the lead's schema names it
    work: ReviewWork  # in the lead's schema
    outsider: Partnership
    outsider_person: User  # bea, Bexley's business manager

    @property
    def review(self) -> Review:
        return self.work.review


@dataclass
class RouteWorld:
    croydon: Side
    lewisham: Side
    joint: JointPart

    def side(self, key: str) -> Side:
        return {"croydon": self.croydon, "lewisham": self.lewisham}[key]

    @property
    def partnerships(self) -> list[Partnership]:
        """Every partnership of the world, the one outside the joint review included."""
        return [self.croydon.partnership, self.lewisham.partnership, self.joint.outsider]


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


def _key(partnership: Partnership, manager: User, agency: Agency) -> tuple[AgencyApiKey, str]:
    with inside(partnership):
        return api_key_issue(
            actor=actor_of(partnership, manager), agency=agency, name=f"{agency.name} case system"
        )


def _referral(side: dict, child: ChildInput) -> tuple[Referral, Review]:
    """The referring agency's referral, its rapid review asking both agencies, and the review
    the chair's decision commissioned."""
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
    casework_services.rapid_review_start(
        actor=actor_of(partnership, people["review_group"]),
        referral=referral,
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


def _publication(side: dict, review: Review, child: ChildInput) -> dict:
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
    document = settled(
        publishing_services.document_upload,
        actor=manager,
        publication=publication,
        kind="full_report",
        upload=UploadedFile(
            "report.pdf", pdf(f"The review found that {child.given_name} was not seen at home.")
        ),
    )
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


def _side(partnership: Partnership, people: dict[str, User], agency, other_agency) -> Side:
    child = CHILDREN[partnership.key]
    side = {
        "partnership": partnership,
        "people": people,
        "agency": agency,
        "other_agency": other_agency,
    }
    api_key, key = _key(partnership, people["business_manager"], agency)
    _, other_key = _key(partnership, people["business_manager"], other_agency)
    with inside(partnership):
        referral, review = _referral(side, child)
        manager = actor_of(partnership, people["business_manager"])
        profile = review_services.reviewer_profile_save(
            actor=manager,
            user_uuid=people["lead_reviewer"].uuid,
            name=people["lead_reviewer"].full_name,
            organisation="Independent",
            affiliations=[],
        )
        review_services.reviewer_appoint(actor=manager, review=review, profile=profile)
        work = review_work(
            manager=manager,
            owner=actor_of(partnership, people["agency_user"]),
            review=review,
            asked=agency,
            entry_agency=agency,
        )
        published = _publication(side, review, child)
        return Side(
            partnership=partnership,
            people=people,
            keys={"agency_key": key, "other_agency_key": other_key},
            agency=agency,
            other_agency=other_agency,
            api_key=api_key,
            child=child,
            referral=referral,
            attachment=referral.attachments.get(),
            work=work,
            **published,
        )


def build_route_world() -> RouteWorld:
    """The world, in the transaction the caller opened (``route_world`` rolls it back)."""
    croydon, lewisham, bexley = (ensure_partnership(key) for key in PARTNERSHIPS)
    world = make_world(croydon, lewisham)
    joint = joint_world(world, bexley)
    ursula = make_member(croydon, "ursula@reviews.example", Role.LEAD_REVIEWER)
    make_member(lewisham, "ursula@reviews.example", Role.LEAD_REVIEWER)
    lars = make_member(lewisham, "lars@reviews.example", Role.LEAD_REVIEWER)
    sol = make_member(lewisham, "sol@csc.example", Role.AGENCY_USER, joint.social_care_lewisham)
    croydon_side = _side(
        croydon,
        {
            "business_manager": world.alice,
            "chair": world.carol,
            "review_group": world.dave,
            "lead_reviewer": world.erin,
            "unappointed_reviewer": ursula,
            "agency_user": world.bob,
            "other_agency_user": world.frank,
        },
        world.met_croydon,
        world.nhs_croydon,
    )
    lewisham_side = _side(
        lewisham,
        {
            "business_manager": world.charlie,
            "chair": joint.nina,
            "review_group": joint.lena,
            "lead_reviewer": lars,
            "unappointed_reviewer": ursula,
            "agency_user": joint.leo,
            "other_agency_user": sol,
        },
        world.met_lewisham,
        joint.social_care_lewisham,
    )
    part = joint.joined()
    # The first crossing mirrors Lewisham's agencies in Croydon's schema.
    joint.through("lena", lambda passage: None)
    with inside(croydon):
        mirror = Agency.objects.get(home_agency_uuid=world.met_lewisham.uuid)
        alice = actor_of(croydon, world.alice)
        work = review_work(
            manager=alice,
            owner=alice,
            review=joint.review,
            asked=mirror,
            entry_agency=world.met_croydon,
        )
    connection.set_schema_to_public()
    return RouteWorld(
        croydon=croydon_side,
        lewisham=lewisham_side,
        joint=JointPart(
            lead=croydon_side,
            participant=lewisham_side,
            part=part,
            mirror=mirror,
            work=work,
            outsider=bexley,
            outsider_person=joint.bea,
        ),
    )


@contextlib.contextmanager
def route_world_rolled_back(django_db_blocker) -> Iterator[RouteWorld]:
    """The route world for a test module, rolled back at its end (each test runs in a savepoint
    inside it). A module's fixture::

        @pytest.fixture(scope="module")
        def route_world(django_db_setup, django_db_blocker):
            with route_world_rolled_back(django_db_blocker) as world:
                yield world
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_route_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            connection.set_schema_to_public()
            # The library's answers are cached by edition; the editions made here are gone.
            cache.clear()
