"""Web forms for referrals, screening, notifications, the rapid review and the decision. They
parse and shape input; the casework services decide whether it is allowed and valid."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from casework.clocks import REGIME_CHOICES
from casework.models import AbuseOrNeglect, Circumstance, Harm, Outcome, ReferralStatus, Sex
from casework.services import MAX_CHILDREN, ChildInput
from frontend.forms import FormWithRows, apply_service_errors
from tenants.files import UploadedFile

DATE_EXAMPLE = "2026-11-02"


def _layout(*fields, submit: str | None = None, secondary: bool = False) -> FormHelper:
    helper = FormHelper()
    # Templates write the <form> themselves (with hx-* attributes where they need them).
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has its token
    items = list(fields)
    if submit:
        items.append(
            Submit(
                "submit",
                submit,
                css_class="govuk-button--secondary" if secondary else "",
                # Several forms share the referral page: each button needs an id of its own.
                css_id=f"button-{slugify(submit)}",
            )
        )
    helper.layout = Layout(*items)
    return helper


def date_field(label: str, what: str, *, hint: str = "", required: bool = False):
    """One ISO date (DESIGN §4: dates as ISO 8601). Missing dates are the services' to name;
    a date that cannot be read is the form's."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=hint or f"Year-month-day, for example {DATE_EXAMPLE}.",
        error_messages={
            "invalid": f"Enter {what} as year-month-day, for example {DATE_EXAMPLE}.",
            "required": f"Enter {what}.",
        },
    )


def _error_anchor(bound) -> str:
    """Where an error summary link goes: the first radio or checkbox of a group (their ids
    end in _1), else the field itself."""
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound.html_name}_1"
    return bound.id_for_label or bound.auto_id


class ErrorLinks:
    """The GOV.UK error summary's links for a form: each message pointing at its field."""

    def error_items(self) -> list[tuple[str, str, str]]:
        """(field name, anchor, message) for each error, in the form's order."""
        visible = list(self.visible_fields())
        first = _error_anchor(visible[0]) if visible else ""
        items = [("", first, message) for message in self.non_field_errors()]
        for bound in visible:
            items.extend((bound.name, _error_anchor(bound), message) for message in bound.errors)
        return items

    def error_links(self) -> list[tuple[str, str]]:
        return [(anchor, message) for _, anchor, message in self.error_items()]


