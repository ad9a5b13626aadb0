"""Hand-off emails: working an outbox row into messages, sending them, digests and choices.

The handlers (``casework.handoffs``, ``publishing.handoffs``) say who and what; this module
turns each ``Notice`` into one ``Message`` per person, as that person chose (straight away, or
held for the daily digest), at most once a day per person per item for reminders, and sends it
through Django's mail (GOV.UK Notify with ``safeguard.notify.NotifyEmailBackend``) in a task
after commit, retried with backoff. Webhook events go to ``tenants.notifications.webhooks``.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction

from tenants import handoffs
from tenants.actors import Actor
from tenants.addresses import partnership_url
from tenants.clock import now, today
from tenants.models import Partnership, User
from tenants.notifications.models import (
    Delivery,
    HandoffEvent,
    Message,
    NotificationPreference,
)

logger = logging.getLogger(__name__)

# A message not sent after this many attempts is marked failed, for the business manager to see.
MESSAGE_MAX_ATTEMPTS = 5
PREFERENCES_PATH = "/account/notifications/"


def _current_partnership() -> Partnership:
    return Partnership.objects.get(schema_name=connection.schema_name)


def handoff_dispatch(*, event_uuid: str, day: datetime.date | None = None) -> int:
    """Work one outbox row: ask its handlers who must hear of it and what, write the messages
    and webhook deliveries, and send them after commit. Safe to run twice: a row already done
    is left alone, and the row is claimed under a lock."""
    from tenants.notifications.webhooks import webhook_deliveries_create

    partnership = _current_partnership()
    with transaction.atomic():
        event = HandoffEvent.objects.select_for_update().filter(uuid=event_uuid).first()
        if event is None or event.state == HandoffEvent.State.DONE:
            return 0
        context = handoffs.HandoffContext(event=event, partnership=partnership, day=day or today())
        handoff = handoffs.Handoff()
        for handler in handoffs.handlers_for(event.action):
            result = handler(context)
            handoff.notices.extend(result.notices)
            handoff.webhook_events.extend(result.webhook_events)
        messages = [
            message
            for notice in handoff.notices
            for message in _messages_write(notice, event, partnership, context.day)
        ]
        deliveries = webhook_deliveries_create(event=event, webhook_events=handoff.webhook_events)
        event.state, event.finished_at = HandoffEvent.State.DONE, now()
        event.save(update_fields=["state", "finished_at"])
        _send_after_commit([m for m in messages if m.state == Message.State.QUEUED], deliveries)
    return len(messages) + len(deliveries)


# An outbox row still queued this long after it was written lost its task (a worker died, the
# broker lost the message, a handler failed): the sweeper sends it again, at most this often.
OUTBOX_SWEEP_AFTER = datetime.timedelta(minutes=5)
OUTBOX_MAX_ATTEMPTS = 3


def handoffs_sweep() -> int:
    """Every ten minutes: an outbox row left queued is sent again (the outbox's promise: a
    change committed is told, even if its first task was lost); after ``OUTBOX_MAX_ATTEMPTS``
    sends it is marked failed. Safe to run twice: rows are claimed under a lock."""
    from tenants.notifications.tasks import handoff_dispatch_task

    stale = now() - OUTBOX_SWEEP_AFTER
    sent = 0
    with transaction.atomic():
        rows = HandoffEvent.objects.select_for_update(skip_locked=True).filter(
            state=HandoffEvent.State.QUEUED, created_at__lt=stale
        )
        for event in rows:
            if event.attempts >= OUTBOX_MAX_ATTEMPTS:
                event.state = HandoffEvent.State.FAILED
                event.save(update_fields=["state"])
                logger.error("Hand-off %s (%s) failed for good", event.uuid, event.action)
                continue
            event.attempts += 1
            event.save(update_fields=["attempts"])
            handoff_dispatch_task.send_after_commit(str(event.uuid))
            sent += 1
    return sent


def _send_after_commit(messages: list[Message], delivery_uuids: list[str]) -> None:
    from tenants.notifications.tasks import message_send_task, webhook_deliver_task

    for message in messages:
        message_send_task.send_after_commit(str(message.uuid))
    for delivery_uuid in delivery_uuids:
        webhook_deliver_task.send_after_commit(delivery_uuid)


def message_body(notice: handoffs.Notice, link: str) -> tuple[str, str]:
    """The subject and the text: the reference, what is asked, the due date and the link. The
    platform writes every word; nothing of the case is copied in (email leaves the platform)."""
    subject = f"{notice.reference}: {notice.what}"[:200]
    lines = [f"{notice.what}.", "", f"Reference: {notice.reference}"]
    if notice.due is not None:
        lines.append(f"Due: {notice.due.isoformat()}")
    lines += ["", f"Open it: {link}"]
    return subject, "\n".join(lines)


def _messages_write(
    notice: handoffs.Notice, event: HandoffEvent, partnership: Partnership, day: datetime.date
) -> list[Message]:
    home = notice.partnership or partnership
    link = partnership_url(partnership=home, path=notice.path)
    subject, text = message_body(notice, link)
    text += (
        "\n\nYou are told because it is your turn. Choose how you hear of this: "
        + partnership_url(partnership=home, path=PREFERENCES_PATH)
    )
    recipients = sorted(set(notice.recipients))
    chosen = preferences_for(emails=recipients, kind=notice.kind)
    written = []
    for recipient in recipients:
        delivery = chosen.get(recipient, Delivery.IMMEDIATE)
        message = Message(
            event=event,
            kind=notice.kind,
            recipient=recipient,
            subject=subject,
            body=text,
            link=link,
            delivery=delivery,
            state=Message.State.HELD if delivery == Delivery.DIGEST else Message.State.QUEUED,
            dedupe_key=(
                f"{notice.kind}:{notice.item or notice.reference}:{recipient}:{day.isoformat()}"
                if notice.once_a_day
                else None
            ),
        )
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            continue  # this reminder already went to this person today
        written.append(message)
    return written


def preferences_for(*, emails: list[str], kind: str) -> dict[str, str]:
    """Each person's choice for ``kind`` in this partnership, by email (none: straight away)."""
    users = dict(User.objects.filter(email__in=emails).values_list("uuid", "email"))
    choices = NotificationPreference.objects.filter(user_uuid__in=users, kind=kind)
    return {users[choice.user_uuid]: choice.delivery for choice in choices}


