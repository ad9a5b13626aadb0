"""Agencies' webhooks (DESIGN §4): subscribing, deleting, and delivering each event to the
agency it concerns, retried on the same ``webhook-id`` until it is received or a day has gone.

A first retry comes within 10 seconds, then the waits grow (``WEBHOOK_RETRY_DELAYS``, about a
day in all, as the Standard Webhooks specification suggests); a delivery still failing then is
given up, the webhook is switched off and the agency's users are told by email. The business
manager sees each webhook's deliveries in the workspace and can send one again.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency
from tenants.agencies.permissions import may_run_workspace
from tenants.clock import now
from tenants.handoffs import WEBHOOK_EVENTS, WebhookEvent
from tenants.models import Membership, Role
from tenants.notifications import outbound
from tenants.notifications.models import HandoffEvent, Webhook, WebhookDelivery
from tenants.notifications.services import messages_queue

MAX_WEBHOOKS_PER_AGENCY = 10


def _agency_of(actor: Actor) -> Agency:
    if actor.kind != "api_key" or actor.agency_uuid is None:
        raise PermissionDenied("Only an agency's system manages its webhooks.")
    return Agency.objects.get(uuid=actor.agency_uuid)


def webhook_create(*, actor: Actor, url: str, events: list[str]) -> tuple[Webhook, str]:
    """An agency's system subscribes ``url`` to ``events``. The address must pass the SSRF
    checks now (and again at each delivery). Returns the webhook and its secret, shown once."""
    agency = _agency_of(actor)
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(events) - set(WEBHOOK_EVENTS))
    if not events:
        errors["events"] = ["Choose at least one event."]
    elif unknown:
        errors["events"] = [f"Unknown events: {', '.join(unknown)}."]
    try:
        outbound.receiver_check(url)
    except outbound.UnsafeReceiver as error:
        errors["url"] = [str(error)]
    live = Webhook.objects.filter(agency=agency, deleted_at__isnull=True)
    if live.count() >= MAX_WEBHOOKS_PER_AGENCY:
        errors["url"] = [f"An agency may have at most {MAX_WEBHOOKS_PER_AGENCY} webhooks."]
    if errors:
        raise ValidationError(errors)
    secret = outbound.secret_new()
    with transaction.atomic():
        webhook = Webhook.objects.create(
            agency=agency,
            url=url,
            events=list(dict.fromkeys(events)),
            secret=secret,
            created_by=actor.label,
        )
        audit_event_record(
            actor=actor,
            action="webhook.created",
            object_type="webhook",
            object_ref=str(webhook.uuid),
            detail={"events": webhook.events},
        )
    return webhook, secret


def webhook_delete(*, actor: Actor, webhook: Webhook) -> None:
    """The agency's system removes its webhook; its deliveries stop, its log is kept."""
    if webhook.agency.uuid != _agency_of(actor).uuid:
        raise PermissionDenied("Not this agency's webhook.")
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook.pk).update(deleted_at=now(), is_active=False)
        audit_event_record(
            actor=actor,
            action="webhook.deleted",
            object_type="webhook",
            object_ref=str(webhook.uuid),
        )


def webhook_deliveries_create(
    *, event: HandoffEvent, webhook_events: list[WebhookEvent]
) -> list[str]:
    """One delivery per live webhook of the agency each event concerns, subscribed to its type
    (only that agency's: never another agency's, never another partnership's)."""
    created = []
    moment = now()
    for webhook_event in webhook_events:
        webhooks = Webhook.objects.filter(
            agency__uuid=webhook_event.agency_uuid, is_active=True, deleted_at__isnull=True
        )
        for webhook in webhooks:
            if webhook_event.type not in webhook.events:
                continue
            delivery = WebhookDelivery.objects.create(
                webhook=webhook,
                event=event,
                event_type=webhook_event.type,
                message_id=f"msg_{uuid.uuid4().hex}",
                body=outbound.payload(
                    event_type=webhook_event.type, data=webhook_event.data, moment=moment
                ),
            )
            created.append(str(delivery.uuid))
    return created


def retry_delay(attempts: int) -> int | None:
    """Seconds before the next attempt after ``attempts`` failed ones; None: give up."""
    delays = settings.WEBHOOK_RETRY_DELAYS
    return delays[attempts - 1] if 0 < attempts <= len(delays) else None


def webhook_deliver(*, delivery_uuid: str, once: bool = False) -> int | None:
    """One attempt at a delivery not yet received. Returns the seconds to wait before the next
    attempt, or None when there is none (delivered, given up, the webhook is off, or ``once``:
    the business manager's "send again", which also reaches a switched-off webhook)."""
    delivery = (
        WebhookDelivery.objects.select_related("webhook__agency")
        .filter(uuid=delivery_uuid)
        .exclude(state__in=(WebhookDelivery.State.DELIVERED, WebhookDelivery.State.GIVEN_UP))
        .first()
    )
    if delivery is None or delivery.webhook.deleted_at is not None:
        return None
    if not (once or delivery.webhook.is_active):
        return None
    webhook = delivery.webhook
    result = outbound.attempt(
        url=webhook.url, secret=webhook.secret, message_id=delivery.message_id, body=delivery.body
    )
    delivery.attempts += 1
    delivery.last_status, delivery.last_error = result.status, result.error
    delivery.last_attempt_at = result.timestamp
    delay = None
    if result.ok:
        delivery.state, delivery.delivered_at = WebhookDelivery.State.DELIVERED, result.timestamp
        delivery.next_attempt_at = None
    else:
        delay = None if once else retry_delay(delivery.attempts)
        if delay is None:
            delivery.state, delivery.next_attempt_at = WebhookDelivery.State.GIVEN_UP, None
        else:
            delivery.state = WebhookDelivery.State.RETRYING
            delivery.next_attempt_at = result.timestamp + datetime.timedelta(seconds=delay)
    delivery.save()
    if delivery.state == WebhookDelivery.State.GIVEN_UP and not once:
        webhook_disable(webhook=webhook, reason=result.error)
    return delay


def webhook_disable(*, webhook: Webhook, reason: str) -> None:
    """After a day of failures the webhook is switched off and the agency's users told."""
    if not Webhook.objects.filter(pk=webhook.pk, is_active=True).update(
        is_active=False, disabled_at=now(), disabled_reason=reason[:300]
    ):
        return
    recipients = sorted(
        Membership.objects.filter(
            agency_uuid=webhook.agency.uuid, role=Role.AGENCY_USER, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    messages_queue(
        kind="webhook",
        recipients=recipients,
        subject="Your agency's webhook has been switched off",
        body=(
            f"Deliveries to your agency's webhook {webhook.url} failed for a day, so it has "
            f"been switched off. Last error: {reason}\n\nYour system can create a new "
            "webhook with POST /api/v1/webhooks/ once the receiver answers again."
        ),
    )


def webhook_delivery_resend(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """The business manager sends a delivery again (same webhook-id and body), once now."""
    if not may_run_workspace(actor):
        raise PermissionDenied("Only the business manager sends a delivery again.")
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=WebhookDelivery.State.PENDING, next_attempt_at=None
        )
        audit_event_record(
            actor=actor,
            action="webhook.delivery_resent",
            object_type="webhook",
            object_ref=str(delivery.webhook.uuid),
            detail={"delivery": str(delivery.uuid)},
        )
        from tenants.notifications.tasks import webhook_deliver_task

        webhook_deliver_task.send_after_commit(str(delivery.uuid), once=True)
    return delivery
