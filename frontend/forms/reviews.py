"""Web forms for a review's workspace: commissioning, the stage, reviewers and their
independence, terms of reference, information requests, findings and recommendations, and
documents (the chronology's and the action plan's are in ``chronology`` and ``actions``). They
parse and shape input; the review services decide whether it is allowed and valid."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.core.exceptions import ValidationError

from casework.processes import REVIEW_TYPES
from casework.services import ASKS, DOCUMENT_KINDS, AffiliationInput
from frontend.forms.base import (
    ButtonForm,
    CaseworkForm,
    ErrorLinks,
    FormWithRows,
    agency_choices,
    checkboxes,
    date_field,
    form_layout,
    initial_from,
    input_from,
    optional_text,
)
from tenants.files import UploadedFile

# Reviews no single referral's decision commissions (DESIGN §2: a thematic review, and the
# adjacent types partnerships also run).
COMMISSIONED_TYPES = ("thematic", "dardr", "sar")


# --- The list of reviews -----------------------------------------------------------------------


class ReviewCommissionForm(CaseworkForm):
    review_type = forms.ChoiceField(
        label="Kind of review",
        choices=[(key, REVIEW_TYPES[key].label) for key in COMMISSIONED_TYPES],
        widget=forms.RadioSelect,
        required=False,
        initial="thematic",
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="For example, 'Vulnerable Adolescents Thematic Review 2026'.",
    )
    commissioned_on = date_field("Date it was commissioned", "the date it was commissioned")
    referrals = checkboxes(
        "Referrals it draws on (optional)",
        "A thematic review may stand on several referrals, or on none.",
    )
    agencies = checkboxes("Agencies involved (optional)")

    prefix = "commission"

    def __init__(self, *args, referrals=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrals"].choices = [(r.reference, r.reference) for r in referrals]
        self.fields["agencies"].choices = agency_choices(agencies)
        fields = [
            Field.radios("review_type", legend_size=Size.SMALL, small=True),
            Field.text("title"),
            Field.text("commissioned_on", field_width=10),
        ]
        if self.fields["referrals"].choices:
            fields.append(Field.checkboxes("referrals", legend_size=Size.SMALL, small=True))
        if self.fields["agencies"].choices:
            fields.append(Field.checkboxes("agencies", legend_size=Size.SMALL, small=True))
        self.helper = form_layout(*fields, submit="Commission the review")


# --- The overview: stage, reviewers, sign-off --------------------------------------------------


class StageMoveForm(ButtonForm):
    to_stage = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, next_label: str = "", **kwargs):
        super().__init__(*args, submit=f"Move to {next_label}", prefix="stage", **kwargs)
        self.helper.layout.insert(0, Field("to_stage"))


class HomeOfficeForm(CaseworkForm):
    """When a domestic abuse related death review's overview report went to the Home Office."""

    sent_on = date_field("Sent to the Home Office on", "the date the report was sent")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "home-office")
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.text("sent_on", field_width=10),
            submit="Record the submission",
            secondary=True,
        )


class ReviewerChoiceForm(CaseworkForm):
    reviewer = forms.ChoiceField(label="Lead reviewer", required=False)

    prefix = "check"

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "Choose a lead reviewer"), *reviewers]
        self.helper = form_layout(
            Field.select("reviewer"), submit="Check independence", secondary=True
        )

    def clean_reviewer(self):
        if not self.cleaned_data["reviewer"]:
            raise ValidationError("Choose the lead reviewer to appoint.")
        return self.cleaned_data["reviewer"]


