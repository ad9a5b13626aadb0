"""Changes to joint-review grants: invitation, acceptance or refusal, opening, and ending a part
or the whole grant. Each change locks the grant's row first (so an acceptance and a withdrawal
arriving together are applied one after the other), changes the participant's state only from
the state it was read in (a conditional UPDATE), and writes its audit row in the acting
partnership's trail and in the other partnership's, in the same transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from casework.joint import door
from casework.joint.models import (
    ALL_PERMISSIONS,
    LIVE_STATES,
    JointReviewGrant,
    JointReviewParticipant,
    ParticipantState,
)
from casework.models import Review
from casework.permissions import may_end_part, require_joint_review_manager
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.clock import now
from tenants.models import Partnership


def _record(actor: Actor, other: Partnership, action: str, grant: JointReviewGrant, **detail):
    """The same row in the acting partnership's trail and in the other's."""
    detail = {"review": grant.review_reference, "lead": grant.lead.key, **detail}
    audit_event_record(
        actor=actor,
        action=action,
        object_type="joint_review",
        object_ref=str(grant.review_uuid),
        detail=detail,
    )
    door.audit_elsewhere(
        actor=actor,
        partnership=other,
        action=action,
        object_type="joint_review",
        object_ref=str(grant.review_uuid),
        detail=detail,
    )


def _locked(grant: JointReviewGrant) -> JointReviewGrant:
    return JointReviewGrant.objects.select_for_update().select_related("lead").get(pk=grant.pk)


def _move(part: JointReviewParticipant, *, from_states, **changes) -> bool:
    """Change a part only if it is still in one of ``from_states`` (and its grant not ended):
    decided in the database, not on what was read earlier."""
    moved = (
        JointReviewParticipant.objects.filter(
            pk=part.pk, state__in=list(from_states), grant__ended_at__isnull=True
        ).update(**changes)
        == 1
    )
    if moved:
        for name, value in changes.items():
            setattr(part, name, value)
    return moved


def joint_review_invite(
    *,
    actor: Actor,
    review: Review,
    partnership_key: str,
    permissions=ALL_PERMISSIONS,
    open_on_acceptance: bool = True,
) -> JointReviewParticipant:
    """Invite another partnership, by its key, to hold a review jointly (DESIGN §3: the review
    stays in the lead's schema). The lead's business manager or chair invites, when
    commissioning the review or later; a partnership is invited to a review once."""
    require_joint_review_manager(actor)
    key = (partnership_key or "").strip().lower()
    errors: dict[str, list[str]] = {}
    invited = Partnership.objects.filter(key=key).first() if key else None
    if not key:
        errors["partnership"] = ["Enter the key of the partnership to invite, e.g. lewisham."]
    elif invited is None:
        errors["partnership"] = [f"There is no partnership with the key '{key}'."]
    elif invited.pk == actor.partnership.pk:
        errors["partnership"] = ["Your own partnership leads this review."]
    unknown = [p for p in permissions if p not in ALL_PERMISSIONS]
    if unknown:
        errors["permissions"] = ["Choose what the partnership may do from the list."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        grant, _ = JointReviewGrant.objects.get_or_create(
            review_uuid=review.uuid,
            defaults={
                "review_reference": review.reference,
                "review_title": review.title,
                "lead": actor.partnership,
                "created_by": actor.label,
            },
        )
        grant = _locked(grant)
        if grant.lead_id != actor.partnership.pk:
            raise PermissionDenied("Only the lead partnership invites others.")
        if grant.ended_at is not None:
            raise ValidationError({"partnership": ["This joint review has ended."]})
        if grant.participants.filter(partnership=invited).exists():
            raise ValidationError(
                {"partnership": [f"{invited.name} has already been invited to this review."]}
            )
        part = JointReviewParticipant.objects.create(
            grant=grant,
            partnership=invited,
            permissions=list(dict.fromkeys(permissions)),
            open_on_acceptance=open_on_acceptance,
            invited_by=actor.label,
        )
        _record(
            actor,
            invited,
            "joint_review.invited",
            grant,
            partnership=invited.key,
            permissions=part.permissions,
            open_on_acceptance=open_on_acceptance,
        )
    return part


def joint_review_accept(*, actor: Actor, part: JointReviewParticipant) -> JointReviewParticipant:
    """The invited partnership's business manager or chair accepts, on its own host. The review
    opens to its people at once when the lead asked for that in the invitation; otherwise when
    the lead opens it."""
    require_joint_review_manager(actor)
    if part.partnership_id != actor.partnership.pk:
        raise PermissionDenied("This invitation is for another partnership.")
    moment = now()
    with transaction.atomic():
        grant = _locked(part.grant)
        changes = {"answered_at": moment, "answered_by": actor.label}
        if part.open_on_acceptance:
            changes.update(
                state=ParticipantState.ACTIVE, activated_at=moment, activated_by=actor.label
            )
        else:
            changes["state"] = ParticipantState.ACCEPTED
        if not _move(part, from_states=[ParticipantState.INVITED], **changes):
            raise ValidationError(["This invitation has been withdrawn or already answered."])
        _record(actor, grant.lead, "joint_review.accepted", grant, state=part.state)
    return part


def joint_review_decline(
    *, actor: Actor, part: JointReviewParticipant, reason: str = ""
) -> JointReviewParticipant:
    """The invited partnership's business manager or chair declines, on its own host."""
    require_joint_review_manager(actor)
    if part.partnership_id != actor.partnership.pk:
        raise PermissionDenied("This invitation is for another partnership.")
    with transaction.atomic():
        grant = _locked(part.grant)
        if not _move(
            part,
            from_states=[ParticipantState.INVITED],
            state=ParticipantState.DECLINED,
            answered_at=now(),
            answered_by=actor.label,
            end_reason=(reason or "").strip(),
        ):
            raise ValidationError(["This invitation has been withdrawn or already answered."])
        _record(actor, grant.lead, "joint_review.declined", grant)
    return part


def joint_review_open(*, actor: Actor, part: JointReviewParticipant) -> JointReviewParticipant:
    """The lead's business manager or chair opens the review to a partnership that accepted
    (an invitation that asked to wait, e.g. for an information-sharing agreement)."""
    require_joint_review_manager(actor)
    with transaction.atomic():
        grant = _locked(part.grant)
        if grant.lead_id != actor.partnership.pk:
            raise PermissionDenied("Only the lead partnership opens the review.")
        if not _move(
            part,
            from_states=[ParticipantState.ACCEPTED],
            state=ParticipantState.ACTIVE,
            activated_at=now(),
            activated_by=actor.label,
        ):
            raise ValidationError(["Only a partnership that has accepted can be let in."])
        _record(
            actor, part.partnership, "joint_review.opened", grant, partnership=part.partnership.key
        )
    return part


def joint_review_part_end(
    *, actor: Actor, part: JointReviewParticipant, reason: str = ""
) -> JointReviewParticipant:
    """End one partnership's part: its own chair (on its own host), or the lead's chair. An
    invitation not yet answered is withdrawn the same way (by the lead's business manager or
    chair). From then on the door is shut to that partnership's people — the next request, also
    from a page already open, is a 404. What it contributed stays in the review."""
    require_joint_review_manager(actor)
    own = part.partnership_id == actor.partnership.pk
    if not may_end_part(actor, part):
        if part.state not in LIVE_STATES:
            raise ValidationError(["This partnership's part has already ended."])
        raise PermissionDenied("The chair ends a partnership's part in a joint review.")
    if not (reason or "").strip() and part.state != ParticipantState.INVITED:
        raise ValidationError({"reason": ["Say why the partnership's part ends."]})
    with transaction.atomic():
        grant = _locked(part.grant)
        if not _move(
            part,
            from_states=LIVE_STATES,
            state=ParticipantState.ENDED,
            ended_at=now(),
            ended_by=actor.label,
            ended_by_partnership_key=actor.partnership.key,
            end_reason=(reason or "").strip(),
        ):
            raise ValidationError(["This partnership's part has already ended."])
        other = grant.lead if own else part.partnership
        _record(actor, other, "joint_review.part_ended", grant, partnership=part.partnership.key)
    return part


def joint_review_end(*, actor: Actor, review: Review, reason: str) -> JointReviewGrant:
    """The lead's business manager or chair ends the joint review: every part still live ends
    with it, at once. The review itself goes on as the lead's."""
    require_joint_review_manager(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Say why the joint review ends."]})
    grant = JointReviewGrant.objects.filter(review_uuid=review.uuid).first()
    if grant is None or grant.lead_id != actor.partnership.pk:
        raise ValidationError(["This review is not held jointly."])
    moment = now()
    with transaction.atomic():
        grant = _locked(grant)
        if grant.ended_at is not None:
            raise ValidationError(["This joint review has already ended."])
        live = list(
            grant.participants.select_related("partnership").filter(state__in=list(LIVE_STATES))
        )
        JointReviewParticipant.objects.filter(grant=grant, state__in=list(LIVE_STATES)).update(
            state=ParticipantState.ENDED,
            ended_at=moment,
            ended_by=actor.label,
            ended_by_partnership_key=actor.partnership.key,
            end_reason=reason.strip(),
        )
        JointReviewGrant.objects.filter(pk=grant.pk).update(
            ended_at=moment, ended_by=actor.label, end_reason=reason.strip()
        )
        grant.ended_at, grant.ended_by, grant.end_reason = moment, actor.label, reason.strip()
        audit_event_record(
            actor=actor,
            action="joint_review.ended",
            object_type="joint_review",
            object_ref=str(grant.review_uuid),
            detail={"review": grant.review_reference, "parts": [p.partnership.key for p in live]},
        )
        for part in live:
            door.audit_elsewhere(
                actor=actor,
                partnership=part.partnership,
                action="joint_review.ended",
                object_type="joint_review",
                object_ref=str(grant.review_uuid),
                detail={"review": grant.review_reference, "lead": grant.lead.key},
            )
    return grant


def joint_review_commission(
    *,
    actor: Actor,
    title: str,
    commissioned_on: datetime.date | None,
    partnership_keys: list[str],
    referrals=(),
    agencies=(),
    review_type: str = "thematic",
) -> Review:
    """Commission a review and invite partnerships to hold it jointly, together or not at all."""
    from casework.services.reviews import thematic_review_commission

    with transaction.atomic():
        review = thematic_review_commission(
            actor=actor,
            title=title,
            commissioned_on=commissioned_on,
            referrals=referrals,
            agencies=agencies,
            review_type=review_type,
        )
        for key in dict.fromkeys(k.strip().lower() for k in partnership_keys if k.strip()):
            try:
                joint_review_invite(actor=actor, review=review, partnership_key=key)
            except ValidationError as error:
                raise ValidationError({"joint_with": error.messages}) from None
    return review
