"""The joint-review test world, shared by the joint-review test modules: Croydon leads a review
and invites Lewisham; Bexley takes no part.

- Croydon: alice (business manager), carol (chair), dave (review group), erin (lead reviewer),
  bob (Met Police), frank (NHS Croydon Health Services) — from tests/support/world.py
- Lewisham: charlie (business manager), nina (chair), lena (review group member), leo (agency
  user, Lewisham's Met Police), and Lewisham's own Children's Social Care
- Bexley: bea (business manager), who must never see any of it
"""

import datetime
from dataclasses import dataclass

import pytest

from casework import services as review_services
from casework.joint import door
from casework.joint import services as joint_services
from casework.joint.models import JointReviewParticipant
from casework.models import Review
from casework.services import EntryInput
from tenants.actors import actor_for_member
from tenants.agencies.models import Agency, AgencyKind, AuditEvent
from tenants.clock import today
from tenants.models import Membership, Partnership, Role, User
from tests.support.world import World, inside, make_agency, make_member

JOINT_TITLE = "Children R, S and W: joint practice review"
SECRET_TITLE = "Croydon-only review Marchbanks"


@dataclass
class JointWorld:
    world: World
    bexley: Partnership
    review: Review  # Croydon's, to be held jointly
    other_review: Review  # Croydon's own, never joint
    nina: User
    lena: User
    leo: User
    bea: User
    social_care_lewisham: Agency

    @property
    def croydon(self) -> Partnership:
        return self.world.croydon

    @property
    def lewisham(self) -> Partnership:
        return self.world.lewisham

    def actor(self, who: str, partnership: Partnership | None = None):
        user = getattr(self, who, None) or getattr(self.world, who)
        membership = Membership.objects.select_related("user", "partnership")
        if partnership is not None:
            membership = membership.filter(partnership=partnership)
        return actor_for_member(membership=membership.get(user=user))

    def invite(self, key: str = "lewisham", **kwargs) -> JointReviewParticipant:
        with inside(self.croydon):
            return joint_services.joint_review_invite(
                actor=self.actor("alice"), review=self.review, partnership_key=key, **kwargs
            )

    def accept(self, part: JointReviewParticipant, who: str = "charlie"):
        partnership = part.partnership
        with inside(partnership):
            return joint_services.joint_review_accept(actor=self.actor(who, partnership), part=part)

    def joined(self, **kwargs) -> JointReviewParticipant:
        """Lewisham invited and taking part."""
        return self.accept(self.invite(**kwargs))

    def through(self, who: str, work, partnership: Partnership | None = None, review=None):
        """Run ``work(passage)`` through the door as ``who`` on their own host."""
        partnership = partnership or self.lewisham
        with inside(partnership):
            return door.through(
                actor=self.actor(who, partnership),
                review_uuid=(review or self.review).uuid,
                purpose="test",
                work=work,
            )


def _commission(actor, title: str) -> Review:
    return review_services.thematic_review_commission(
        actor=actor, title=title, commissioned_on=today() - datetime.timedelta(days=3)
    )


def joint_world(world, bexley) -> JointWorld:
    """The ``joint`` fixture's world."""
    social_care = make_agency(
        world.lewisham, "Lewisham Children's Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE
    )
    nina = make_member(world.lewisham, "nina@lewisham.example", Role.CHAIR)
    lena = make_member(world.lewisham, "lena@lewisham.example", Role.REVIEW_GROUP_MEMBER)
    leo = make_member(world.lewisham, "leo@met.example", Role.AGENCY_USER, world.met_lewisham)
    bea = make_member(bexley, "bea@bexley.example", Role.BUSINESS_MANAGER)
    make_agency(bexley, "Met Police")
    alice = Membership.objects.select_related("user", "partnership").get(
        user=world.alice, partnership=world.croydon
    )
    with inside(world.croydon):
        review = _commission(actor_for_member(membership=alice), JOINT_TITLE)
        review.agencies.add(world.met_croydon)
        other = _commission(actor_for_member(membership=alice), SECRET_TITLE)
    return JointWorld(
        world=world,
        bexley=bexley,
        review=review,
        other_review=other,
        nina=nina,
        lena=lena,
        leo=leo,
        bea=bea,
        social_care_lewisham=social_care,
    )


@pytest.fixture
def joint(world, bexley) -> JointWorld:
    """Croydon's review to be held jointly with Lewisham, and their people (registered for every
    test by ``pytest_plugins`` in tests/conftest.py)."""
    return joint_world(world, bexley)


def trail(partnership, action: str) -> list[AuditEvent]:
    """The rows of ``partnership``'s audit trail for ``action``, oldest first."""
    with inside(partnership):
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def entry(agency, what="Health visitor saw the baby", days_ago=30) -> EntryInput:
    """A chronology entry of ``agency``'s, ``days_ago`` days ago."""
    return EntryInput(
        occurred_on=today() - datetime.timedelta(days=days_ago),
        agency=agency,
        what_happened=what,
        who="health visitor",
    )
