"""Reads of joint-review grants (public schema). The grant names partnerships, states and who
moved them; never casework. ``review_partnerships`` is the publication hook."""

import uuid as uuid_module

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from casework.joint.models import (
    TOOK_PART_STATES,
    JointReviewGrant,
    JointReviewParticipant,
    ParticipantState,
)
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.models import Partnership
from tenants.roles import JOINT_REVIEW_ANSWERERS
from tenants.validation import found_or_404, uuid_or_404


def _participants():
    return Prefetch(
        "participants",
        queryset=JointReviewParticipant.objects.select_related("partnership").order_by(
            "invited_at", "id"
        ),
    )


def grant_for_review(*, review) -> JointReviewGrant | None:
    """The grant of a review (in the schema we are in), with its participants; None for a review
    no other partnership has been invited to."""
    return (
        JointReviewGrant.objects.select_related("lead")
        .prefetch_related(_participants())
        .filter(review_uuid=review.uuid)
        .first()
    )


def review_partnerships(review) -> list[Partnership]:
    """Every partnership a review is published under (the publication hook): the lead first, then
    each participant that took part (accepted, active or since ended — a part that ended still
    took part; declined and unanswered invitations do not), in the order they were invited. A
    review no one else took part in gives the partnership whose schema holds it. Call it inside
    the lead's schema, where the review lives."""
    grant = grant_for_review(review=review)
    if grant is None:
        return [connection.tenant]
    return [grant.lead] + [
        part.partnership for part in grant.participants.all() if part.state in TOOK_PART_STATES
    ]


def review_partnerships_by_uuid(*, review_uuids) -> dict[uuid_module.UUID, list[Partnership]]:
    """``review_partnerships`` for many reviews at once (two queries), keyed by review UUID; a
    review without a grant is absent."""
    grants = (
        JointReviewGrant.objects.select_related("lead")
        .prefetch_related(_participants())
        .filter(review_uuid__in=list(review_uuids))
    )
    return {
        grant.review_uuid: [grant.lead]
        + [p.partnership for p in grant.participants.all() if p.state in TOOK_PART_STATES]
        for grant in grants
    }


def participant_keys(*, review_uuid, states=(ParticipantState.ACCEPTED, ParticipantState.ACTIVE)):
    """The keys of the partnerships taking part in a review (accepted or active by default)."""
    return set(
        JointReviewParticipant.objects.filter(
            grant__review_uuid=review_uuid, grant__ended_at__isnull=True, state__in=states
        ).values_list("partnership__key", flat=True)
    )


def signing_participants(*, review_uuid) -> list[Partnership]:
    """The partnerships whose chair must sign the report off as well as the lead's: those
    taking part now (an ended part no longer signs)."""
    return list(
        Partnership.objects.filter(
            joint_review_parts__grant__review_uuid=review_uuid,
            joint_review_parts__grant__ended_at__isnull=True,
            joint_review_parts__state=ParticipantState.ACTIVE,
        ).order_by("name")
    )


def invitations_received(*, actor: Actor) -> QuerySet[JointReviewParticipant]:
    """Every part the actor's partnership has been invited to, newest first, for its business
    manager and chair (others: nothing)."""
    if not actor.has_role(*JOINT_REVIEW_ANSWERERS) or actor.is_joint:
        return JointReviewParticipant.objects.none()
    return (
        JointReviewParticipant.objects.select_related("grant__lead", "partnership")
        .filter(partnership=actor.partnership)
        .order_by("-invited_at", "-id")
    )


def invitations_sent(*, actor: Actor) -> QuerySet[JointReviewGrant]:
    """The joint reviews the actor's partnership leads, with their participants, for its
    business manager and chair."""
    if not actor.has_role(*JOINT_REVIEW_ANSWERERS) or actor.is_joint:
        return JointReviewGrant.objects.none()
    return (
        JointReviewGrant.objects.select_related("lead")
        .prefetch_related(_participants())
        .filter(lead=actor.partnership)
        .order_by("-created_at", "-id")
    )


def invitations_for_page(*, actor: Actor) -> dict[str, list]:
    """The invitations page: those ``received`` and those ``sent`` (the joint reviews the
    actor's partnership leads), each naming a review by reference and title; the read is
    audited in the actor's trail."""
    page = {
        "received": list(invitations_received(actor=actor)),
        "sent": list(invitations_sent(actor=actor)),
    }
    audit_event_record(
        actor=actor,
        action="joint_invitations.viewed",
        object_type="joint_review",
        detail={key: len(found) for key, found in page.items()},
    )
    return page


def access_invitation(*, actor: Actor, participant_uuid) -> JointReviewParticipant:
    """An invitation (a part) of the actor's own partnership, for its business manager or
    chair; an invitation meant for another partnership is the same 404 as none."""
    return found_or_404(
        invitations_received(actor=actor)
        .select_related("grant__lead", "partnership")
        .filter(uuid=uuid_or_404(participant_uuid, "No such invitation."))
        .first(),
        "No such invitation.",
    )


def access_participant(*, actor: Actor, review, participant_uuid) -> JointReviewParticipant:
    """A part in a review the actor's partnership leads (the review was reached through
    ``access_review`` in the lead's schema)."""
    if actor.is_joint:
        raise Http404("No such partnership.")
    return found_or_404(
        JointReviewParticipant.objects.select_related("grant__lead", "partnership")
        .filter(
            uuid=uuid_or_404(participant_uuid, "No such invitation."),
            grant__review_uuid=review.uuid,
            grant__lead=actor.partnership,
        )
        .first(),
        "No such partnership.",
    )


def invitable_partnerships(*, actor: Actor, review) -> QuerySet[Partnership]:
    """The partnerships the lead could invite to this review: every other one not already
    invited (a declined or ended part is not invited again)."""
    invited = JointReviewParticipant.objects.filter(grant__review_uuid=review.uuid).values(
        "partnership"
    )
    return (
        Partnership.objects.exclude(pk=actor.partnership.pk)
        .exclude(pk__in=invited)
        .order_by("name")
    )


def live_part_count(*, actor: Actor) -> int:
    """How many invitations wait for the actor's partnership's answer."""
    return (
        invitations_received(actor=actor).filter(state=ParticipantState.INVITED).count()
        if actor.has_role(*JOINT_REVIEW_ANSWERERS)
        else 0
    )
