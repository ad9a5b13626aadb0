"""Web forms for the referral page's sections (screening, the notifications, the rapid review,
the decision, files) and for an agency's rapid-review contribution. They parse and shape input;
the casework services decide whether it is allowed and valid."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.core.exceptions import ValidationError

from casework.models import Outcome, PanelResponse
from frontend.forms.base import CaseworkForm, date_field, form_layout, optional_text
from tenants.files import UploadedFile

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
    rationale = optional_text("Rationale")
    override_reason = optional_text(
        "Reason for departing from the criteria",
        "Only when the group's view differs from what the criteria say.",
    )

    prefix = "screening"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
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

    prefix = "panel"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.text("submitted_on", field_width=10),
            Field.text("panel_reference", field_width=20),
            submit="Record notification",
        )


class SosOfstedNotificationForm(CaseworkForm):
    notified_on = date_field(
        "Date the Secretary of State and Ofsted were told", "the date they were told"
    )

    prefix = "sos"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
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

    prefix = "ask"

    def __init__(self, *args, agencies=(), submit: str = "Start the rapid review", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(str(a.uuid), a.name) for a in agencies]
        self.helper = form_layout(
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

    prefix = "rapid"

    def __init__(self, *args, next_steps=None, **kwargs):
        super().__init__(*args, **kwargs)
        if next_steps is not None:
            self.fields["recommended_next_step"].choices = [
                (o, Outcome(o).label) for o in next_steps
            ]
        self.helper = form_layout(
            Field.textarea("immediate_actions", rows=4),
            Field.textarea("potential_improvements", rows=4),
            Field.textarea("racism_inequality_disability", rows=4),
            Field.radios("recommended_next_step", legend_size=Size.SMALL, small=True),
            submit="Save the rapid review",
            secondary=True,
        )


class RapidReviewSendForm(CaseworkForm):
    sent_on = date_field("Date it was sent to the Panel", "the date it was sent")

    prefix = "send"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(Field.text("sent_on", field_width=10), submit="Record as sent")


class PanelResponseForm(CaseworkForm):
    kind = forms.ChoiceField(
        label="The Panel's response",
        choices=PanelResponse.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    response = optional_text(
        "What the Panel said", "Needed when the Panel asks for more information."
    )
    responded_on = date_field("Date the Panel answered", "the date the Panel answered")

    prefix = "response"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.radios("kind", legend_size=Size.SMALL),
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
    department_told_on = date_field(
        "Date the Department for Education was told",
        "the date the Department was told",
    )

    notice_fields = (
        "family_informed_on",
        "family_informed_how",
        "panel_told_on",
        "ofsted_told_on",
        "department_told_on",
    )

    prefix = "notices"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(*self._notice_layout(), submit="Record who was told")

    def _notice_layout(self):
        return [
            Field.text("family_informed_on", field_width=10),
            Field.text("family_informed_how"),
            Field.text("panel_told_on", field_width=10),
            Field.text("ofsted_told_on", field_width=10),
            Field.text("department_told_on", field_width=10),
        ]


class DecisionForm(DecisionNoticesForm):
    outcome = forms.ChoiceField(
        label="Decision", choices=Outcome.choices, widget=forms.RadioSelect, required=False
    )
    rationale = optional_text("Rationale", "It is communicated, including to the family.")
    decided_on = date_field("Date of the decision", "the date of the decision")
    exception_reason = optional_text(
        "Why decide before the Panel answers",
        "Only when the Panel has not yet answered the rapid review.",
    )

    prefix = "decision"

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if outcomes is not None:
            # What this referral's chair may choose; a posted value is the service's to check.
            self.fields["outcome"].choices = [(o, Outcome(o).label) for o in outcomes]
        self.order_fields(
            ["outcome", "rationale", "decided_on", "exception_reason", *self.notice_fields]
        )
        self.helper = form_layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("rationale", rows=4),
            Field.text("decided_on", field_width=10),
            Field.textarea("exception_reason", rows=3),
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

    prefix = "file"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(Field("attachment"), submit="Upload file", secondary=True)

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
    involvement = optional_text("Your agency's involvement with the child and family")
    immediate_safety_actions = optional_text(
        "Immediate safety actions taken",
        "What your agency has done to keep the child and any other children safe.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.textarea("facts", rows=6),
            Field.textarea("involvement", rows=6),
            Field.textarea("immediate_safety_actions", rows=4),
            submit="Send contribution",
        )
