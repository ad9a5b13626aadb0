"""Referrals and what follows them to the decision (DESIGN §2 steps 1 to 4): the referral and
its children and files, screening, the rapid review and the agencies' contributions, the
decision, and the statutory clocks with their reminders.

Children's real identifiers live here and only here (DESIGN §5): never in logs, URLs, emails,
task arguments or the audit trail's details. Objects are named by reference or UUID.
"""

import datetime
import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now

from casework.regimes import REGIME_CHOICES, clock_state
from casework.working_days import describe_length, is_due_soon
from tenants.agencies.models import Agency


class Harm(models.TextChoices):
    DIED = "died", "The child died"
    SERIOUS_HARM = "serious_harm", "The child was seriously harmed"


class AbuseOrNeglect(models.TextChoices):
    KNOWN = "known", "Known"
    SUSPECTED = "suspected", "Suspected"
    NOT_SUSPECTED = "not_suspected", "Not suspected"


class Circumstance(models.TextChoices):
    DEATH_IN_CUSTODY = "death_in_custody", "Death in custody"
    SUSPECTED_SUICIDE = "suspected_suicide", "Suspected suicide"
    CARE_LEAVER_UNDER_25 = "care_leaver_under_25", "Care leaver under 25"


class ReferralStatus(models.TextChoices):
    """The referral's steps, in the order of ``casework.steps``' transition table."""

    RECEIVED = "received", "Received"
    SCREENED = "screened", "Screened: notifiable"
    NOT_NOTIFIABLE = "not_notifiable", "Not notifiable"
    NOTIFIED = "notified", "Notified"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    SENT_TO_PANEL = "sent_to_panel", "Sent to the Panel"
    PANEL_RESPONDED = "panel_responded", "The Panel has answered"
    DECIDED = "decided", "Decided"
    DECISION_NOTIFIED = "decision_notified", "Decision communicated"


class PanelResponse(models.TextChoices):
    """What the Child Safeguarding Practice Review Panel said of the rapid review."""

    AGREES = "agrees", "Agrees with the recommendation"
    DISAGREES = "disagrees", "Disagrees with the recommendation"
    NATIONAL_REVIEW = "national_review", "The Panel will commission a national review"
    MORE_INFORMATION = "more_information", "Asks for more information"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class Outcome(models.TextChoices):
    """The decision's outcomes (DESIGN §2 step 4); each regime offers its own
    (``casework.regimes``). Those in ``REVIEW_OUTCOMES`` commission a review of that type; a
    national review is the Panel's, never the chair's choice."""

    SERIOUS_CASE_REVIEW = "serious_case_review", "Serious case review"
    LCSPR = "lcspr", "Local child safeguarding practice review"
    LEARNING_REVIEW = "learning_review", "Learning review"
    NEAR_MISS = "near_miss", "Near-miss inquiry"
    SINGLE_AGENCY = "single_agency", "Single-agency review"
    NO_REVIEW = "no_review", "No review"
    NATIONAL_REVIEW = "national_review", "Taken by the Panel for a national review"


REVIEW_OUTCOMES = (
    Outcome.SERIOUS_CASE_REVIEW,
    Outcome.LCSPR,
    Outcome.LEARNING_REVIEW,
    Outcome.NEAR_MISS,
    Outcome.SINGLE_AGENCY,
)


