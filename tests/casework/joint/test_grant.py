"""A joint review's grant in the services (DESIGN §3): the lead invites a partnership by its key
(its business manager or chair only, another existing partnership, once), the invited
partnership's business manager or chair accepts or declines, the lead opens an invitation that
waits for it, either side's chair ends a part, the lead withdraws an unanswered invitation or ends
the whole grant; each step in both trails, and an answer read before a withdrawal or an end
refused after it. Bexley, taking no part, never sees any of it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from casework.joint import selectors as joint_selectors
from casework.joint import services as joint_services
from casework.joint.models import (
    JointReviewGrant,
    JointReviewParticipant,
    ParticipantPermission,
    ParticipantState,
)
from tests.support.isolation import schemas_holding
from tests.support.joint import JOINT_TITLE, trail
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def test_the_lead_invites_a_partnership_by_its_key(joint):
    part = joint.invite(" Lewisham ")
    grant = part.grant
    assert (grant.review_uuid, grant.review_reference, grant.review_title) == (
        joint.review.uuid,
        joint.review.reference,
        JOINT_TITLE,
    )
    assert grant.lead == joint.croydon
    assert part.partnership == joint.lewisham
    assert part.state == ParticipantState.INVITED
    assert part.permissions == list(ParticipantPermission.values)
    assert part.invited_by == "alice@croydon.example"
    # The grant is in the public schema only; the invitation is in both trails.
    assert schemas_holding("joint_jointreviewgrant", "review_uuid", str(grant.review_uuid)) == {
        "public"
    }
    for partnership in (joint.croydon, joint.lewisham):
        (row,) = trail(partnership, "joint_review.invited")
        assert row.partnership_key == "croydon"
        assert row.detail["partnership"] == "lewisham"
        assert row.object_ref == str(joint.review.uuid)


@pytest.mark.parametrize("who", ["dave", "erin", "bob"])
def test_only_the_leads_business_manager_or_chair_invites(joint, who):
    with inside(joint.croydon), pytest.raises(PermissionDenied):
        joint_services.joint_review_invite(
            actor=joint.actor(who), review=joint.review, partnership_key="lewisham"
        )
    assert not JointReviewGrant.objects.exists()


@pytest.mark.parametrize(
    ("key", "message"),
    [("", "Enter the key"), ("nowhere", "no partnership"), ("croydon", "Your own partnership")],
)
def test_an_invitation_needs_another_existing_partnership(joint, key, message):
    with pytest.raises(ValidationError) as error:
        joint.invite(key)
    assert message in str(error.value)


def test_a_partnership_is_invited_to_a_review_once(joint):
    joint.invite()
    with pytest.raises(ValidationError, match="already been invited"):
        joint.invite()
    assert JointReviewParticipant.objects.count() == 1


def test_accepting_opens_the_review_and_is_recorded_in_both_trails(joint):
    part = joint.accept(joint.invite(), who="nina")
    part.refresh_from_db()
    assert part.state == ParticipantState.ACTIVE
    assert part.answered_by == part.activated_by == "nina@lewisham.example"
    for partnership in (joint.croydon, joint.lewisham):
        (row,) = trail(partnership, "joint_review.accepted")
        assert row.partnership_key == "lewisham"


def test_an_invitation_that_waits_for_the_lead_opens_only_when_the_lead_opens_it(joint):
    part = joint.accept(joint.invite(open_on_acceptance=False))
    assert part.state == ParticipantState.ACCEPTED
    with pytest.raises(Http404):
        joint.through("charlie", lambda passage: None)
    with inside(joint.croydon):
        joint_services.joint_review_open(actor=joint.actor("carol"), part=part)
    part.refresh_from_db()
    assert (part.state, part.activated_by) == (ParticipantState.ACTIVE, "carol@croydon.example")
    assert joint.through("charlie", lambda passage: passage.actor.partnership.key) == "lewisham"
    assert trail(joint.lewisham, "joint_review.opened")


@pytest.mark.parametrize("who", ["lena", "leo"])
def test_only_the_invited_partnerships_business_manager_or_chair_answers(joint, who):
    part = joint.invite()
    with inside(joint.lewisham), pytest.raises(PermissionDenied):
        joint_services.joint_review_accept(actor=joint.actor(who), part=part)
    part.refresh_from_db()
    assert part.state == ParticipantState.INVITED


def test_an_invitation_meant_for_another_partnership_cannot_be_answered(joint):
    part = joint.invite()
    with inside(joint.bexley):
        bea = joint.actor("bea")
        with pytest.raises(Http404):
            joint_selectors.access_invitation(actor=bea, participant_uuid=part.uuid)
        with pytest.raises(PermissionDenied):
            joint_services.joint_review_accept(actor=bea, part=part)
    part.refresh_from_db()
    assert part.state == ParticipantState.INVITED


def test_a_declined_invitation_stays_declined_and_the_door_shut(joint):
    part = joint.invite()
    with inside(joint.lewisham):
        joint_services.joint_review_decline(
            actor=joint.actor("nina"), part=part, reason="Not our case"
        )
        with pytest.raises(ValidationError, match="already answered"):
            joint_services.joint_review_accept(actor=joint.actor("charlie"), part=part)
    part.refresh_from_db()
    assert (part.state, part.end_reason) == (ParticipantState.DECLINED, "Not our case")
    with pytest.raises(Http404):
        joint.through("charlie", lambda passage: None)
    assert trail(joint.croydon, "joint_review.declined")


def test_either_sides_chair_ends_a_part_and_a_business_manager_cannot(joint):
    part = joint.joined()
    with inside(joint.lewisham), pytest.raises(PermissionDenied):
        joint_services.joint_review_part_end(actor=joint.actor("charlie"), part=part, reason="Done")
    with inside(joint.lewisham), pytest.raises(ValidationError, match="Say why"):
        joint_services.joint_review_part_end(actor=joint.actor("nina"), part=part, reason=" ")
    with inside(joint.lewisham):
        joint_services.joint_review_part_end(
            actor=joint.actor("nina"), part=part, reason="Our part is done"
        )
    part.refresh_from_db()
    assert (part.state, part.ended_by_partnership_key) == (ParticipantState.ENDED, "lewisham")
    assert trail(joint.croydon, "joint_review.part_ended")
    with pytest.raises(Http404):
        joint.through("charlie", lambda passage: None)


def test_the_leads_chair_ends_a_participants_part(joint):
    part = joint.joined()
    with inside(joint.croydon):
        joint_services.joint_review_part_end(
            actor=joint.actor("carol"), part=part, reason="Information-sharing breach"
        )
    part.refresh_from_db()
    assert (part.state, part.ended_by_partnership_key) == (ParticipantState.ENDED, "croydon")
    (row,) = trail(joint.lewisham, "joint_review.part_ended")
    assert row.partnership_key == "croydon"


def test_the_lead_withdraws_an_unanswered_invitation(joint):
    part = joint.invite()
    with inside(joint.croydon):
        joint_services.joint_review_part_end(actor=joint.actor("alice"), part=part)
    part.refresh_from_db()
    assert part.state == ParticipantState.ENDED
    with inside(joint.lewisham), pytest.raises(ValidationError, match="withdrawn"):
        joint_services.joint_review_accept(actor=joint.actor("charlie"), part=part)


def test_ending_the_grant_ends_every_live_part_at_once(joint):
    lewisham = joint.joined()
    bexley = joint.invite("bexley")
    with inside(joint.croydon):
        with pytest.raises(PermissionDenied):
            joint_services.joint_review_end(
                actor=joint.actor("dave"), review=joint.review, reason="x"
            )
        joint_services.joint_review_end(
            actor=joint.actor("alice"), review=joint.review, reason="Published"
        )
    for part in (lewisham, bexley):
        part.refresh_from_db()
        assert part.state == ParticipantState.ENDED
    assert JointReviewGrant.objects.get().ended_by == "alice@croydon.example"
    assert trail(joint.lewisham, "joint_review.ended")
    assert trail(joint.bexley, "joint_review.ended")
    with pytest.raises(Http404):
        joint.through("charlie", lambda passage: None)
    with pytest.raises(ValidationError, match="has ended"):
        joint.invite("bexley")


def test_an_acceptance_read_before_a_withdrawal_is_refused_after_it(joint):
    """The race, step by step: Lewisham's manager reads the invitation, Croydon withdraws it,
    then the acceptance arrives: it is refused (the state is checked in the UPDATE, not on what
    was read), and the part stays ended."""
    part = joint.invite()
    with inside(joint.lewisham):
        read_by_lewisham = joint_selectors.access_invitation(
            actor=joint.actor("charlie"), participant_uuid=part.uuid
        )
    with inside(joint.croydon):
        joint_services.joint_review_part_end(actor=joint.actor("alice"), part=part)
    assert read_by_lewisham.state == ParticipantState.INVITED  # what Lewisham's page showed
    with inside(joint.lewisham), pytest.raises(ValidationError, match="withdrawn"):
        joint_services.joint_review_accept(actor=joint.actor("charlie"), part=read_by_lewisham)
    part.refresh_from_db()
    assert part.state == ParticipantState.ENDED
    assert not trail(joint.croydon, "joint_review.accepted")


def test_an_acceptance_read_before_the_grant_ended_is_refused(joint):
    part = joint.invite()
    with inside(joint.croydon):
        joint_services.joint_review_end(
            actor=joint.actor("carol"), review=joint.review, reason="Merged into another"
        )
    stale = JointReviewParticipant.objects.get(pk=part.pk)
    stale.state = ParticipantState.INVITED  # as read before the end
    with inside(joint.lewisham), pytest.raises(ValidationError):
        joint_services.joint_review_accept(actor=joint.actor("charlie"), part=stale)
    assert JointReviewParticipant.objects.get(pk=part.pk).state == ParticipantState.ENDED
