"""Joint-review grants, in the public schema: which review (by its stable UUID, never a
schema-local id), which partnership leads it, and one row per invited partnership with its state
and what it may do. Nothing confidential lives here: the reference and the title are what the
review's own pages show (titles are pseudonyms, e.g. "Children R, S and W"), and people are named
by the email they act under, as in the audit trail.

A participant's states::

    invited ──accept──▶ accepted ──lead opens──▶ active ──either side ends──▶ ended
       │                    │                                    ▲
       └──decline──▶ declined                 lead withdraws ────┘ (from invited or accepted)

"Accepted" and "active" are distinct: a partnership's acceptance says it will take part; the
door opens only when the review is *active* for it, which is at acceptance when the lead asked
for that in the invitation (the default), else when the lead's business manager or chair opens
it (for instance once an information-sharing agreement is signed). Ended and declined are final:
the same partnership is not invited to the same review twice.
"""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now

from tenants.models import Partnership


class ParticipantState(models.TextChoices):
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted, waiting for the lead to open the review"
    ACTIVE = "active", "Taking part"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Ended"


# The states from which a participant's part can still change.
LIVE_STATES = (ParticipantState.INVITED, ParticipantState.ACCEPTED, ParticipantState.ACTIVE)
# A partnership that took part (even if its part has since ended) is named with the review.
TOOK_PART_STATES = (ParticipantState.ACCEPTED, ParticipantState.ACTIVE, ParticipantState.ENDED)


class ParticipantPermission(models.TextChoices):
    """What a participant's people may do in the lead's review, beyond reading its workspace
    (which its review group and the lead reviewers appointed to the review always may)."""

    CONTRIBUTE = (
        "contribute",
        "Add chronology entries from its agencies, ask its agencies for information and agree "
        "the actions it and its agencies own",
    )
    FINDINGS = "findings", "Write findings and recommendations"
    AGENCIES = (
        "agencies",
        "Let its agencies' users and systems answer information requests and report progress "
        "on their actions",
    )


ALL_PERMISSIONS = tuple(ParticipantPermission.values)


class JointReviewGrant(models.Model):
    """A review that two or more partnerships hold together. The review lives in the lead's
    schema; this names it and who takes part (DESIGN §3)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review_uuid = models.UUIDField(unique=True, help_text="Review.uuid in the lead's schema")
    review_reference = models.CharField(max_length=24)
    review_title = models.CharField(max_length=200)
    lead = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="joint_reviews_led"
    )
    created_at = models.DateTimeField(db_default=Now())
    created_by = models.CharField(max_length=254)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=254, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.review_reference} (led by {self.lead.key})"


class JointReviewParticipant(models.Model):
    """One invited partnership's part in a joint review: its state, what it may do, and who
    moved it there and when."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    grant = models.ForeignKey(
        JointReviewGrant, on_delete=models.CASCADE, related_name="participants"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="joint_review_parts"
    )
    state = models.CharField(
        max_length=16, choices=ParticipantState.choices, default=ParticipantState.INVITED
    )
    permissions = ArrayField(
        models.CharField(max_length=16, choices=ParticipantPermission.choices),
        default=list,
        blank=True,
    )
    open_on_acceptance = models.BooleanField(
        default=True, help_text="The review opens to them as soon as they accept"
    )
    invited_at = models.DateTimeField(db_default=Now())
    invited_by = models.CharField(max_length=254)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.CharField(max_length=254, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.CharField(max_length=254, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=254, blank=True)
    # The key of the partnership whose person ended it: the lead's or the participant's own.
    ended_by_partnership_key = models.CharField(max_length=40, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["grant", "invited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "partnership"], name="one_part_per_partnership_per_review"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "state"], name="joint_part_by_state")]

    def __str__(self) -> str:
        return f"{self.partnership.key} in {self.grant.review_reference}: {self.state}"

    def may(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def is_active(self) -> bool:
        return self.state == ParticipantState.ACTIVE
