"""Publication, in each partnership's own schema (DESIGN §2 step 7).

A ``Publication`` is the public face of a completed review (or of a review published before the
partnership used Safeguard, entered directly): its public record, its documents, the
anonymisation gate's runs and what they found (the redaction log), the chair's statements, the
briefing note's text, the pre-publication notice, and the requests for copies once it is no
longer online. Only the public record that passed the gate is copied to the national library
(``publishing.library``); the identifiers the gate looks for stay here, beside the case record.
"""

import uuid

import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now

from casework.models import Review
from casework.processes import REVIEW_TYPE_CHOICES


class PublicationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready to publish"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    ON_REQUEST = "on_request", "Available on request"
    NOT_PUBLISHED = "not_published", "Not published"
    WITHDRAWN = "withdrawn", "Withdrawn"


# States in which the public record is out in the world (the partnership's page, the library).
PUBLIC_STATES = (
    PublicationState.PUBLISHED,
    PublicationState.ON_REQUEST,
    PublicationState.NOT_PUBLISHED,
)
# States in which documents and the record may still change before going public.
PREPARING_STATES = (PublicationState.DRAFT, PublicationState.READY, PublicationState.SCHEDULED)


class DocumentKind(models.TextChoices):
    FULL_REPORT = "full_report", "Full report"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    BRIEFING_NOTE = "briefing_note", "7-minute briefing"
    KEY_MESSAGES = "key_messages", "Key messages"


class Publication(models.Model):
    """The publication of one review: its public record, its state and its dates."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.OneToOneField(
        Review, on_delete=models.PROTECT, null=True, blank=True, related_name="publication"
    )
    # A review published before the partnership used Safeguard: entered directly, with no case
    # record here (its gate checks the patterns and the identifiers to check).
    entered_directly = models.BooleanField(default=False)
    # Before 2013 only an executive summary was published.
    summary_only = models.BooleanField(default=False)
    state = models.CharField(
        max_length=16, choices=PublicationState.choices, default=PublicationState.DRAFT
    )
    # The public record (what the partnership's page and the library show, once checked).
    title = models.CharField(max_length=200, help_text='As the public knows it: Child "Joe"')
    pseudonyms = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    review_type = models.CharField(max_length=32, choices=REVIEW_TYPE_CHOICES)
    commissioned_month = models.DateField(null=True, blank=True)
    incident_month = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    themes = ArrayField(models.SlugField(max_length=60), default=list, blank=True)
    age_bands = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    improvements = models.TextField(
        blank=True, help_text="When the report is not published: the improvements, published"
    )
    # [{"key": …, "name": …}], lead first (every partnership of a joint review).
    partnerships = models.JSONField(default=list)
    # The pre-publication notice: the report sent ahead of publication.
    panel_sent_on = models.DateField(null=True, blank=True)
    secretary_of_state_sent_on = models.DateField(null=True, blank=True)
    ofsted_sent_on = models.DateField(null=True, blank=True)
    scheduled_for = models.DateField(null=True, blank=True)
    delay_reason = models.TextField(blank=True)
    delay_review_on = models.DateField(null=True, blank=True)
    not_published_reason = models.TextField(blank=True)
    # Deciding not to publish: the day it was decided, and the reasons sent to the Panel and the
    # Secretary of State (a review clock runs from the decision until both are recorded).
    not_published_on = models.DateField(null=True, blank=True)
    reasons_panel_sent_on = models.DateField(null=True, blank=True)
    reasons_secretary_of_state_sent_on = models.DateField(null=True, blank=True)
    reasons_sent_by = models.CharField(max_length=254, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_precision = models.CharField(max_length=8, default="day")
    # Online until this date, then available on request; none: kept online (the partnership's
    # choice for a review it entered directly).
    online_until = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # The check of the public record whose snapshot is what the public sees.
    public_record_run = models.ForeignKey(
        "GateRun", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.CharField(max_length=254)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "scheduled_for"], name="publication_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def lead_key(self) -> str:
        return self.partnerships[0]["key"] if self.partnerships else ""

    @property
    def is_delayed(self) -> bool:
        return bool(self.delay_reason)


class ChairStatement(models.Model):
    """A partnership's chair's statement on the publication (each participant of a joint review
    writes its own)."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="chair_statements"
    )
    partnership_key = models.CharField(max_length=40)
    partnership_name = models.CharField(max_length=200)
    chair_name = models.CharField(max_length=200)
    chair_role = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    written_by = models.CharField(max_length=254)
    written_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["written_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "partnership_key"], name="one_statement_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.chair_name} ({self.partnership_name})"


class IdentifierKind(models.TextChoices):
    PERSON = "person", "A person's name (family member, foster carer, friend)"
    PROFESSIONAL = "professional", "A professional's name"
    DATE_OF_BIRTH = "date_of_birth", "A date of birth"
    ADDRESS = "address", "An address"
    SCHOOL = "school", "A school or nursery"
    PLACEMENT = "placement", "A placement or children's home"
    HOSPITAL = "hospital", "A hospital or clinic"
    OTHER = "other", "Anything else that would identify the family"


