"""Hand-offs: who must hear that it is their turn, told by email and agencies' webhooks.

Every change writes one audit row (``tenants.agencies.audit.audit_event_record``), in the same
transaction: that is the one place every service passes through, so it is where hand-offs are
caught. The apps that know what a referral or a review is (``casework.handoffs``,
``publishing.handoffs``) register a handler per audit action in their ``AppConfig.ready()``;
``tenants`` never imports them. When a registered action is recorded, an outbox row
(``HandoffEvent``) is written beside the audit row and a task is sent after commit
(``tenants.notifications.services.handoff_dispatch``): the handler runs there, off the request,
and says **who** (``Notice.recipients``) and **what** (the reference, what is asked, the due
date, a link: never a child's name or case detail, since email leaves the platform).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

# The kinds of hand-off each person chooses "straight away" or "daily digest" for.
KINDS = {
    "referral": "New referrals",
    "request": "Contributions and information asked of your agency",
    "decision": "Decisions and sign-offs waiting for you",
    "appointment": "Your appointment as a lead reviewer",
    "joint_review": "Joint-review invitations and their answers",
    "action": "Actions assigned to you or your agency",
    "answer": "Agencies' answers",
    "reminder": "Reminders of work due or overdue",
}

# The webhook events agencies' systems may subscribe to (DESIGN §4).
WEBHOOK_EVENTS = (
    "referral.received",
    "referral.status_changed",
    "contribution.requested",
    "information_request.created",
    "action.assigned",
    "action.due_soon",
)


@dataclass(frozen=True)
class Notice:
    """One hand-off email to some people. ``what`` says what is asked, in the platform's own
    words; ``path`` is the page on ``partnership``'s host (that partnership when None).
    ``once_a_day`` makes it a reminder: at most one per person per ``item`` per day."""

    kind: str
    recipients: tuple[str, ...]
    reference: str
    what: str
    path: str
    due: datetime.date | None = None
    partnership: object = None
    once_a_day: bool = False
    item: str = ""


@dataclass(frozen=True)
class WebhookEvent:
    """One event for the webhooks of one agency of this partnership; ``data`` holds references
    and states only."""

    agency_uuid: object
    type: str
    data: dict


@dataclass
class Handoff:
    notices: list[Notice] = field(default_factory=list)
    webhook_events: list[WebhookEvent] = field(default_factory=list)


@dataclass(frozen=True)
class HandoffContext:
    """What a handler is given: the outbox row (action, object, detail as the audit row has
    them) and the partnership whose schema it was recorded in."""

    event: object
    partnership: object
    day: datetime.date


Handler = Callable[[HandoffContext], Handoff]

_HANDLERS: dict[str, list[Handler]] = {}


def handlers_register(table: dict[str, Handler]) -> None:
    """Register each audit action's handler (an app's ``ready()``). Registering the same
    function twice for an action is a no-op, so a second ``ready()`` changes nothing."""
    for action, handler in table.items():
        handlers = _HANDLERS.setdefault(action, [])
        if handler not in handlers:
            handlers.append(handler)


def handlers_for(action: str) -> list[Handler]:
    return list(_HANDLERS.get(action, ()))


def registered_actions() -> set[str]:
    return set(_HANDLERS)


def handoff_queue(*, audit_event, actor) -> None:
    """Called by ``audit_event_record`` for every row: when someone must hear of the action,
    write the outbox row now (in the audit row's transaction) and send its task after commit,
    to the schema the row was written in (a joint review's lead, through the door)."""
    if audit_event.action not in _HANDLERS:
        return
    from tenants.notifications.models import HandoffEvent

    event = HandoffEvent.objects.create(
        audit_position=audit_event.position or None,
        action=audit_event.action,
        object_type=audit_event.object_type,
        object_ref=audit_event.object_ref,
        detail=audit_event.detail,
        actor_label=actor.label,
        actor_partnership_key=actor.partnership.key,
    )
    from tenants.notifications.tasks import handoff_dispatch_task

    handoff_dispatch_task.send_after_commit(str(event.uuid))