class Referral(models.Model):
    """A partner agency's referral (notification) of a serious incident."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    regime = models.CharField(max_length=16, choices=REGIME_CHOICES, default="wt2023")
    # Why the business manager chose rules other than those the awareness date gives (allowed
    # only where both were in force: the 2018-2019 transition).
    regime_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=24, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.CharField(max_length=254, help_text="The person or system that referred")
    referred_by_uuid = models.UUIDField(null=True, blank=True)
    incident_date = models.DateField()
    aware_date = models.DateField(help_text="When the partnership became aware")
    harm = models.CharField(max_length=16, choices=Harm.choices)
    abuse_or_neglect = models.CharField(max_length=16, choices=AbuseOrNeglect.choices)
    circumstances = ArrayField(
        models.CharField(max_length=32, choices=Circumstance.choices), default=list, blank=True
    )
    agencies_involved = models.ManyToManyField(Agency, blank=True, related_name="involved_in")
    other_agencies_involved = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text="Agencies named by the referrer that the partnership has not registered",
    )
    summary = models.TextField()
    # Working Together 2015's condition for a seriously harmed child: cause for concern about how
    # the agencies worked together to safeguard the child (None: not said).
    working_together_concern = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    # The notification to the Panel (the national service has no API: the business manager
    # submits the prepared content and records it here).
    panel_notified_on = models.DateField(null=True, blank=True)
    panel_reference = models.CharField(max_length=64, blank=True)
    sos_ofsted_notified_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["referring_agency"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def looked_after_died(self) -> bool:
        return self.harm == Harm.DIED and any(child.looked_after for child in self.children.all())

    @property
    def care_leaver_died(self) -> bool:
        return self.harm == Harm.DIED and Circumstance.CARE_LEAVER_UNDER_25 in self.circumstances


class Child(models.Model):
    """A child the referral is about (the national form takes up to four)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveSmallIntegerField(default=1)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=16, choices=Sex.choices)
    ethnicity = models.CharField(max_length=100, blank=True)
    looked_after = models.BooleanField(default=False)
    child_protection_plan = models.BooleanField(default=False)
    pseudonym = models.CharField(
        max_length=100, blank=True, help_text="The name publications use, e.g. 'Child J'"
    )

    class Meta:
        ordering = ["referral", "position"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.pseudonym or f"Child {self.position}"

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


class Attachment(models.Model):
    """A file with a referral: stored in the partnership's own folder under a random name and
    served only through a permission-checked view."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="referrals/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=254)
    uploaded_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Screening(models.Model):
    """The review group's view of the referral against the criteria, with its rationale."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="screening")
    criteria_met = models.BooleanField(help_text="What the rules say")
    criteria_reasons = models.JSONField(
        default=list, blank=True, help_text="Which criteria were met or not, each with its source"
    )
    view_met = models.BooleanField(help_text="What the review group decided")
    rationale = models.TextField()
    override_reason = models.TextField(blank=True)
    screened_on = models.DateField(null=True, blank=True)
    recorded_by = models.CharField(max_length=254)
    recorded_at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"Screening of {self.referral}"


class RapidReview(models.Model):
    """Working Together 2023 ch. 5: facts, agency involvement, immediate actions, potential
    improvements, the effects of racism, inequality and disability, and the next step."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="rapid_review")
    started_on = models.DateField()
    immediate_actions = models.TextField(blank=True)
    potential_improvements = models.TextField(blank=True)
    racism_inequality_disability = models.TextField(blank=True)
    recommended_next_step = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    sent_to_panel_on = models.DateField(null=True, blank=True)
    panel_response_kind = models.CharField(max_length=32, choices=PanelResponse.choices, blank=True)
    panel_response = models.TextField(blank=True)
    panel_responded_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Rapid review of {self.referral}"


class ContributionRequest(models.Model):
    """A request to one agency for its part in the rapid review, and its answer."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.CASCADE, related_name="contribution_requests"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="contribution_requests"
    )
    requested_on = models.DateField()
    due = models.DateField()
    facts = models.TextField(blank=True)
    involvement = models.TextField(blank=True)
    immediate_safety_actions = models.TextField(blank=True)
    submitted_by = models.CharField(max_length=254, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapid_review", "agency"], name="one_request_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"Contribution of {self.agency} to {self.rapid_review.referral}"

    @property
    def received(self) -> bool:
        return self.submitted_at is not None


class Decision(models.Model):
    """The safeguarding partners' (independent chair's) decision on the referral."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    rationale = models.TextField()
    decided_on = models.DateField()
    decided_by = models.CharField(max_length=254)
    family_informed_on = models.DateField(null=True, blank=True)
    family_informed_how = models.CharField(max_length=200, blank=True)
    panel_told_on = models.DateField(null=True, blank=True)
    ofsted_told_on = models.DateField(null=True, blank=True)
    department_told_on = models.DateField(null=True, blank=True)
    # Why the chair decided before the Panel answered (the guidance lets the partners decide).
    exception_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Decision on {self.referral}: {self.outcome}"

    @property
    def commissions_review(self) -> bool:
        return self.outcome in REVIEW_OUTCOMES


class Clock(models.Model):
    """A statutory clock of a referral (or of the review it led to): due date, what it counts
    from, its length and source. A stopped clock keeps the date it stopped."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="clocks"
    )
    # The review's own clocks (publication) once a decision commissions it.
    review = models.ForeignKey(
        "casework.Review", on_delete=models.SET_NULL, null=True, blank=True, related_name="clocks"
    )
    name = models.CharField(max_length=32)
    label = models.CharField(max_length=200)
    counted_from = models.DateField()
    due = models.DateField(db_index=True)
    length = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=16)
    source = models.CharField(max_length=200)
    stopped_on = models.DateField(null=True, blank=True)
    # Why it stopped, when not by its own event ("Screened as not notifiable").
    stopped_because = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "name"],
                condition=models.Q(referral__isnull=False),
                name="one_clock_per_name",
            ),
            # A thematic review's clocks belong to the review alone.
            models.UniqueConstraint(
                fields=["review", "name"],
                condition=models.Q(referral__isnull=True),
                name="one_review_clock_per_name",
            ),
        ]
        indexes = [models.Index(fields=["stopped_on", "due"])]

    def __str__(self) -> str:
        return f"{self.referral_id}:{self.name}"

    @property
    def length_label(self) -> str:
        return describe_length(self.length, self.unit)

    @property
    def subject_type(self) -> str:
        """What the clock is of: a referral, or a review (a review's own clocks have none)."""
        return "referral" if self.referral_id else "review"

    @property
    def subject_reference(self) -> str:
        return self.referral.reference if self.referral_id else self.review.reference

    @property
    def subject_path(self) -> str:
        if self.referral_id:
            return f"/referrals/{self.referral.reference}/"
        return f"/case-reviews/{self.review.reference}/"

    def state_on(self, today: datetime.date) -> str:
        return clock_state(due=self.due, stopped_on=self.stopped_on, today=today)

    def due_soon_on(self, today: datetime.date) -> bool:
        return self.stopped_on is None and is_due_soon(due=self.due, today=today)


class Reminder(models.Model):
    """A reminder sent about a clock: at most one per clock per day, however often the job
    runs (the unique constraint is the guarantee)."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()
    kind = models.CharField(max_length=16)  # due_soon or overdue
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clock", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.clock} reminded {self.sent_on}"


# --- Reviews (DESIGN §2 steps 5 and 6) ------------------------------------------------------
