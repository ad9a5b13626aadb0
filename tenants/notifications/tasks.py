"""Tasks take identifiers, never personal data, and call a service. Each runs in the schema its
message names (``SchemaTask`` refuses to run without one) and is safe to run twice."""

from celery import shared_task
from django.conf import settings

from safeguard.celery import SchemaTask
from tenants.notifications import services, webhooks


@shared_task(base=SchemaTask, bind=True)
def handoff_dispatch_task(self, event_uuid: str) -> int:
    """An outbox row, after its transaction committed: who hears of it, and its webhooks."""
    return services.handoff_dispatch(event_uuid=event_uuid)


@shared_task(base=SchemaTask, bind=True)
def message_send_task(self, message_uuid: str) -> int | None:
    """One email, tried again with backoff (10 s, 20 s, 40 s… at most an hour apart) until it is
    sent or ``MESSAGE_MAX_ATTEMPTS`` have failed; each failure is kept on the message. The next
    try is a new message with its countdown, the count kept on the row, not in the broker."""
    delay = services.message_send(message_uuid=message_uuid)
    if delay is not None:
        message_send_task.apply_async(args=[message_uuid], countdown=delay)
    return delay


@shared_task(
    base=SchemaTask,
    bind=True,
    soft_time_limit=settings.WEBHOOK_TIMEOUT_SECONDS * 3,
    time_limit=settings.WEBHOOK_TIMEOUT_SECONDS * 4,
)
def webhook_deliver_task(self, delivery_uuid: str, once: bool = False) -> int | None:
    """One attempt at a webhook delivery; the next, if any, is sent with its countdown. The
    task's own time limits back the short HTTP timeout, so a receiver never holds a worker."""
    delay = webhooks.webhook_deliver(delivery_uuid=delivery_uuid, once=once)
    if delay is not None:
        webhook_deliver_task.apply_async(args=[delivery_uuid], countdown=delay)
    return delay


@shared_task(base=SchemaTask, bind=True)
def handoffs_sweep_task(self) -> int:
    """Every ten minutes, per partnership: outbox rows whose task was lost are sent again."""
    return services.handoffs_sweep()


@shared_task(base=SchemaTask, bind=True)
def digests_send_task(self) -> int:
    """Daily, per partnership: each person's held messages as one email."""
    return services.digests_send()