class AppointForm(CaseworkForm):
    reviewer = forms.CharField(widget=forms.HiddenInput, required=False)
    appointed_on = date_field(
        "Date of the appointment",
        "the date of the appointment",
        hint="Leave empty for today. The reviewer sees the review from this date. "
        "Year-month-day, for example 2026-11-02.",
    )
    override_reason = forms.CharField(
        label="Reason for appointing them despite the conflict",
        widget=forms.Textarea,
        required=False,
        help_text="Only the chair can override a conflict of interest. The reason is shown "
        "on the review.",
    )
    independence_reason = forms.CharField(
        label="Why they are independent despite the near match",
        widget=forms.Textarea,
        required=False,
        help_text="Only the chair can confirm it. The reason is shown on the review.",
    )

    prefix = "appoint"

    def __init__(
        self,
        *args,
        conflicted: bool = False,
        warned: bool = False,
        may_override: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        fields = [Field("reviewer"), Field.text("appointed_on", field_width=10)]
        if conflicted and may_override:
            fields.append(Field.textarea("override_reason", rows=3))
        else:
            del self.fields["override_reason"]
        # An overridden conflict's reason answers the warnings too.
        if warned and not conflicted and may_override:
            fields.append(Field.textarea("independence_reason", rows=3))
        else:
            del self.fields["independence_reason"]
        submit = "Appoint the reviewer"
        if conflicted:
            submit = "Appoint anyway"
        elif warned:
            submit = "Confirm their independence and appoint"
        self.helper = form_layout(*fields, submit=submit)

    def add_service_errors(self, error: ValidationError) -> None:
        # The conflicts are the service's answer about the reviewer, a hidden field here: they
        # point at the chair's reason when there is one to give, else at the form.
        answers = {"reviewer": "override_reason", "independence": "independence_reason"}
        if hasattr(error, "error_dict") and set(answers) & set(error.error_dict):
            for field, messages in error.message_dict.items():
                if field in answers:
                    target = answers[field] if answers[field] in self.fields else None
                    self.add_error(target, messages)
                else:
                    self.add_error(field if field in self.fields else None, messages)
            return
        super().add_service_errors(error)


class ReviewerProfileForm(CaseworkForm):
    reviewer = forms.ChoiceField(label="Lead reviewer", required=False)
    name = forms.CharField(label="Name", max_length=200, required=False)
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        help_text="Who they work for now, for example 'Independent'.",
    )

    prefix = "profile"

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "Choose a lead reviewer"), *reviewers]
        self.helper = form_layout(
            Field.select("reviewer"), Field.text("name"), Field.text("organisation")
        )

    def clean_reviewer(self):
        if not self.cleaned_data["reviewer"]:
            raise ValidationError("Choose the lead reviewer.")
        return self.cleaned_data["reviewer"]


class AffiliationForm(ErrorLinks, forms.Form):
    agency = forms.ChoiceField(label="Agency, from the register", required=False)
    organisation = forms.CharField(
        label="Or another organisation",
        max_length=200,
        required=False,
        help_text="A partnership, or an agency the register does not know.",
    )
    role = forms.CharField(label="Role there (optional)", max_length=200, required=False)
    started_on = date_field("From", "when it began")
    ended_on = date_field(
        "To (leave empty if it continues)",
        "when it ended",
        hint="Year-month-day. Empty while it continues.",
    )

    def __init__(self, *args, number: int, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.fields["agency"].choices = [("", "Not in the register"), *agencies]
        self.helper = form_layout(
            Fieldset(
                Field.select("agency"),
                Field.text("organisation"),
                Field.text("role"),
                Field.text("started_on", field_width=10),
                Field.text("ended_on", field_width=10),
                legend=f"Affiliation {number}",
                legend_size=Size.SMALL,
            )
        )

    @property
    def is_empty(self) -> bool:
        return not any(self.data.get(self.add_prefix(name), "").strip() for name in self.fields)

    def affiliation_input(self) -> AffiliationInput:
        return input_from(
            AffiliationInput, self.cleaned_data, agency_uuid=self.cleaned_data["agency"] or None
        )


class ReviewerProfileEntry(FormWithRows):
    """A reviewer's profile and the affiliations they declare, in rows."""

    rows_key = "affiliations"
    field_for = {"user": "reviewer"}

    EXTRA_ROWS = 2
    MIN_ROWS = 3

    def __init__(
        self, data=None, *, reviewers=(), profile=None, initial_reviewer: str = "", agencies=()
    ):
        super().__init__()
        affiliations = list(profile.affiliations.all()) if profile is not None else []
        initial = None
        if profile is not None:
            initial = {
                "reviewer": str(profile.user_uuid),
                "name": profile.name,
                "organisation": profile.organisation,
            }
        elif initial_reviewer:
            initial = {"reviewer": initial_reviewer}
        self.form = ReviewerProfileForm(data, reviewers=reviewers, initial=initial)
        rows = max(self.MIN_ROWS, len(affiliations) + self.EXTRA_ROWS)
        if data is not None:
            # As many rows as were sent, so that nothing typed is lost.
            sent = {
                key.split("-")[1]
                for key in data
                if key.startswith("affiliation-") and key.split("-")[1].isdigit()
            }
            rows = max(rows, *(int(n) for n in sent)) if sent else rows
        self.rows = []
        for number in range(1, rows + 1):
            item = affiliations[number - 1] if number <= len(affiliations) else None
            self.rows.append(
                AffiliationForm(
                    data,
                    prefix=f"affiliation-{number}",
                    number=number,
                    agencies=agencies,
                    # Chosen from the register: the agency, not its name typed again.
                    initial=initial_from(
                        item,
                        AffiliationForm,
                        agency=str(item.agency.uuid) if item and item.agency_id else "",
                        organisation="" if not item or item.agency_id else item.organisation,
                    ),
                )
            )

    def affiliation_inputs(self) -> list[AffiliationInput]:
        return [row.affiliation_input() for row in self.sent_rows()]

    def error_links(self) -> list[tuple[str, str]]:
        links = self.form.error_links()
        for row in self.rows:
            links += row.error_links()
        return links


# --- Terms of reference ------------------------------------------------------------------------


class TermsForm(CaseworkForm):
    scope = optional_text("Scope of the review")
    lines_of_enquiry = optional_text("Key lines of enquiry", "One on each line.")
    period_start = date_field("Start of the period under review", "when the period starts")
    period_end = date_field("End of the period under review", "when the period ends")

    prefix = "terms"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.textarea("scope", rows=4),
            Field.textarea("lines_of_enquiry", rows=5),
            Field.text("period_start", field_width=10),
            Field.text("period_end", field_width=10),
            submit="Save as a new version",
        )


