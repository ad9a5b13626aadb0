"""Action plans (DESIGN §2 step 6): each recommendation's actions, owned by agencies (or by a
partnership in a joint review), their progress with evidence, RAG status, verification and the
daily chase of overdue ones."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework import permissions
from casework.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Recommendation,
)
from casework.services.documents import DOCUMENT_MAX_BYTES
from casework.services.information import (
    each_chased_once_a_day,
)
from casework.services.reviews import agency_check, review_audit
from casework.working_days import working_days_between
from tenants.actors import Actor
from tenants.agencies.models import Agency
from tenants.clock import now, today
from tenants.files import (
    DOCUMENTS_AND_IMAGES,
    UploadedFile,
    Uploads,
    stored_file_save,
)
from tenants.validation import error_add, errors_raise

EVIDENCE = Uploads(DOCUMENTS_AND_IMAGES, "PDF, Word document or image")


def action_rag(action: Action, day: datetime.date) -> str:
    """Red, amber or green from progress and the due date: green when complete or verified;
    red when overdue; amber when due within 10 working days, or not started with less than half
    its time left; green otherwise."""
    if action.status in (ActionStatus.COMPLETE, ActionStatus.VERIFIED):
        return "green"
    if action.due < day:
        return "red"
    if working_days_between(day, action.due) <= 10:
        return "amber"
    if action.status == ActionStatus.NOT_STARTED:
        started = timezone.localdate(action.created_at) if action.created_at else day
        if (action.due - day) * 2 < (action.due - started):
            return "amber"
    return "green"


def action_add(
    *,
    actor: Actor,
    recommendation: Recommendation,
    description: str,
    owner_agency: Agency | None,
    due: datetime.date | None,
) -> Action:
    """An action on a recommendation, owned by an agency (or, with none, by the partnership). In
    a joint review a participant agrees actions its own agencies, or it itself, will carry out:
    it owns them and tracks them with its own."""
    review = recommendation.review
    permissions.require_review_contributor(actor, review)
    errors: dict[str, list[str]] = {}
    agency_check(actor, review, owner_agency, errors, "owner")
    if not (description or "").strip():
        error_add(errors, "description", "Describe the action.")
    if due is None:
        error_add(errors, "due", "Enter the due date.")
    elif due < today():
        error_add(errors, "due", "The due date cannot be in the past.")
    errors_raise(errors)
    with transaction.atomic():
        action = Action.objects.create(
            recommendation=recommendation,
            review=review,
            description=description.strip(),
            owner_agency=owner_agency,
            owner_partnership_key=actor.partnership.key
            if actor.is_joint and owner_agency is None
            else "",
            due=due,
        )
        review_audit(
            actor,
            review,
            "action.added",
            action=str(action.uuid),
            owner=owner_agency.name
            if owner_agency
            else (action.owner_partnership_key or "partnership"),
            due=due.isoformat(),
        )
    return action


def action_update_add(
    *,
    actor: Actor,
    action: Action,
    status: str,
    note: str,
    evidence: UploadedFile | None = None,
) -> ActionUpdate:
    """Progress from the owner, with evidence. A verified action cannot change."""
    permissions.require_action_updater(actor, action)
    if Action.objects.filter(pk=action.pk, status=ActionStatus.VERIFIED).exists():
        raise ValidationError(["This action has been verified by the review group and is closed."])
    errors: dict[str, list[str]] = {}
    if status not in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETE):
        error_add(errors, "status", "Choose not started, in progress or complete.")
    if not (note or "").strip():
        error_add(errors, "note", "Describe the progress.")
    content_type = ""
    if evidence is not None:
        content_type = EVIDENCE.check(errors, "evidence", evidence, max_bytes=DOCUMENT_MAX_BYTES)
    errors_raise(errors)
    with transaction.atomic():
        update = ActionUpdate(
            action=action,
            status=status,
            note=note.strip(),
            written_by=actor.label,
            evidence_name=evidence.name[:255] if evidence else "",
            evidence_type=content_type,
        )
        if evidence is not None:
            stored_file_save(update.evidence, name=update.uuid, upload=evidence)
        update.save()
        Action.objects.filter(pk=action.pk).update(status=status)
        action.status = status
        review_audit(
            actor,
            action.review,
            "action.updated",
            action=str(action.uuid),
            status=status,
            evidence=bool(evidence),
        )
    return update


def action_verify(*, actor: Actor, action: Action) -> Action:
    """The review group verifies a completed action; it is then closed. A joint review's
    participant verifies its own actions."""
    permissions.require_action_verifier(actor, action)
    moment = now()
    with transaction.atomic():
        # Decided in the database: the action must be complete now, not when it was read.
        if not Action.objects.filter(pk=action.pk, status=ActionStatus.COMPLETE).update(
            status=ActionStatus.VERIFIED, verified_by=actor.label, verified_at=moment
        ):
            raise ValidationError(["Only a completed action can be verified."])
        action.status, action.verified_by, action.verified_at = (
            ActionStatus.VERIFIED,
            actor.label,
            moment,
        )
        review_audit(actor, action.review, "action.verified", action=str(action.uuid))
    return action


def actions_chase(*, actor: Actor, day: datetime.date | None = None) -> int:
    """The daily job: each overdue open action is chased with its owner once a day."""
    day = day or today()
    overdue = Action.objects.filter(
        status__in=(ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS), due__lt=day
    ).select_related("owner_agency", "review")

    def chase(action):
        # The row is the reminder: its hand-off (casework/handoffs/actions.py) tells the owner
        # agency's users (or the owning partnership's business managers), once a day each.
        review_audit(
            actor,
            action.review,
            "action.chased",
            action=str(action.uuid),
        )

    return each_chased_once_a_day(overdue, day, chase)
