"""Web forms for reviews: commissioning, reviewers and their independence, terms of reference,
information requests, the chronology, findings, recommendations, actions and documents. They
parse and shape input; the review services decide whether it is allowed and valid.

crispy-forms-gds renders labels, legends and hints unescaped: they hold only our own words,
never anything a user typed (choices' labels are escaped).
"""

from urllib.parse import urlencode

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from casework.models import ActionStatus
from casework.review_services import ASKS, DOCUMENT_KINDS, AffiliationInput, EntryInput
from casework.review_types import REVIEW_TYPES
from frontend.forms import FormWithRows
from frontend.referral_forms import CaseworkForm, ErrorLinks, date_field
from tenants.files import UploadedFile

# Reviews no single referral's decision commissions (DESIGN §2: a thematic review, and the
# adjacent types partnerships also run).
COMMISSIONED_TYPES = ("thematic", "dardr", "sar")
RAG_CHOICES = [("red", "Red"), ("amber", "Amber"), ("green", "Green")]
OPEN_STATUS_CHOICES = [
    (ActionStatus.NOT_STARTED, "Not started"),
    (ActionStatus.IN_PROGRESS, "In progress"),
    (ActionStatus.COMPLETE, "Complete"),
]


def _helper(*fields, submit: str | None = None, secondary: bool = False, button_id: str = ""):
    helper = FormHelper()
    # Templates write the <form> themselves (with hx-* attributes where they need them).
    helper.form_tag = False
    helper.disable_csrf = True
    items = list(fields)
    if submit:
        items.append(
            Submit(
                "submit",
                submit,
                css_class="govuk-button--secondary" if secondary else "",
                # Several forms share a tab: each button needs an id of its own.
                css_id=button_id or f"button-{slugify(submit)}",
            )
        )
    helper.layout = Layout(*items)
    return helper


def time_field(label: str):
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"autocomplete": "off"}),
        help_text="Optional. 24-hour clock, for example 14:30.",
        error_messages={"invalid": "Enter the time as hours and minutes, for example 14:30."},
    )


def _agency_choices(agencies, empty: str | None = None) -> list[tuple[str, str]]:
    choices = [(str(agency.uuid), agency.name) for agency in agencies]
    return [("", empty), *choices] if empty is not None else choices


class ButtonForm(CaseworkForm):
    """A form that is only a button (sign off, verify, close): the service says whether it may
    be done, and its errors point at the button."""

    def __init__(self, *args, submit: str, prefix: str, secondary: bool = False, **kwargs):
        kwargs["prefix"] = prefix
        super().__init__(*args, **kwargs)
        self.button_id = f"button-{prefix}"
        self.helper = _helper(submit=submit, secondary=secondary, button_id=self.button_id)

    def error_items(self):
        return [("", self.button_id, message) for message in self.non_field_errors()]


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
    referrals = forms.MultipleChoiceField(
        label="Referrals it draws on (optional)",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="A thematic review may stand on several referrals, or on none.",
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies involved (optional)",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, referrals=(), agencies=(), **kwargs):
        kwargs.setdefault("prefix", "commission")
        super().__init__(*args, **kwargs)
        self.fields["referrals"].choices = [(r.reference, r.reference) for r in referrals]
        self.fields["agencies"].choices = _agency_choices(agencies)
        fields = [
            Field.radios("review_type", legend_size=Size.SMALL, small=True),
            Field.text("title"),
            Field.text("commissioned_on", field_width=10),
        ]
        if self.fields["referrals"].choices:
            fields.append(Field.checkboxes("referrals", legend_size=Size.SMALL, small=True))
        if self.fields["agencies"].choices:
            fields.append(Field.checkboxes("agencies", legend_size=Size.SMALL, small=True))
        self.helper = _helper(*fields, submit="Commission the review")


# --- The overview: stage, reviewers, sign-off --------------------------------------------------


class StageMoveForm(ButtonForm):
    to_stage = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, next_label: str = "", **kwargs):
        super().__init__(*args, submit=f"Move to {next_label}", prefix="stage", **kwargs)
        self.helper.layout.insert(0, Field("to_stage"))


