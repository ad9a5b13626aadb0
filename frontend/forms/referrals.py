"""Web forms for referring a case (the referral, its children and files) and for the triage
list's filters; the referral page's sections are in ``referral_sections``. They parse and shape
input; the casework services decide whether it is allowed and valid."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from casework.models import AbuseOrNeglect, Circumstance, Harm, ReferralStatus, Sex
from casework.regimes import REGIME_CHOICES
from casework.services import MAX_CHILDREN, ChildInput
from frontend.forms.base import (
    ErrorLinks,
    FormWithRows,
    checkboxes,
    date_field,
    form_layout,
    input_from,
    optional_text,
)
from frontend.forms.dates import DateInputField
from tenants.files import UploadedFile

# --- The referral ------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; what they may be is the service's rule."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"class": "govuk-file-upload", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReferralForm(ErrorLinks, forms.Form):
    agency = forms.ChoiceField(label="Referring agency", required=False)
    incident_date = DateInputField(label="Date of the incident", what="the date of the incident")
    aware_date = DateInputField(
        label="Date the partnership became aware",
        what="the date the partnership became aware",
        hint="The 5 working days to notify the Panel count from this date. For example, 27 3 2026.",
    )
    harm = forms.ChoiceField(
        label="What happened to the child?",
        choices=Harm.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    abuse_or_neglect = forms.ChoiceField(
        label="Is abuse or neglect known or suspected?",
        choices=AbuseOrNeglect.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    circumstances = forms.MultipleChoiceField(
        label="Special circumstances",
        choices=Circumstance.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
    )
    working_together_concern = forms.TypedChoiceField(
        label="Is there cause for concern about how the agencies worked together to safeguard "
        "the child?",
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not known")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
        help_text="The 2015 serious case review rules (before 29 June 2018) ask this when a child "
        "was seriously harmed.",
    )
    regime = forms.ChoiceField(
        label="Which rules apply?",
        choices=[
            ("", "The rules in force on the date the partnership became aware"),
            *REGIME_CHOICES,
        ],
        widget=forms.RadioSelect,
        initial="",
        required=False,
        help_text="Other rules only where both were in force: from 29 June 2018 to 29 "
        "September 2019 an LSCB could still hold a 2015 serious case review.",
    )
    regime_reason = forms.CharField(
        label="Why these rules",
        widget=forms.Textarea,
        required=False,
        help_text="Only when you choose rules other than those in force on that date.",
    )
    agencies_involved = checkboxes(
        "Agencies involved with the child or family", "Select all that apply."
    )
    other_agencies = optional_text(
        "Other agencies involved", "Agencies not listed above, one on each line."
    )
    summary = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        required=False,
        help_text="In your own words: the incident, what is known so far, and what has been "
        "done to keep the child and any other children safe.",
    )
    attachments = MultipleFileField(
        label="Upload files (optional)",
        required=False,
        help_text="PDF, Word (.docx) or images (PNG, JPEG), up to 20 MB each.",
    )

    def __init__(
        self, *args, agencies=(), choose_agency: bool = False, choose_regime: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        agencies = list(agencies)
        self.fields["agencies_involved"].choices = [(a.name, a.name) for a in agencies]
        fields = []
        if choose_agency:
            self.fields["agency"].choices = [("", "Choose an agency")] + [
                (str(a.uuid), a.name) for a in agencies
            ]
            fields.append(Field.select("agency"))
        else:
            del self.fields["agency"]
        fields += [
            Field("incident_date"),
            Field("aware_date"),
            Field.radios("harm", legend_size=Size.SMALL),
            Field.radios("abuse_or_neglect", legend_size=Size.SMALL),
            Field.checkboxes("circumstances", legend_size=Size.SMALL, small=True),
            Field.radios("working_together_concern", legend_size=Size.SMALL, small=True),
        ]
        if choose_regime:
            fields += [
                Field.radios("regime", legend_size=Size.SMALL, small=True),
                Field.textarea("regime_reason", rows=3),
            ]
        else:
            del self.fields["regime"], self.fields["regime_reason"]
        self.helper = form_layout(*fields)
        self.agencies_helper = form_layout(
            Field.checkboxes("agencies_involved", legend_size=Size.SMALL, small=True),
            Field.textarea("other_agencies", rows=3),
        )
        self.summary_helper = form_layout(
            Field.textarea("summary", rows=8), Field("attachments"), submit="Send referral"
        )

    def agency_names(self) -> list[str]:
        others = self.cleaned_data["other_agencies"].splitlines()
        return list(self.cleaned_data["agencies_involved"]) + [n for n in others if n.strip()]

    def uploads(self) -> list[UploadedFile]:
        return [
            UploadedFile(name=upload.name, content=upload.read())
            for upload in self.cleaned_data["attachments"]
        ]


class ChildForm(ErrorLinks, forms.Form):
    given_name = forms.CharField(label="Given name", max_length=100, required=False)
    family_name = forms.CharField(label="Family name", max_length=100, required=False)
    date_of_birth = date_field("Date of birth", "the date of birth")
    sex = forms.ChoiceField(label="Sex", choices=[("", "Choose"), *Sex.choices], required=False)
    ethnicity = forms.CharField(label="Ethnicity", max_length=100, required=False)
    looked_after = forms.BooleanField(label="Looked after by a local authority", required=False)
    child_protection_plan = forms.BooleanField(label="On a child protection plan", required=False)

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        for name in ("given_name", "family_name"):
            self.fields[name].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.helper = form_layout(
            Field.text("given_name", field_width=20),
            Field.text("family_name", field_width=20),
            Field.text("date_of_birth", field_width=10),
            Field.select("sex"),
            Field.text("ethnicity", field_width=20),
            Field.checkbox("looked_after", small=True),
            Field.checkbox("child_protection_plan", small=True),
        )

    @property
    def is_empty(self) -> bool:
        """A row left as it came: ignored, whatever its number."""
        return not self.has_changed()

    def child_input(self) -> ChildInput:
        return input_from(ChildInput, self.cleaned_data)


class ReferralEntry(FormWithRows):
    """The whole referral form: the referral's own fields and up to four children's rows."""

    rows_key = "children"

    def __init__(
        self,
        data=None,
        files=None,
        *,
        agencies=(),
        choose_agency: bool = False,
        choose_regime: bool = False,
    ):
        super().__init__()
        self.form = ReferralForm(
            data,
            files,
            agencies=agencies,
            choose_agency=choose_agency,
            choose_regime=choose_regime,
        )
        self.children = self.rows = [
            ChildForm(data, prefix=f"child-{number}", number=number)
            for number in range(1, MAX_CHILDREN + 1)
        ]
        self.children_errors: list[str] = []

    def child_inputs(self) -> list[ChildInput]:
        return [child.child_input() for child in self.sent_rows()]

    def unplaced_row_errors(self, messages: list[str]) -> None:
        self.children_errors.extend(messages)

    def error_links(self) -> list[tuple[str, str]]:
        """In the page's order: the referral's first fields, the children, then the rest."""
        items = self.form.error_items()
        links = [(a, m) for name, a, m in items if name not in FIELDS_AFTER_CHILDREN]
        links += [("id_child-1-given_name", message) for message in self.children_errors]
        for child in self.children:
            links += child.error_links()
        return links + [(a, m) for name, a, m in items if name in FIELDS_AFTER_CHILDREN]


FIELDS_AFTER_CHILDREN = {"agencies_involved", "other_agencies", "summary", "attachments"}


# --- The triage list ---------------------------------------------------------------------------


class TriageFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *ReferralStatus.choices], required=False
    )
    agency = forms.ChoiceField(label="Referring agency", required=False)
    due_soon = forms.BooleanField(label="A clock is due within 2 working days", required=False)
    overdue = forms.BooleanField(label="A clock is overdue", required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].choices = [("", "Any agency")] + [
                (str(a.uuid), a.name) for a in agencies
            ]
        fields = [Field.select("status")]
        if "agency" in self.fields:
            fields.append(Field.select("agency"))
        fields += [Field.checkbox("due_soon", small=True), Field.checkbox("overdue", small=True)]
        self.helper = form_layout(
            Fieldset(*fields, legend="Filter referrals", legend_size=Size.SMALL),
            submit="Apply filters",
            secondary=True,
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"status": "", "agency_uuid": None, "due_soon": False, "overdue": False}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "agency_uuid": data.get("agency") or None,
            "due_soon": data["due_soon"],
            "overdue": data["overdue"],
        }
