"""Reviews (DESIGN §2 step 5): the review a decision (or a commission) starts, its lead
reviewers and their declared affiliations, terms of reference, agency information requests, the
merged chronology, findings, recommendations, each partnership's sign-off and the documents."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now

from casework.models.referrals import Child, Referral
from casework.processes import REVIEW_TYPE_CHOICES, REVIEW_TYPES
from tenants.agencies.models import Agency


class Review(models.Model):
    """A review a decision commissioned (the reviews issue builds its workspace on this).
    One model for single and joint reviews, for practice reviews and for thematic ones."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=24, unique=True)
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="review"
    )
    # Several referrals (or none) for a thematic review.
    related_referrals = models.ManyToManyField(
        Referral, blank=True, related_name="thematic_reviews"
    )
    review_type = models.CharField(max_length=32, choices=REVIEW_TYPE_CHOICES)
    title = models.CharField(max_length=200)
    commissioned_on = models.DateField()
    stage = models.CharField(max_length=32, default="commissioned")
    children = models.ManyToManyField(Child, blank=True, related_name="reviews")
    agencies = models.ManyToManyField(Agency, blank=True, related_name="reviews")
    chair_signed_off_by = models.CharField(max_length=254, blank=True)
    chair_signed_off_at = models.DateTimeField(null=True, blank=True)
    # The day it reached its last stage (a safeguarding adults review's local target stops).
    completed_on = models.DateField(null=True, blank=True)
    # A domestic abuse related death review's overview report sent to the Home Office.
    home_office_sent_on = models.DateField(null=True, blank=True)
    home_office_sent_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-commissioned_on", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def definition(self):
        return REVIEW_TYPES[self.review_type]

    @property
    def stage_label(self) -> str:
        return self.definition.stage(self.stage).label


class ReviewerProfile(models.Model):
    """An independent lead reviewer as this partnership knows them, with the affiliations they
    declare (agencies and partnerships they have worked for, with dates)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user_uuid = models.UUIDField(unique=True, help_text="The reviewer's Safeguard account")
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Affiliation(models.Model):
    profile = models.ForeignKey(
        ReviewerProfile, on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.CharField(max_length=200, help_text="An agency or a partnership")
    # Chosen from the agencies register (matched through its aliases); empty for free text.
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=200, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Empty while it continues")

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.organisation


class ReviewerAppointment(models.Model):
    """A lead reviewer appointed to a review. A conflict found by the independence check needs
    the chair's written override, shown on the review."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="appointments")
    profile = models.ForeignKey(
        ReviewerProfile, on_delete=models.PROTECT, related_name="appointments"
    )
    appointed_on = models.DateField()
    appointed_at = models.DateTimeField(db_default=Now())
    appointed_by = models.CharField(max_length=254)
    conflicts = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.CharField(max_length=254, blank=True)
    # Near matches of free-text affiliations (``independence_warnings``), and the chair's
    # answer confirming independence despite them.
    warnings = models.JSONField(default=list, blank=True)
    independence_reason = models.TextField(blank=True)
    independence_confirmed_by = models.CharField(max_length=254, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["appointed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "profile"],
                condition=models.Q(ended_on__isnull=True),
                name="one_live_appointment_per_reviewer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} on {self.review}"


class TermsOfReference(models.Model):
    """One version of a review's terms of reference. Versions are kept; a signed-off version is
    never changed (a change is a new version)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveSmallIntegerField()
    scope = models.TextField()
    lines_of_enquiry = models.TextField(help_text="One line of enquiry per line")
    period_start = models.DateField()
    period_end = models.DateField()
    written_by = models.CharField(max_length=254)
    written_at = models.DateTimeField(db_default=Now())
    signed_off_by = models.CharField(max_length=254, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["review", "version"], name="one_terms_version")
        ]

    def __str__(self) -> str:
        return f"{self.review} terms v{self.version}"

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.lines_of_enquiry.splitlines() if line.strip()]


class InformationRequest(models.Model):
    """A request to one agency for its information: a chronology of involvement, a
    single-agency report, documents."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="information_requests"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="information_requests"
    )
    asks = ArrayField(models.CharField(max_length=32), default=list)
    details = models.TextField(blank=True)
    requested_on = models.DateField()
    due = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    requested_by = models.CharField(max_length=254)
    last_chased_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.review} – {self.agency}"


class InformationResponse(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="responses"
    )
    text = models.TextField()
    submitted_by = models.CharField(max_length=254)
    submitted_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"Response to {self.request}"


class ChronologyEntry(models.Model):
    """One event in the merged multi-agency chronology: who did what and when, by role, from the
    viewpoint of the time. A correction is a new entry that supersedes the old one, which is
    kept."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology")
    occurred_on = models.DateField()
    occurred_at = models.TimeField(null=True, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="chronology")
    what_happened = models.TextField()
    who = models.CharField(max_length=200, help_text="By role, never by name")
    source_document = models.CharField(max_length=200, blank=True)
    key_episode = models.BooleanField(default=False)
    entered_by = models.CharField(max_length=254)
    entered_at = models.DateTimeField(db_default=Now())
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["occurred_on", "occurred_at", "id"]
        indexes = [
            models.Index(
                fields=["review", "is_current", "occurred_on", "occurred_at", "id"],
                name="chronology_order",
            ),
            models.Index(fields=["review", "agency", "occurred_on"], name="chronology_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.agency}"


class Finding(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    evidence = models.ManyToManyField(ChronologyEntry, blank=True, related_name="findings")
    written_by = models.CharField(max_length=254)

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="finding_numbers")]

    def __str__(self) -> str:
        return f"Finding {self.number}"


class Recommendation(models.Model):
    """A numbered recommendation, addressed to the partnership or to named agencies."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    to_partnership = models.BooleanField(default=False)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="recommendations")
    findings = models.ManyToManyField(Finding, blank=True, related_name="recommendations")

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_numbers")
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class PartnershipSignOff(models.Model):
    """A joint review's participant's part in the sign-off: its chair signs the report off too
    (the lead's chair signs on the review itself), and may write the chair's statement that goes
    with the published report."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="partnership_sign_offs"
    )
    partnership_key = models.CharField(max_length=40)
    signed_off_by = models.CharField(max_length=254)
    signed_off_at = models.DateTimeField(db_default=Now())
    statement = models.TextField(blank=True, help_text="The chair's statement, for publication")

    class Meta:
        ordering = ["signed_off_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "partnership_key"], name="one_sign_off_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review} signed off for {self.partnership_key}"


class ReviewDocument(models.Model):
    """A draft of the report or a paper, in versions; served only through a permission-checked,
    audited view."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32)
    version = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to="reviews/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=254)
    uploaded_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["review", "title", "version"], name="document_versions")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"
