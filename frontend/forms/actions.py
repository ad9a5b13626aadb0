"""Web forms for action plans: an action, its owner's progress with evidence, and the
tracker's filters."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.core.exceptions import ValidationError

from casework.models import ActionStatus
from frontend.forms.base import CaseworkForm, agency_choices, date_field, form_layout, optional_text
from tenants.files import UploadedFile

RAG_CHOICES = [("red", "Red"), ("amber", "Amber"), ("green", "Green")]
OPEN_STATUS_CHOICES = [
    (ActionStatus.NOT_STARTED, "Not started"),
    (ActionStatus.IN_PROGRESS, "In progress"),
    (ActionStatus.COMPLETE, "Complete"),
]


# --- Actions -----------------------------------------------------------------------------------


class ActionForm(CaseworkForm):
    recommendation = forms.ChoiceField(label="Recommendation", required=False)
    description = optional_text("Action")
    owner = forms.ChoiceField(
        label="Owner",
        required=False,
        help_text="The agency that will carry it out, or the partnership itself.",
    )
    due = date_field("Due date", "the due date")

    prefix = "action"

    def __init__(self, *args, recommendations=(), agencies=(), partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].choices = [("", "Choose a recommendation")] + [
            (str(r.uuid), f"Recommendation {r.number}") for r in recommendations
        ]
        # In a joint review each partnership owns its actions: name whose "the partnership" is.
        ours = f"The partnership ({partnership.name})" if partnership else "The partnership"
        self.fields["owner"].choices = agency_choices(agencies, ours)
        self.helper = form_layout(
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
    note = optional_text("Progress")
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        widget=forms.FileInput(attrs={"class": "govuk-file-upload"}),
        help_text="PDF, Word (.docx) or an image (PNG, JPEG), up to 25 MB.",
    )

    prefix = "update"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
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
            self.fields["agency"].choices = agency_choices(agencies, "Any owner")
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
        self.helper = form_layout(
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