class TermsSignOffForm(ButtonForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit="Sign off this version", prefix="sign-terms", **kwargs)
        self.helper.layout.insert(0, Field("version"))


# --- Information requests ----------------------------------------------------------------------


# The information request's "agency" that asks each agency involved in the review at once.
EVERY_INVOLVED_AGENCY = "every"


class InformationRequestForm(CaseworkForm):
    agency = forms.ChoiceField(label="Agency", required=False)
    asks = forms.MultipleChoiceField(
        label="What are you asking for?",
        choices=list(ASKS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
    )
    details = optional_text(
        "Details (optional)", "The period, the people and the questions the agency should cover."
    )
    due = date_field(
        "Due date (optional)",
        "the due date",
        hint="Leave empty for 20 working days from today. Year-month-day, for example 2026-11-02.",
    )

    prefix = "request"

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [
            *agency_choices(agencies, "Choose an agency"),
            (EVERY_INVOLVED_AGENCY, "Every agency involved in the review"),
        ]
        self.helper = form_layout(
            Field.select("agency"),
            Field.checkboxes("asks", legend_size=Size.SMALL, small=True),
            Field.textarea("details", rows=3),
            Field.text("due", field_width=10),
            submit="Send the request",
        )

    def clean_agency(self):
        if not self.cleaned_data["agency"]:
            raise ValidationError("Choose the agency to ask.")
        return self.cleaned_data["agency"]

    def asks_every_involved_agency(self) -> bool:
        return self.data.get(self.add_prefix("agency")) == EVERY_INVOLVED_AGENCY


class InformationResponseForm(CaseworkForm):
    text = forms.CharField(
        label="Your agency's answer",
        widget=forms.Textarea,
        required=False,
        help_text="Your agency's involvement with the child and family, in order, and anything "
        "else asked for. You can answer more than once.",
    )

    prefix = "response"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(Field.textarea("text", rows=8), submit="Send your answer")


# --- Findings and recommendations --------------------------------------------------------------


def _entry_label(entry) -> str:
    what = " ".join(entry.what_happened.split())
    return f"{entry.occurred_on.isoformat()}, {entry.agency.name}: {what[:80]}" + (
        "…" if len(what) > 80 else ""
    )


class FindingForm(CaseworkForm):
    text = optional_text("Finding")
    evidence = checkboxes(
        "Chronology entries that support it", "The key practice episodes of the chronology."
    )

    prefix = "finding"

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(str(e.uuid), _entry_label(e)) for e in entries]
        fields = [Field.textarea("text", rows=4)]
        if self.fields["evidence"].choices:
            fields.append(Field.checkboxes("evidence", legend_size=Size.SMALL, small=True))
        self.helper = form_layout(*fields, submit="Add the finding")


class RecommendationForm(CaseworkForm):
    text = optional_text("Recommendation")
    to_partnership = forms.BooleanField(label="To the partnership", required=False)
    agencies = checkboxes(
        "To these agencies", "Address it to the partnership, to one or more agencies, or both."
    )
    findings = checkboxes("Findings it answers (optional)")

    prefix = "recommendation"

    def __init__(self, *args, agencies=(), findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = agency_choices(agencies)
        self.fields["findings"].choices = [(str(f.number), f"Finding {f.number}") for f in findings]
        fields = [
            Field.textarea("text", rows=4),
            Field.checkbox("to_partnership", small=True),
            Field.checkboxes("agencies", legend_size=Size.SMALL, small=True),
        ]
        if self.fields["findings"].choices:
            fields.append(Field.checkboxes("findings", legend_size=Size.SMALL, small=True))
        self.helper = form_layout(*fields, submit="Add the recommendation")


# --- Documents ---------------------------------------------------------------------------------


class DocumentForm(CaseworkForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        help_text="Upload a new version of a document under the same title.",
    )
    kind = forms.ChoiceField(
        label="Kind of document",
        choices=[("", "Choose"), *DOCUMENT_KINDS.items()],
        required=False,
    )
    file = forms.FileField(
        label="File",
        required=False,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload"}),
        help_text="PDF or Word (.docx), up to 25 MB.",
    )

    prefix = "document"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.text("title"), Field.select("kind"), Field("file"), submit="Upload"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload:
            raise ValidationError("Choose a file to upload.")
        return upload

    def upload(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        return UploadedFile(name=upload.name, content=upload.read())