def preferences_save(*, actor: Actor, choices: dict[str, str]) -> None:
    """A signed-in person's choices, kind by kind, in this partnership."""
    if actor.user is None:
        raise PermissionDenied("Only a signed-in person chooses how they are told.")
    unknown = [kind for kind in choices if kind not in handoffs.KINDS]
    wrong = [kind for kind, value in choices.items() if value not in Delivery.values]
    if unknown or wrong:
        problem = ["Choose straight away or daily."]
        raise ValidationError({kind: problem for kind in unknown + wrong})
    with transaction.atomic():
        for kind, delivery in choices.items():
            NotificationPreference.objects.update_or_create(
                user_uuid=actor.user.uuid, kind=kind, defaults={"delivery": delivery}
            )


def messages_queue(*, kind: str, recipients: list[str], subject: str, body: str) -> list[Message]:
    """A message of the platform's own (not a hand-off) to each of ``recipients``, logged and
    sent like the others, after commit."""
    messages = [
        Message.objects.create(kind=kind, recipient=recipient, subject=subject, body=body)
        for recipient in sorted(set(recipients))
    ]
    _send_after_commit(messages, [])
    return messages


def message_retry_delay(attempts: int) -> int:
    """Seconds before the next try after ``attempts`` failed ones: 10, 20, 40… at most an hour."""
    return min(3600, 10 * 2 ** (attempts - 1))


def message_send(*, message_uuid: str) -> int | None:
    """Send one queued message. Returns None when it is done (sent, failed for good, or not
    queued), else the seconds to wait before trying again (``message_retry_delay``); after
    ``MESSAGE_MAX_ATTEMPTS`` the message is marked failed with its last error, for the business
    manager to see. Safe to run twice: only a queued message is sent, claimed under a lock."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(uuid=message_uuid, state=Message.State.QUEUED)
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        try:
            EmailMessage(subject=message.subject, body=message.body, to=[message.recipient]).send()
        except Exception as error:
            message.error = f"{type(error).__name__}: {error}"[:500]
            if message.attempts >= MESSAGE_MAX_ATTEMPTS:
                message.state = Message.State.FAILED
            message.save(update_fields=["attempts", "error", "state"])
            if message.state == Message.State.FAILED:
                logger.warning("Message %s failed for good: %s", message.uuid, message.error)
                return None
            return message_retry_delay(message.attempts)
        message.state, message.sent_at, message.error = Message.State.SENT, now(), ""
        message.save(update_fields=["attempts", "error", "state", "sent_at"])
    return None


def digests_send(*, day: datetime.date | None = None) -> int:
    """The daily job: each person's held messages go out as one email, listing each subject
    and its link. A message is gathered once (the held state is claimed under a lock)."""
    day = day or today()
    partnership = _current_partnership()
    sent = []
    with transaction.atomic():
        held = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(state=Message.State.HELD)
            .order_by("recipient", "created_at", "pk")
        )
        by_recipient: dict[str, list[Message]] = {}
        for message in held:
            by_recipient.setdefault(message.recipient, []).append(message)
        for recipient, messages in by_recipient.items():
            lines = [f"What came your way in {partnership.name} ({day.isoformat()}):", ""]
            for message in messages:
                lines.append(f"- {message.subject}\n  {message.link}")
            digest = Message.objects.create(
                kind="digest",
                recipient=recipient,
                subject=f"Your daily summary: {len(messages)} to look at",
                body="\n".join(lines),
            )
            Message.objects.filter(pk__in=[m.pk for m in messages]).update(
                state=Message.State.SENT, digest=digest, sent_at=now()
            )
            sent.append(digest)
        _send_after_commit(sent, [])
    return len(sent)