class IdentifierToCheck(models.Model):
    """A real identifier the case record does not hold as a field, recorded so that the gate
    looks for it: family members' names, addresses, schools, placements, foster carers,
    hospitals, professionals' names. Stays in the partnership's schema; never published."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="identifiers"
    )
    kind = models.CharField(max_length=16, choices=IdentifierKind.choices)
    value = models.CharField(max_length=300)
    added_by = models.CharField(max_length=254)
    added_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["kind", "value"]

    def __str__(self) -> str:
        return self.get_kind_display()


class PublicationDocument(models.Model):
    """One version of one of the publication's documents. A new upload is a new version; the
    file's SHA-256 is kept so that what is served is byte for byte what passed the gate."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    version = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to="publications/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=0)
    generated = models.BooleanField(default=False, help_text="Made here (the 7-minute briefing)")
    uploaded_by = models.CharField(max_length=254)
    uploaded_at = models.DateTimeField(db_default=Now())
    # Set when the publication goes out with this version; ``is_public`` while it is the version
    # the public gets (a later publication of a corrected report replaces it).
    published_at = models.DateTimeField(null=True, blank=True)
    is_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "kind", "version"], name="publication_document_versions"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class GateState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Checking"
    DONE = "done", "Checked"


class GateOutcome(models.TextChoices):
    PENDING = "pending", "Not checked yet"
    CLEAR = "clear", "Nothing found"
    HITS = "hits", "Possible identifiers found"
    UNREADABLE = "unreadable", "Cannot be checked"


class GateRun(models.Model):
    """One run of the anonymisation gate over one version of a document, or over the public
    record (``document`` empty, ``record_snapshot`` what was checked). Runs and their hits are
    never deleted: together they are the redaction log."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="runs")
    document = models.ForeignKey(
        PublicationDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="runs"
    )
    sha256 = models.CharField(max_length=64, help_text="Of the bytes (or the record) checked")
    record_snapshot = models.JSONField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=GateState.choices, default=GateState.QUEUED)
    outcome = models.CharField(
        max_length=16, choices=GateOutcome.choices, default=GateOutcome.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    # Times a worker started this run: a file that kills the reader is not tried for ever.
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    pages = models.PositiveIntegerField(default=0)
    identifiers_checked = models.PositiveIntegerField(default=0)
    requested_by = models.CharField(max_length=254)
    queued_at = models.DateTimeField(db_default=Now())
    started_at = models.DateTimeField(null=True, blank=True)
    # The last sign of life of the task reading the file (its progress): the sweeper sends
    # again a run that has shown none for GATE_SWEEP_AFTER_SECONDS.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["publication", "document"], name="gate_run_subject")]

    def __str__(self) -> str:
        return f"Gate run {self.uuid}"

    @property
    def subject(self) -> str:
        return str(self.document) if self.document_id else "The public record"


class GateHit(models.Model):
    """One thing the gate found, in its context. Resolved by a new upload (a new run) or
    accepted by the chair with a written reason."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(GateRun, on_delete=models.CASCADE, related_name="hits")
    position = models.PositiveIntegerField()
    rule = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    location = models.CharField(max_length=100, blank=True)
    # Words read by OCR: their box on the page, [left, top, right, bottom] in points from the
    # page's top left.
    box = models.JSONField(null=True, blank=True)
    before = models.TextField(blank=True)
    matched = models.TextField()
    after = models.TextField(blank=True)
    accepted_reason = models.TextField(blank=True)
    accepted_by = models.CharField(max_length=254, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "position"]
        indexes = [models.Index(fields=["run", "accepted_at"], name="gate_hit_open")]

    def __str__(self) -> str:
        return self.label

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def where(self) -> str:
        """The location, and for words read by OCR where on the page (in millimetres from the
        page's top left corner), so a person can find them in the picture."""
        if not self.box:
            return self.location
        left, top = (round(value * 25.4 / 72) for value in self.box[:2])
        return f"{self.location}, {left} mm from the left and {top} mm from the top"


class BriefingNote(models.Model):
    """The text of the publication's 7-minute briefing, edited before the PDF is made."""

    publication = models.OneToOneField(
        Publication, on_delete=models.CASCADE, related_name="briefing"
    )
    background = models.TextField(blank=True)
    why_it_matters = models.TextField(blank=True)
    learning = models.TextField(blank=True)
    questions = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    further_information = models.TextField(blank=True)
    edited_by = models.CharField(max_length=254, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Briefing on {self.publication}"


class CopyRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class CopyRequest(models.Model):
    """A member of the public's request for a copy of a publication no longer online. The
    requester's details stay in this partnership's schema."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="copy_requests"
    )
    document = models.ForeignKey(
        PublicationDocument, on_delete=models.PROTECT, related_name="copy_requests"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    received_at = models.DateTimeField(db_default=Now())
    status = models.CharField(
        max_length=16, choices=CopyRequestStatus.choices, default=CopyRequestStatus.PENDING
    )
    decided_by = models.CharField(max_length=254, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # Only the link's hash is kept; the link itself is in the email alone.
    token_sha256 = models.CharField(max_length=64, null=True, blank=True, unique=True)
    link_expires_at = models.DateTimeField(null=True, blank=True)
    link_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "received_at"], name="copy_request_status")]

    def __str__(self) -> str:
        return f"Request for {self.publication}"


class DownloadVia(models.TextChoices):
    ONLINE = "online", "From the public page"
    COPY_LINK = "copy_link", "With a link sent on request"


class PublicDownload(models.Model):
    """One download of a published document by the public. Append-only, like the audit
    trail: nothing about the person is kept."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="downloads")
    document = models.ForeignKey(
        PublicationDocument, on_delete=models.PROTECT, related_name="downloads"
    )
    via = models.CharField(max_length=16, choices=DownloadVia.choices)
    copy_request = models.ForeignKey(
        CopyRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="downloads"
    )
    downloaded_at = models.DateTimeField(db_default=Now(), db_index=True)

    class Meta:
        ordering = ["-downloaded_at", "-id"]
        triggers = [
            pgtrigger.Protect(
                name="downloads_are_never_changed",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.via}"