class CaseworkForm(ErrorLinks, forms.Form):
    """A form on the referral page: prefixed, so that several can share one page."""

    def add_service_errors(self, error: ValidationError) -> None:
        apply_service_errors(self, error)


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
    incident_date = date_field("Date of the incident", "the date of the incident")
    aware_date = date_field(
        "Date the partnership became aware",
        "the date the partnership became aware",
        hint=f"The 5 working days to notify the Panel count from this date. "
        f"Year-month-day, for example {DATE_EXAMPLE}.",
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
    regime = forms.ChoiceField(
        label="Which rules apply?",
        choices=REGIME_CHOICES,
        widget=forms.RadioSelect,
        initial="wt2023",
        required=False,
        help_text="Historic cases notified before 2018 follow the 2015 Serious Case Review rules.",
    )
    agencies_involved = forms.MultipleChoiceField(
        label="Agencies involved with the child or family",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
    )
    other_agencies = forms.CharField(
        label="Other agencies involved",
        widget=forms.Textarea,
        required=False,
        help_text="Agencies not listed above, one on each line.",
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

    def __init__(self, *args, agencies=(), choose_agency: bool = False, **kwargs):
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
            Field.text("incident_date", field_width=10),
            Field.text("aware_date", field_width=10),
            Field.radios("harm", legend_size=Size.SMALL),
            Field.radios("abuse_or_neglect", legend_size=Size.SMALL),
            Field.checkboxes("circumstances", legend_size=Size.SMALL, small=True),
            Field.radios("regime", legend_size=Size.SMALL, small=True),
        ]
        self.helper = _layout(*fields)
        self.agencies_helper = _layout(
            Field.checkboxes("agencies_involved", legend_size=Size.SMALL, small=True),
            Field.textarea("other_agencies", rows=3),
        )
        self.summary_helper = _layout(
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
        self.helper = _layout(
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
        data = self.cleaned_data
        return ChildInput(
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            sex=data["sex"],
            ethnicity=data["ethnicity"],
            looked_after=data["looked_after"],
            child_protection_plan=data["child_protection_plan"],
        )


class ReferralEntry(FormWithRows):
    """The whole referral form: the referral's own fields and up to four children's rows."""

    rows_key = "children"

    def __init__(self, data=None, files=None, *, agencies=(), choose_agency: bool = False):
        super().__init__()
        self.form = ReferralForm(data, files, agencies=agencies, choose_agency=choose_agency)
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
        self.helper = _layout(
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


# --- The referral page's sections --------------------------------------------------------------


class ScreeningForm(CaseworkForm):
    view_met = forms.TypedChoiceField(
        label="Does the review group find the criteria met?",
        choices=[("yes", "Yes, the criteria are met"), ("no", "No, the criteria are not met")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    rationale = forms.CharField(label="Rationale", widget=forms.Textarea, required=False)
    override_reason = forms.CharField(
        label="Reason for departing from the criteria",
        widget=forms.Textarea,
        required=False,
        help_text="Only when the group's view differs from what the criteria say.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "screening")
        super().__init__(*args, **kwargs)
        self.helper = _layout(
            Field.radios("view_met", legend_size=Size.SMALL),
            Field.textarea("rationale", rows=4),
            Field.textarea("override_reason", rows=3),
            submit="Record screening",
        )

    def clean_view_met(self):
        value = self.cleaned_data["view_met"]
        if value is None:
            raise ValidationError("Say whether the review group finds the criteria met.")
        return value


class PanelNotificationForm(CaseworkForm):
    submitted_on = date_field("Date it was submitted", "the date it was submitted")
    panel_reference = forms.CharField(
        label="Panel's reference",
        max_length=64,
        required=False,
        help_text="The reference the national notification service gave.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "panel")
        super().__init__(*args, **kwargs)
        self.helper = _layout(
            Field.text("submitted_on", field_width=10),
            Field.text("panel_reference", field_width=20),
            submit="Record notification",
        )


class SosOfstedNotificationForm(CaseworkForm):
    notified_on = date_field(
        "Date the Secretary of State and Ofsted were told", "the date they were told"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "sos")
        super().__init__(*args, **kwargs)
        self.helper = _layout(
            Field.text("notified_on", field_width=10), submit="Record that they were told"
        )


class AgenciesToAskForm(CaseworkForm):
    agencies = forms.MultipleChoiceField(
        label="Agencies to ask for a contribution",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Each is asked for the facts, its involvement and its immediate safety "
        "actions, within 5 working days.",
    )

    def __init__(self, *args, agencies=(), submit: str = "Start the rapid review", **kwargs):
        kwargs.setdefault("prefix", "ask")
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(str(a.uuid), a.name) for a in agencies]
        self.helper = _layout(
            Field.checkboxes("agencies", legend_size=Size.SMALL, small=True), submit=submit
        )


class RapidReviewForm(CaseworkForm):
    immediate_actions = forms.CharField(
        label="Immediate actions taken", widget=forms.Textarea, required=False
    )
    potential_improvements = forms.CharField(
        label="Potential improvements to practice", widget=forms.Textarea, required=False
    )
    racism_inequality_disability = forms.CharField(
        label="Effects of racism, inequality and disability", widget=forms.Textarea, required=False
    )
    recommended_next_step = forms.ChoiceField(
        label="Recommended next step",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "rapid")
        super().__init__(*args, **kwargs)
        self.helper = _layout(
            Field.textarea("immediate_actions", rows=4),
            Field.textarea("potential_improvements", rows=4),
            Field.textarea("racism_inequality_disability", rows=4),
            Field.radios("recommended_next_step", legend_size=Size.SMALL, small=True),
            submit="Save the rapid review",
            secondary=True,
        )


class RapidReviewSendForm(CaseworkForm):
    sent_on = date_field("Date it was sent to the Panel", "the date it was sent")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "send")
        super().__init__(*args, **kwargs)
        self.helper = _layout(Field.text("sent_on", field_width=10), submit="Record as sent")


class PanelResponseForm(CaseworkForm):
    response = forms.CharField(label="What the Panel said", widget=forms.Textarea, required=False)
    responded_on = date_field("Date the Panel answered", "the date the Panel answered")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "response")
        super().__init__(*args, **kwargs)
        self.helper = _layout(
            Field.textarea("response", rows=4),
            Field.text("responded_on", field_width=10),
            submit="Record the Panel's response",
        )


class DecisionNoticesForm(CaseworkForm):
    family_informed_on = date_field("Date the family was told", "the date the family was told")
    family_informed_how = forms.CharField(
        label="How the family was told",
        max_length=200,
        required=False,
        help_text="For example, 'Home visit by the lead reviewer and a social worker'.",
    )
    panel_told_on = date_field("Date the Panel was told", "the date the Panel was told")
    ofsted_told_on = date_field("Date Ofsted was told", "the date Ofsted was told")

    notice_fields = ("family_informed_on", "family_informed_how", "panel_told_on", "ofsted_told_on")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "notices")
        super().__init__(*args, **kwargs)
        self.helper = _layout(*self._notice_layout(), submit="Record who was told")

    def _notice_layout(self):
        return [
            Field.text("family_informed_on", field_width=10),
            Field.text("family_informed_how"),
            Field.text("panel_told_on", field_width=10),
            Field.text("ofsted_told_on", field_width=10),
        ]


class DecisionForm(DecisionNoticesForm):
    outcome = forms.ChoiceField(
        label="Decision", choices=Outcome.choices, widget=forms.RadioSelect, required=False
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea,
        required=False,
        help_text="It is communicated, including to the family.",
    )
    decided_on = date_field("Date of the decision", "the date of the decision")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        self.order_fields(["outcome", "rationale", "decided_on", *self.notice_fields])
        self.helper = _layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("rationale", rows=4),
            Field.text("decided_on", field_width=10),
            Fieldset(
                *self._notice_layout(),
                legend="Who has been told (you can add this later)",
                legend_size=Size.SMALL,
            ),
            submit="Record the decision",
        )


class AttachmentForm(CaseworkForm):
    attachment = forms.FileField(
        label="Add a file",
        required=False,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload"}),
        help_text="PDF, Word (.docx) or an image (PNG, JPEG), up to 20 MB.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "file")
        super().__init__(*args, **kwargs)
        self.helper = _layout(Field("attachment"), submit="Upload file", secondary=True)

    def clean_attachment(self):
        upload = self.cleaned_data["attachment"]
        if not upload:
            raise ValidationError("Choose a file to upload.")
        return upload

    @staticmethod
    def to_upload(cleaned_data) -> UploadedFile:
        upload = cleaned_data["attachment"]
        return UploadedFile(name=upload.name, content=upload.read())


# --- The agency's contribution -----------------------------------------------------------------


class ContributionForm(CaseworkForm):
    facts = forms.CharField(
        label="The facts as your agency knows them", widget=forms.Textarea, required=False
    )
    involvement = forms.CharField(
        label="Your agency's involvement with the child and family",
        widget=forms.Textarea,
        required=False,
    )
    immediate_safety_actions = forms.CharField(
        label="Immediate safety actions taken",
        widget=forms.Textarea,
        required=False,
        help_text="What your agency has done to keep the child and any other children safe.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _layout(
            Field.textarea("facts", rows=6),
            Field.textarea("involvement", rows=6),
            Field.textarea("immediate_safety_actions", rows=4),
            submit="Send contribution",
        )
