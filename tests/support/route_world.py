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

Each kind of casework is made through the services by tests/support/route_casework.py."""

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction

from casework import services as review_services
from casework.joint.models import JointReviewParticipant
from casework.models import Attachment, Referral, Review
from casework.services import ChildInput
from publishing.models import (
    CopyRequest,
    GateHit,
    GateRun,
    IdentifierToCheck,
    Publication,
    PublicationDocument,
)
from tenants.actors import Actor, actor_for_api_key
from tenants.agencies.models import Agency, AgencyApiKey
from tenants.models import Partnership, Role, User
from tenants.notifications.models import Webhook, WebhookDelivery
from tenants.notifications.webhooks import webhook_create
from tests.support.joint import joint_world
from tests.support.route_casework import (
    ReviewWork,
    actor_of,
    agency_key,
    publication_on_request,
    referral_decided,
    review_work,
)
from tests.support.world import PARTNERSHIPS, ensure_partnership, inside, make_member, make_world

# The children's real names: they must never appear in an audit row's detail.
CHILDREN = {
    "croydon": ChildInput("Amara", "Quillfeather", datetime.date(2024, 6, 1), "female"),
    "lewisham": ChildInput("Noor", "Thistlewood", datetime.date(2023, 3, 9), "male"),
}


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
    webhook: Webhook  # the referring agency's, with one delivery given up
    webhook_delivery: WebhookDelivery

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


def _side(partnership: Partnership, people: dict[str, User], agency, other_agency) -> Side:
    child = CHILDREN[partnership.key]
    side = {
        "partnership": partnership,
        "people": people,
        "agency": agency,
        "other_agency": other_agency,
    }
    api_key, key = agency_key(partnership, people["business_manager"], agency)
    _, other_key = agency_key(partnership, people["business_manager"], other_agency)
    with inside(partnership):
        referral, review = referral_decided(side, child)
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
        published = publication_on_request(side, review, child)
        webhook, _ = webhook_create(
            actor=actor_for_api_key(partnership=partnership, api_key=api_key),
            url="http://127.0.0.1:9/hooks",
            events=["referral.received"],
        )
        delivery = WebhookDelivery.objects.create(
            webhook=webhook,
            event_type="referral.received",
            message_id=f"msg_route_world_{partnership.key}",
            body="{}",
            state=WebhookDelivery.State.GIVEN_UP,
            attempts=1,
        )
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
            webhook=webhook,
            webhook_delivery=delivery,
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
