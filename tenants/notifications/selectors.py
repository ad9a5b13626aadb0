"""Reads of what the platform told people and agencies' systems. The business manager's pages
(messages, webhooks and their deliveries) record themselves in the audit trail; an agency's
system reads only its own agency's webhooks. Missing and not yours: the same 404."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.agencies.permissions import may_run_workspace
from tenants.handoffs import KINDS
from tenants.notifications.models import (
    Delivery,
    Message,
    NotificationPreference,
    Webhook,
    WebhookDelivery,
)
from tenants.validation import found_or_404, uuid_or_404

PAGE_SIZE = 50


def _require_workspace(actor: Actor) -> None:
    if not may_run_workspace(actor):
        raise Http404("No such page.")


def messages_for_page(*, actor: Actor, page: int | str | None) -> Page:
    """The messages sent, failed or held in this partnership, newest first, a page at a time
    (two queries whatever the page), for the business manager. Reading them is recorded."""
    _require_workspace(actor)
    paginator = Paginator(
        Message.objects.only(
            "uuid",
            "kind",
            "recipient",
            "subject",
            "state",
            "attempts",
            "error",
            "created_at",
            "sent_at",
        ),
        PAGE_SIZE,
    )
    found = paginator.get_page(page)
    audit_event_record(
        actor=actor,
        action="messages.viewed",
        object_type="message",
        detail={"page": found.number},
    )
    return found


def preferences_of(*, actor: Actor) -> dict[str, str]:
    """The signed-in person's choice for every kind (straight away unless they chose)."""
    chosen = {}
    if actor.user is not None:
        chosen = dict(
            NotificationPreference.objects.filter(user_uuid=actor.user.uuid).values_list(
                "kind", "delivery"
            )
        )
    return {kind: chosen.get(kind, Delivery.IMMEDIATE) for kind in KINDS}


def webhooks_of_agency(*, actor: Actor) -> QuerySet[Webhook]:
    """An agency system's own live webhooks. Listing them is recorded (every agency GET is)."""
    audit_event_record(actor=actor, action="webhooks.listed", object_type="webhook")
    return Webhook.objects.filter(agency__uuid=actor.agency_uuid, deleted_at__isnull=True)


def access_agency_webhook(*, actor: Actor, webhook_uuid) -> Webhook:
    """One of the agency system's own webhooks; another agency's, or none: the same 404."""
    if actor.agency_uuid is None:
        raise Http404("No such webhook.")
    return found_or_404(
        Webhook.objects.select_related("agency")
        .filter(
            uuid=uuid_or_404(webhook_uuid),
            agency__uuid=actor.agency_uuid,
            deleted_at__isnull=True,
        )
        .first(),
        "No such webhook.",
    )


def webhooks_for_page(*, actor: Actor) -> QuerySet[Webhook]:
    """Every agency's webhooks, for the business manager (recorded)."""
    _require_workspace(actor)
    audit_event_record(actor=actor, action="webhooks.viewed", object_type="webhook")
    return Webhook.objects.select_related("agency").filter(deleted_at__isnull=True)


def access_webhook(*, actor: Actor, webhook_uuid) -> Webhook:
    """Any agency's live webhook, for the business manager; for anyone else, or none: a 404."""
    _require_workspace(actor)
    return found_or_404(
        Webhook.objects.select_related("agency")
        .filter(uuid=uuid_or_404(webhook_uuid), deleted_at__isnull=True)
        .first(),
        "No such webhook.",
    )


def webhook_deliveries_for_page(*, actor: Actor, webhook_uuid, page: int | str | None):
    """One webhook and its delivery log, newest first, a page at a time (recorded)."""
    webhook = access_webhook(actor=actor, webhook_uuid=webhook_uuid)
    found = Paginator(
        WebhookDelivery.objects.filter(webhook=webhook).defer("body"), PAGE_SIZE
    ).get_page(page)
    audit_event_record(
        actor=actor,
        action="webhook_deliveries.viewed",
        object_type="webhook",
        object_ref=str(webhook.uuid),
        detail={"page": found.number},
    )
    return webhook, found


def access_webhook_delivery(*, actor: Actor, webhook: Webhook, delivery_uuid) -> WebhookDelivery:
    _require_workspace(actor)
    return found_or_404(
        WebhookDelivery.objects.filter(uuid=uuid_or_404(delivery_uuid), webhook=webhook).first(),
        "No such delivery.",
    )