class ReviewerChoiceForm(CaseworkForm):
    reviewer = forms.ChoiceField(label="Lead reviewer", required=False)

    def __init__(self, *args, reviewers=(), **kwargs):
        kwargs.setdefault("prefix", "check")
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "Choose a lead reviewer"), *reviewers]
        self.helper = _helper(Field.select("reviewer"), submit="Check independence", secondary=True)

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

    def __init__(self, *args, conflicted: bool = False, may_override: bool = False, **kwargs):
        kwargs.setdefault("prefix", "appoint")
        super().__init__(*args, **kwargs)
        fields = [Field("reviewer"), Field.text("appointed_on", field_width=10)]
        if conflicted and may_override:
            fields.append(Field.textarea("override_reason", rows=3))
        else:
            del self.fields["override_reason"]
        self.helper = _helper(
            *fields, submit="Appoint anyway" if conflicted else "Appoint the reviewer"
        )

    def add_service_errors(self, error: ValidationError) -> None:
        # The conflicts are the service's answer about the reviewer, a hidden field here: they
        # point at the chair's reason when there is one to give, else at the form.
        if hasattr(error, "error_dict") and "reviewer" in error.error_dict:
            target = "override_reason" if "override_reason" in self.fields else None
            for field, messages in error.message_dict.items():
                if field == "reviewer":
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

    def __init__(self, *args, reviewers=(), **kwargs):
        kwargs.setdefault("prefix", "profile")
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "Choose a lead reviewer"), *reviewers]
        self.helper = _helper(
            Field.select("reviewer"), Field.text("name"), Field.text("organisation")
        )

    def clean_reviewer(self):
        if not self.cleaned_data["reviewer"]:
            raise ValidationError("Choose the lead reviewer.")
        return self.cleaned_data["reviewer"]


