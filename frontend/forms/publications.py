"""Web forms for publishing: starting a publication, its public record, identifiers to check,
documents, the gate's hits, the notice, scheduling, delays, withdrawal, chair's statements, the
briefing, and the public's requests for copies. They parse and shape input; the publishing
services decide whether it is allowed and valid.

crispy-forms-gds renders labels, legends and hints unescaped: they hold only our own words,
never anything a user typed (choices' labels are escaped).
"""

import datetime
import re

from crispy_forms_gds.layout import Field, Size
from django import forms

from casework.processes import REVIEW_TYPES
from frontend.forms.base import (
    CaseworkForm,
    date_field,
    form_layout,
    initial_from,
    input_from,
)
from publishing.library.models import AgeBand
from publishing.models import DocumentKind, IdentifierKind
from publishing.services import BRIEFING_SECTIONS
from tenants.files import UploadedFile


class MonthField(forms.CharField):
    """A month as year-month (2016-07), the precision the partnerships' pages give."""

    def __init__(self, *args, what: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Year-month, for example 2016-07. Optional.")
        kwargs.setdefault("max_length", 7)
        super().__init__(*args, **kwargs)
        self.what = what
        self.widget.attrs.update(autocomplete="off", spellcheck="false")

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(f"Enter {self.what} as year-month, for example 2016-07.")
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class StartForm(CaseworkForm):
    review = forms.ChoiceField(label="Completed review", required=False)

    prefix = "start"

    def __init__(self, *args, reviews=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].choices = [("", "Choose a review")] + [
            (review.reference, f"{review.reference}: {review.title}") for review in reviews
        ]
        self.helper = form_layout(Field.select("review"), submit="Start the publication")

    def clean_review(self):
        value = self.cleaned_data["review"]
        if not value:
            raise forms.ValidationError("Choose the completed review to publish.")
        return value


class EnterForm(CaseworkForm):
    title = forms.CharField(label="Title as it was published", max_length=200, required=False)
    review_type = forms.ChoiceField(
        label="Kind of review",
        choices=[(key, t.label) for key, t in REVIEW_TYPES.items()],
        initial="serious_case_review",
    )
    published_on = date_field("Date it was published", "the date it was published")
    summary_only = forms.BooleanField(
        label="Only an executive summary was published (reviews before 2013)", required=False
    )

    prefix = "enter"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.text("title"),
            Field.select("review_type"),
            Field.text("published_on", field_width=10),
            Field.checkbox("summary_only", small=True),
            submit="Enter the review",
            secondary=True,
        )


class RecordForm(CaseworkForm):
    title = forms.CharField(
        label="Title as the public will know it",
        max_length=200,
        required=False,
        help_text='For example, Child "Joe" or Children R, S and W. Never a real name.',
    )
    pseudonyms = forms.CharField(
        label="Pseudonyms",
        required=False,
        max_length=1300,
        help_text="The names the report uses, separated by commas: Joe, Child J.",
    )
    summary = forms.CharField(label="Public summary", required=False, widget=forms.Textarea)
    themes = forms.MultipleChoiceField(
        label="Themes", required=False, widget=forms.CheckboxSelectMultiple
    )
    age_bands = forms.MultipleChoiceField(
        label="Child's age when it happened",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=AgeBand.choices,
    )
    commissioned_month = MonthField(label="Month the review was commissioned", what="the month")
    incident_month = MonthField(label="Month of the incident", what="the month")
    improvements = forms.CharField(
        label="Improvements made",
        required=False,
        widget=forms.Textarea,
        help_text="Published instead of the report when the report is not published.",
    )

    prefix = "record"

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(theme.slug, theme.label) for theme in themes]
        self.helper = form_layout(
            Field.text("title"),
            Field.text("pseudonyms"),
            Field.textarea("summary", rows=6),
            Field.checkboxes("themes", legend_size=Size.SMALL, small=True),
            Field.checkboxes("age_bands", legend_size=Size.SMALL, small=True),
            Field.text("commissioned_month", field_width=10),
            Field.text("incident_month", field_width=10),
            Field.textarea("improvements", rows=4),
            submit="Save the public record",
        )

    @classmethod
    def initial_from(cls, publication) -> dict:
        return initial_from(
            publication,
            cls,
            pseudonyms=", ".join(publication.pseudonyms),
            themes=list(publication.themes),
            age_bands=list(publication.age_bands),
        )

    def record_input(self):
        from publishing.services import RecordInput

        data = self.cleaned_data
        pseudonyms = [p.strip() for p in data["pseudonyms"].split(",") if p.strip()]
        return input_from(RecordInput, data, pseudonyms=pseudonyms)


class IdentifierForm(CaseworkForm):
    kind = forms.ChoiceField(
        label="What is it?", choices=[("", "Choose"), *IdentifierKind.choices], required=False
    )
    value = forms.CharField(
        label="Identifier to look for",
        max_length=300,
        required=False,
        help_text="As written in the case record: a full name, an address, a school's name. "
        "Dates of birth as year-month-day.",
    )

    prefix = "identifier"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.helper = form_layout(
            Field.select("kind"), Field.text("value"), submit="Add it to the check", secondary=True
        )


