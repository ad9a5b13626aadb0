"""What the platform tells people and agencies' systems, kept in the partnership's schema.

``HandoffEvent`` is the outbox: one row per audit row whose action someone must hear of, written
in the same transaction (``tenants.handoffs``), worked by a task after commit. ``Message`` is one
email to one person (sent, failed, or held for their daily digest), the business manager's log.
``Webhook`` and ``WebhookDelivery`` are an agency system's subscriptions and each delivery.
None holds a child's name or case detail: references, states, due dates and links only.
"""

import uuid

from django.db import models
from django.db.models.functions import Now


class HandoffEvent(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    audit_position = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_ref = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    actor_partnership_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(db_default=Now(), db_index=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_ref}"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Straight away"
    DIGEST = "digest", "In a daily digest"


class Message(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Sending"
        HELD = "held", "Held for the daily digest"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        HandoffEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    kind = models.CharField(max_length=32)
    recipient = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True)
    # One reminder per person per item per day: the key names the three, and is unique.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    delivery = models.CharField(max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(db_default=Now(), db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A digest is itself a message; the messages it gathered point to it.
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="gathered"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient}"


class NotificationPreference(models.Model):
    """A person's choice, in this partnership, for one kind of hand-off. No row: straight away."""

    user_uuid = models.UUIDField()
    kind = models.CharField(max_length=32)
    delivery = models.CharField(max_length=16, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_uuid", "kind"], name="one_choice_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


class Webhook(models.Model):
    """An agency system's subscription (DESIGN §4). The secret signs each delivery (Standard
    Webhooks), so it is kept as issued; it is shown once, when the webhook is created."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "workspace.Agency", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100)
    created_at = models.DateTimeField(db_default=Now())
    created_by = models.CharField(max_length=254, blank=True)
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        RETRYING = "retrying", "Failed, will retry"
        DELIVERED = "delivered", "Delivered"
        GIVEN_UP = "given_up", "Given up"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(
        HandoffEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    event_type = models.CharField(max_length=64)
    # The webhook-id: the same on every attempt, so a receiver can drop a repeat.
    message_id = models.CharField(max_length=64, unique=True)
    # The body as first signed: every retry sends these bytes again.
    body = models.TextField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now(), db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"
