"""Web forms of the business manager's workspace: agencies, API keys, members, and the audit
trail's filter."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from frontend.forms.base import (
    date_field,
    form_layout,
)
from tenants.agencies.models import AgencyKind
from tenants.roles import Role


class AgencyForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind of agency", choices=AgencyKind.choices)
    aliases = forms.CharField(
        label="Other names it goes by (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: short names and former names, for example 'Met Police' and 'MPS'. "
        "The independence check of lead reviewers matches their affiliations through them.",
    )
    is_active = forms.BooleanField(
        label="Active: may refer and be asked for information", required=False, initial=True
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.text("name"), Field.select("kind"), Field.textarea("aliases", rows=3)]
        if editing:
            fields.append(Field.checkbox("is_active"))
        else:
            del self.fields["is_active"]
        self.helper = form_layout(
            *fields,
            submit="Save agency" if editing else "Add agency",
            button_id=None,
            token=True,
        )

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]


class ApiKeyForm(forms.Form):
    agency = forms.TypedChoiceField(label="Agency", coerce=str)
    name = forms.CharField(
        label="Which system is it for?",
        max_length=50,
        help_text="For example, 'Niche RMS referrals'.",
    )
    expires_on = forms.DateField(
        label="Expires on (optional)",
        required=False,
        help_text="For example, 2027-11-30. Leave empty for a key that does not expire.",
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "Choose an agency")] + [
            (str(agency.uuid), agency.name) for agency in agencies
        ]
        self.helper = form_layout(
            Field.select("agency"),
            Field.text("name"),
            Field.text("expires_on", field_width=10),
            submit="Issue key",
            button_id=None,
            token=True,
        )


class RevokeApiKeyForm(forms.Form):
    reason = forms.CharField(label="Why are you revoking it?", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_layout(
            Field.text("reason"), submit="Revoke key", button_id=None, token=True
        )
        self.helper.layout[-1].field_classes = "govuk-button govuk-button--warning"


class MemberForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        required=False,
        help_text="Not needed for someone who already has a Safeguard account.",
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)
    agency = forms.TypedChoiceField(label="Agency (agency users only)", required=False, coerce=str)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "Not an agency user")] + [
            (str(agency.uuid), agency.name) for agency in agencies
        ]
        self.helper = form_layout(
            Field.text("email"),
            Field.text("full_name"),
            Field.radios("role", legend_size=Size.SMALL),
            Field.select("agency"),
            submit="Add member",
            button_id=None,
            token=True,
        )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label="Action starts with", required=False, max_length=64)
    actor = forms.CharField(label="Who (email or key)", required=False, max_length=254)
    date_from = date_field("From", "the first date")
    date_to = date_field("To", "the last date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                Field.text("action", field_width=20),
                Field.text("actor", field_width=20),
                Field.text("date_from", field_width=10),
                Field.text("date_to", field_width=10),
                legend="Filter",
                legend_size=Size.SMALL,
            ),
            Submit("apply", "Apply filter", css_class="govuk-button--secondary"),
        )