class AffiliationForm(ErrorLinks, forms.Form):
    organisation = forms.CharField(
        label="Organisation", max_length=200, required=False, help_text="An agency or partnership."
    )
    role = forms.CharField(label="Role there (optional)", max_length=200, required=False)
    started_on = date_field("From", "when it began")
    ended_on = date_field(
        "To (leave empty if it continues)",
        "when it ended",
        hint="Year-month-day. Empty while it continues.",
    )

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.helper = _helper(
            Fieldset(
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
        data = self.cleaned_data
        return AffiliationInput(
            organisation=data["organisation"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            role=data["role"],
        )


class ReviewerProfileEntry(FormWithRows):
    """A reviewer's profile and the affiliations they declare, in rows."""

    rows_key = "affiliations"
    field_for = {"user": "reviewer"}

    EXTRA_ROWS = 2
    MIN_ROWS = 3

    def __init__(self, data=None, *, reviewers=(), profile=None, initial_reviewer: str = ""):
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
                    initial={
                        "organisation": item.organisation,
                        "role": item.role,
                        "started_on": item.started_on,
                        "ended_on": item.ended_on,
                    }
                    if item
                    else None,
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
    scope = forms.CharField(label="Scope of the review", widget=forms.Textarea, required=False)
    lines_of_enquiry = forms.CharField(
        label="Key lines of enquiry",
        widget=forms.Textarea,
        required=False,
        help_text="One on each line.",
    )
    period_start = date_field("Start of the period under review", "when the period starts")
    period_end = date_field("End of the period under review", "when the period ends")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "terms")
        super().__init__(*args, **kwargs)
        self.helper = _helper(
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


class InformationRequestForm(CaseworkForm):
    agency = forms.ChoiceField(label="Agency", required=False)
    asks = forms.MultipleChoiceField(
        label="What are you asking for?",
        choices=list(ASKS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
    )
    details = forms.CharField(
        label="Details (optional)",
        widget=forms.Textarea,
        required=False,
        help_text="The period, the people and the questions the agency should cover.",
    )
    due = date_field(
        "Due date (optional)",
        "the due date",
        hint="Leave empty for 20 working days from today. Year-month-day, for example 2026-11-02.",
    )

    def __init__(self, *args, agencies=(), **kwargs):
        kwargs.setdefault("prefix", "request")
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _agency_choices(agencies, "Choose an agency")
        self.helper = _helper(
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


class InformationResponseForm(CaseworkForm):
    text = forms.CharField(
        label="Your agency's answer",
        widget=forms.Textarea,
        required=False,
        help_text="Your agency's involvement with the child and family, in order, and anything "
        "else asked for. You can answer more than once.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "response")
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("text", rows=8), submit="Send your answer")


# --- The chronology ----------------------------------------------------------------------------


class ChronologyFilterForm(forms.Form):
    agency = forms.ChoiceField(label="Agency", required=False)
    start = date_field("From", "the first date", hint="Year-month-day.")
    end = date_field("To", "the last date", hint="Year-month-day.")
    key_only = forms.BooleanField(label="Key practice episodes only", required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _agency_choices(agencies, "Every agency")
        self.helper = _helper(
            Fieldset(
                Field.select("agency"),
                Field.text("start", field_width=10),
                Field.text("end", field_width=10),
                Field.checkbox("key_only", small=True),
                legend="Filter the chronology",
                legend_size=Size.SMALL,
            ),
            submit="Apply filters",
            secondary=True,
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "agency_uuid": data["agency"] or None,
            "start": data["start"],
            "end": data["end"],
            "key_only": data["key_only"],
        }

    def query(self) -> str:
        """The filters as a query string, for the pages, the export and the printable page."""
        if not self.is_valid():
            return ""
        data = self.cleaned_data
        pairs = [
            ("agency", data["agency"]),
            ("start", data["start"].isoformat() if data["start"] else ""),
            ("end", data["end"].isoformat() if data["end"] else ""),
            ("key_only", "on" if data["key_only"] else ""),
        ]
        return urlencode([(key, value) for key, value in pairs if value])


class ChronologyEntryForm(CaseworkForm):
    occurred_on = date_field("Date", "the date")
    occurred_at = time_field("Time (optional)")
    agency = forms.ChoiceField(label="Agency", required=False)
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        required=False,
        help_text="What was done and why, as it was seen at the time.",
    )
    who = forms.CharField(
        label="Who",
        max_length=200,
        required=False,
        help_text="By role, never by name: for example 'health visitor'.",
    )
    source_document = forms.CharField(
        label="Source document (optional)", max_length=200, required=False
    )
    key_episode = forms.BooleanField(label="A key practice episode", required=False)

    def __init__(self, *args, agencies=(), submit: str = "Add the entry", **kwargs):
        kwargs.setdefault("prefix", "entry")
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _agency_choices(agencies, "Choose an agency")
        self.agencies = {str(agency.uuid): agency for agency in agencies}
        self.helper = _helper(
            Field.text("occurred_on", field_width=10),
            Field.text("occurred_at", field_width=5),
            Field.select("agency"),
            Field.textarea("what_happened", rows=3),
            Field.text("who", field_width=20),
            Field.text("source_document", field_width=20),
            Field.checkbox("key_episode", small=True),
            submit=submit,
            button_id=f"button-{self.prefix}",
        )

    @classmethod
    def initial_from(cls, entry) -> dict:
        return {
            "occurred_on": entry.occurred_on,
            "occurred_at": entry.occurred_at,
            "agency": str(entry.agency.uuid),
            "what_happened": entry.what_happened,
            "who": entry.who,
            "source_document": entry.source_document,
            "key_episode": entry.key_episode,
        }

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            occurred_on=data["occurred_on"],
            agency=self.agencies.get(data["agency"]),
            what_happened=data["what_happened"],
            who=data["who"],
            occurred_at=data["occurred_at"],
            source_document=data["source_document"],
            key_episode=data["key_episode"],
        )


# --- Findings and recommendations --------------------------------------------------------------


def _entry_label(entry) -> str:
    what = " ".join(entry.what_happened.split())
    return f"{entry.occurred_on.isoformat()}, {entry.agency.name}: {what[:80]}" + (
        "…" if len(what) > 80 else ""
    )


class FindingForm(CaseworkForm):
    text = forms.CharField(label="Finding", widget=forms.Textarea, required=False)
    evidence = forms.MultipleChoiceField(
        label="Chronology entries that support it",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The key practice episodes of the chronology.",
    )

    def __init__(self, *args, entries=(), **kwargs):
        kwargs.setdefault("prefix", "finding")
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(str(e.uuid), _entry_label(e)) for e in entries]
        fields = [Field.textarea("text", rows=4)]
        if self.fields["evidence"].choices:
            fields.append(Field.checkboxes("evidence", legend_size=Size.SMALL, small=True))
        self.helper = _helper(*fields, submit="Add the finding")


class RecommendationForm(CaseworkForm):
    text = forms.CharField(label="Recommendation", widget=forms.Textarea, required=False)
    to_partnership = forms.BooleanField(label="To the partnership", required=False)
    agencies = forms.MultipleChoiceField(
        label="To these agencies",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Address it to the partnership, to one or more agencies, or both.",
    )
    findings = forms.MultipleChoiceField(
        label="Findings it answers (optional)",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, agencies=(), findings=(), **kwargs):
        kwargs.setdefault("prefix", "recommendation")
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = _agency_choices(agencies)
        self.fields["findings"].choices = [(str(f.number), f"Finding {f.number}") for f in findings]
        fields = [
            Field.textarea("text", rows=4),
            Field.checkbox("to_partnership", small=True),
            Field.checkboxes("agencies", legend_size=Size.SMALL, small=True),
        ]
        if self.fields["findings"].choices:
            fields.append(Field.checkboxes("findings", legend_size=Size.SMALL, small=True))
        self.helper = _helper(*fields, submit="Add the recommendation")


# --- Actions -----------------------------------------------------------------------------------


class ActionForm(CaseworkForm):
    recommendation = forms.ChoiceField(label="Recommendation", required=False)
    description = forms.CharField(label="Action", widget=forms.Textarea, required=False)
    owner = forms.ChoiceField(
        label="Owner",
        required=False,
        help_text="The agency that will carry it out, or the partnership itself.",
    )
    due = date_field("Due date", "the due date")

    def __init__(self, *args, recommendations=(), agencies=(), partnership=None, **kwargs):
        kwargs.setdefault("prefix", "action")
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].choices = [("", "Choose a recommendation")] + [
            (str(r.uuid), f"Recommendation {r.number}") for r in recommendations
        ]
        # In a joint review each partnership owns its actions: name whose "the partnership" is.
        ours = f"The partnership ({partnership.name})" if partnership else "The partnership"
        self.fields["owner"].choices = _agency_choices(agencies, ours)
        self.helper = _helper(
            Field.select("recommendation"),
            Field.textarea("description", rows=3),
            Field.select("owner"),
            Field.text("due", field_width=10),
            submit="Add the action",
        )

    def clean_recommendation(self):
        if not self.cleaned_data["recommendation"]:
            raise ValidationError("Choose the recommendation the action answers.")
        return self.cleaned_data["recommendation"]


class ActionUpdateForm(CaseworkForm):
    status = forms.ChoiceField(
        label="Status", choices=OPEN_STATUS_CHOICES, widget=forms.RadioSelect, required=False
    )
    note = forms.CharField(label="Progress", widget=forms.Textarea, required=False)
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload"}),
        help_text="PDF, Word (.docx) or an image (PNG, JPEG), up to 25 MB.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "update")
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL, small=True),
            Field.textarea("note", rows=4),
            Field("evidence"),
            submit="Send the update",
        )

    def evidence_upload(self) -> UploadedFile | None:
        upload = self.cleaned_data["evidence"]
        return UploadedFile(name=upload.name, content=upload.read()) if upload else None


