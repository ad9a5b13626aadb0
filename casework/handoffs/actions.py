"""Hand-offs of an action plan: an action assigned, falling due (the daily job that notes it)
and overdue, told to its owner and the owner agency's systems."""

import datetime

from celery import shared_task
from django.db import transaction

from casework.handoffs.recipients import agency_recipients, role_emails, webhook_for
from casework.models import Action, ActionStatus
from casework.working_days import add_working_days
from tenants.agencies.audit import audit_event_record
from tenants.handoffs import Handoff, HandoffContext, Notice
from tenants.models import Partnership, Role
from tenants.tasks import PartnershipTask

# An action is "due soon" this many working days before its due date (the daily job tells its
# owner and the owner agency's webhooks once).
ACTION_DUE_SOON_WORKING_DAYS = 5


def _action(context: HandoffContext) -> Action | None:
    return (
        Action.objects.select_related("owner_agency", "review")
        .filter(uuid=context.event.detail.get("action"))
        .first()
    )


def _action_owners(context: HandoffContext, action: Action) -> tuple[tuple[str, ...], object]:
    if action.owner_agency is not None:
        return agency_recipients(context.partnership, action.owner_agency)
    home = (
        Partnership.objects.filter(key=action.owner_partnership_key).first() or context.partnership
    )
    return role_emails(home, Role.BUSINESS_MANAGER), home


def _action_handoff(
    context: HandoffContext, *, what: str, kind: str, event_type: str, once_a_day: bool
) -> Handoff:
    action = _action(context)
    if action is None:
        return Handoff()
    recipients, home = _action_owners(context, action)
    return Handoff(
        notices=[
            Notice(
                kind=kind,
                recipients=recipients,
                reference=action.review.reference,
                what=what,
                due=action.due,
                path="/actions/",
                partnership=home,
                once_a_day=once_a_day,
                item=f"action:{action.uuid}",
            )
        ],
        webhook_events=webhook_for(
            action.owner_agency,
            event_type,
            {
                "id": str(action.uuid),
                "reference": action.review.reference,
                "due": action.due.isoformat(),
                "status": action.status,
            },
        )
        if event_type
        else [],
    )


def action_assigned(context: HandoffContext) -> Handoff:
    return _action_handoff(
        context,
        what="An action from a review has been assigned to you",
        kind="action",
        event_type="action.assigned",
        once_a_day=False,
    )


def action_due_soon(context: HandoffContext) -> Handoff:
    return _action_handoff(
        context,
        what="An action is due soon",
        kind="reminder",
        event_type="action.due_soon",
        once_a_day=True,
    )


def action_overdue(context: HandoffContext) -> Handoff:
    return _action_handoff(
        context, what="An action is overdue", kind="reminder", event_type="", once_a_day=True
    )


def actions_due_soon_note(*, actor, day: datetime.date) -> int:
    """The daily job: each open action falling due within ``ACTION_DUE_SOON_WORKING_DAYS``
    working days is noted in the trail once (the hand-off tells its owner; the sending layer
    keeps it to once a day per person and action, however often the job runs)."""
    horizon = add_working_days(day, ACTION_DUE_SOON_WORKING_DAYS)
    noted = 0
    due_soon = Action.objects.filter(
        status__in=(ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS),
        due__gte=day,
        due__lte=horizon,
    ).select_related("review")
    for action in due_soon:
        with transaction.atomic():
            audit_event_record(
                actor=actor,
                action="action.due_soon",
                object_type="review",
                object_ref=action.review.reference,
                detail={"action": str(action.uuid), "due": action.due.isoformat()},
            )
        noted += 1
    return noted


@shared_task(base=PartnershipTask, bind=True)
def actions_due_soon_task(self) -> int:
    """Daily, per partnership: actions due soon are told to their owners."""
    from tenants.clock import today

    return actions_due_soon_note(actor=self.platform_actor("daily actions due soon"), day=today())
