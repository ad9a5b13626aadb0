"""Action plans (DESIGN §2 step 6): each recommendation's actions, owned by an agency or a
partnership, and their progress updates with evidence."""

import uuid

from django.db import models
from django.db.models.functions import Now

from casework.models.reviews import Recommendation, Review
from tenants.agencies.models import Agency


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    VERIFIED = "verified", "Verified"


class Action(models.Model):
    """What an owner (an agency, or the partnership) will do about a recommendation, by when."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    # With no agency, the action is the partnership's: this one's when empty, else (in a joint
    # review) the participating partnership with this key. A participant's agency (a mirror)
    # carries its partnership's key itself.
    owner_partnership_key = models.CharField(max_length=40, blank=True)
    due = models.DateField()
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    created_at = models.DateTimeField(db_default=Now())
    verified_by = models.CharField(max_length=254, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    last_chased_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["status", "due"], name="action_open_due"),
            models.Index(fields=["owner_agency", "status"], name="action_owner"),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class ActionUpdate(models.Model):
    """Progress on an action, with evidence."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=16, choices=ActionStatus.choices)
    note = models.TextField()
    evidence = models.FileField(upload_to="evidence/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    written_by = models.CharField(max_length=254)
    written_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"Update on {self.action}"