class ActionTrackerFilterForm(forms.Form):
    agency = forms.ChoiceField(label="Owner", required=False)
    review = forms.ChoiceField(label="Review", required=False)
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *OPEN_STATUS_CHOICES], required=False
    )
    rag = forms.ChoiceField(label="RAG", choices=[("", "Any"), *RAG_CHOICES], required=False)
    include_verified = forms.BooleanField(label="Include verified actions", required=False)

    def __init__(self, *args, agencies=None, reviews=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = []
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].choices = _agency_choices(agencies, "Any owner")
            fields.append(Field.select("agency"))
        if reviews is None:
            del self.fields["review"]
        else:
            # (reference, label) pairs: the partnership's reviews and the joint ones it is in.
            self.fields["review"].choices = [("", "Any review"), *reviews]
            fields.append(Field.select("review"))
        fields += [
            Field.select("status"),
            Field.select("rag"),
            Field.checkbox("include_verified", small=True),
        ]
        self.helper = _helper(
            Fieldset(*fields, legend="Filter actions", legend_size=Size.SMALL),
            submit="Apply filters",
            secondary=True,
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"open_only": True}
        data = self.cleaned_data
        return {
            "agency_uuid": data.get("agency") or None,
            "review_reference": data.get("review") or "",
            "status": data["status"],
            "rag": data["rag"],
            "open_only": not data["include_verified"],
        }


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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "document")
        super().__init__(*args, **kwargs)
        self.helper = _helper(
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