class DocumentForm(CaseworkForm):
    kind = forms.ChoiceField(
        label="Which document", choices=[("", "Choose"), *DocumentKind.choices], required=False
    )
    file = forms.FileField(
        label="File",
        required=False,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload"}),
        help_text="PDF or Word (.docx), up to 25 MB, not password-protected. The anonymisation "
        "gate checks it as soon as it is uploaded.",
    )

    prefix = "document"

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [("", "Choose"), *kinds]
        self.helper = form_layout(Field.select("kind"), Field("file"), submit="Upload")

    def upload(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        return UploadedFile(name=upload.name, content=upload.read())


class AcceptForm(CaseworkForm):
    reason = forms.CharField(
        label="Why this can be published as it is",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, hit_uuid: str = "", **kwargs):
        kwargs.setdefault("prefix", f"accept-{hit_uuid}")
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.textarea("reason", rows=2),
            submit="Accept",
            secondary=True,
            button_id=f"button-accept-{hit_uuid}",
        )


class NoticeForm(CaseworkForm):
    panel_sent_on = date_field(
        "Sent to the Child Safeguarding Practice Review Panel", "the date it was sent"
    )
    secretary_of_state_sent_on = date_field(
        "Sent to the Secretary of State (Department for Education)", "the date it was sent"
    )
    ofsted_sent_on = date_field("Sent to Ofsted", "the date it was sent")
    change_reason = forms.CharField(
        label="Why a date already recorded is changed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when correcting a date recorded before. Kept in the audit trail.",
    )

    prefix = "notice"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.text("panel_sent_on", field_width=10),
            Field.text("secretary_of_state_sent_on", field_width=10),
            Field.text("ofsted_sent_on", field_width=10),
            Field.textarea("change_reason", rows=2),
            submit="Save the notice dates",
            secondary=True,
        )


class ReasonsSentForm(CaseworkForm):
    """When the reasons for not publishing went to the Panel and the Secretary of State."""

    DATES = ("reasons_panel_sent_on", "reasons_secretary_of_state_sent_on")

    reasons_panel_sent_on = date_field(
        "Reasons sent to the Child Safeguarding Practice Review Panel", "the date they were sent"
    )
    reasons_secretary_of_state_sent_on = date_field(
        "Reasons sent to the Secretary of State (Department for Education)",
        "the date they were sent",
    )
    change_reason = NoticeForm.base_fields["change_reason"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reasons")
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.text("reasons_panel_sent_on", field_width=10),
            Field.text("reasons_secretary_of_state_sent_on", field_width=10),
            Field.textarea("change_reason", rows=2),
            submit="Save the dates the reasons were sent",
            secondary=True,
        )


class ScheduleForm(CaseworkForm):
    scheduled_for = date_field("Publish on", "the date to publish on")

    prefix = "schedule"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(Field.text("scheduled_for", field_width=10), submit="Schedule")


class DelayForm(CaseworkForm):
    reason = forms.CharField(
        label="Why publication is delayed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, parallel criminal proceedings. Not published.",
    )
    review_on = date_field("Review the delay on", "the date to review the delay")

    prefix = "delay"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.textarea("reason", rows=2),
            Field.text("review_on", field_width=10),
            submit="Delay publication",
            secondary=True,
        )


class KeepOnlineForm(CaseworkForm):
    until = date_field(
        "Keep online until",
        "the date",
        hint="Year-month-day. Leave empty to keep it online with no end date.",
    )

    prefix = "online"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.text("until", field_width=10), submit="Keep it online", secondary=True
        )


class StatementForm(CaseworkForm):
    chair_name = forms.CharField(label="Chair's name, as published", max_length=200, required=False)
    chair_role = forms.CharField(
        label="Role", max_length=200, required=False, help_text="For example, Independent Chair."
    )
    text = forms.CharField(label="Statement", required=False, widget=forms.Textarea)

    prefix = "statement"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.text("chair_name"),
            Field.text("chair_role"),
            Field.textarea("text", rows=6),
            submit="Save the statement",
        )


class BriefingForm(CaseworkForm):
    prefix = "briefing"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in BRIEFING_SECTIONS.items():
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        self.helper = form_layout(
            *[Field.textarea(name, rows=3) for name in BRIEFING_SECTIONS],
            submit="Save the briefing's text",
            secondary=True,
        )


# --- The public --------------------------------------------------------------------------------


class CopyRequestForm(CaseworkForm):
    document = forms.ChoiceField(label="Document", widget=forms.RadioSelect, required=False)
    name = forms.CharField(label="Your name", max_length=200, required=False)
    email = forms.CharField(
        label="Your email address",
        max_length=254,
        required=False,
        help_text="We send the link to the document here if the request is approved.",
    )
    organisation = forms.CharField(label="Organisation (optional)", max_length=200, required=False)
    reason = forms.CharField(
        label="Why would you like a copy?", required=False, widget=forms.Textarea
    )

    prefix = "copy"

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [
            (str(document["uuid"]), document["label"]) for document in documents
        ]
        if len(self.fields["document"].choices) == 1:
            self.fields["document"].initial = self.fields["document"].choices[0][0]
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["email"].widget.attrs.update(
            autocomplete="email", spellcheck="false", type="email"
        )
        self.fields["organisation"].widget.attrs.update(autocomplete="organization")
        self.helper = form_layout(
            Field.radios("document", legend_size=Size.SMALL, small=True),
            Field.text("name"),
            Field.text("email"),
            Field.text("organisation"),
            Field.textarea("reason", rows=4),
            submit="Send the request",
        )


class DecisionForm(CaseworkForm):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("approve", "Approve: email a link to the document"), ("refuse", "Refuse")],
        required=False,
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to refuse; the requester is told it.",
    )

    prefix = "decision"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.radios("decision", legend_size=Size.SMALL, small=True),
            Field.textarea("reason", rows=3),
            submit="Record the decision",
        )

    def clean_decision(self):
        value = self.cleaned_data["decision"]
        if value not in ("approve", "refuse"):
            raise forms.ValidationError("Choose whether to approve or refuse the request.")
        return value
