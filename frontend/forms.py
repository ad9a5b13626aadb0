"""Web forms: they parse and shape input; the services decide whether it is allowed."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError

from tenants.agencies.models import AgencyKind
from tenants.models import Role


def _helper(*fields, submit: str, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    # Templates write the <form> themselves (with hx-* attributes where needed); a second one
    # from crispy would nest, and htmx keeps nested forms in swapped content.
    helper.form_tag = False
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has that field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class FormWithRows:
    """A form and rows of a repeated sub-form (a referral's children, a reviewer's
    affiliations). Empty rows are left out of what is sent; a service's errors for a row
    (``children.1.date_of_birth``) go back to the row they came from.

    Subclasses set ``form`` and ``rows``, name the service's key for the rows in ``rows_key``,
    and may map the service's other keys to form fields in ``field_for``."""

    rows_key = ""
    field_for: dict[str, str] = {}

    def __init__(self):
        self._sent_rows: list = []

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for row in self.rows:
            valid = row.is_valid() and valid
        return valid

    def sent_rows(self) -> list:
        self._sent_rows = [row for row in self.rows if not row.is_empty]
        return self._sent_rows

    def unplaced_row_errors(self, messages: list[str]) -> None:
        """Errors about the rows as a whole (``children``: none given)."""
        self.form.add_error(None, messages)

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.form.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            head, _, rest = key.partition(".")
            head = self.field_for.get(head, head)
            if head == self.rows_key:
                index, _, field = rest.partition(".")
                rows = self._sent_rows or self.rows
                row = rows[int(index)] if index.isdigit() and int(index) < len(rows) else None
                if row is not None and field in row.fields:
                    row.add_error(field, messages)
                else:
                    self.unplaced_row_errors(messages)
            elif head in self.form.fields:
                self.form.add_error(head, messages)
            else:
                self.form.add_error(None, messages)


class SignInForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="username", spellcheck="false")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")
        self.helper = _helper(Field.text("email"), Field.text("password"), submit="Sign in")


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app, or a recovery code",
        max_length=40,
        help_text="Six digits from your app, or one of the recovery codes you saved.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.update(
            autocomplete="one-time-code", spellcheck="false", autocapitalize="none"
        )
        self.helper = _helper(Field.text("token", field_width=10), submit="Continue")


class ConfirmAuthenticatorForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=10,
        help_text="The six digits your app shows for Safeguard.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.update(
            autocomplete="one-time-code", inputmode="numeric", spellcheck="false"
        )
        self.helper = _helper(Field.text("token", field_width=5), submit="Confirm")


class AgencyForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind of agency", choices=AgencyKind.choices)
    is_active = forms.BooleanField(
        label="Active: may refer and be asked for information", required=False, initial=True
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.text("name"), Field.select("kind")]
        if editing:
            fields.append(Field.checkbox("is_active"))
        else:
            del self.fields["is_active"]
        self.helper = _helper(*fields, submit="Save agency" if editing else "Add agency")


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
        self.helper = _helper(
            Field.select("agency"),
            Field.text("name"),
            Field.text("expires_on", field_width=10),
            submit="Issue key",
        )


class RevokeApiKeyForm(forms.Form):
    reason = forms.CharField(label="Why are you revoking it?", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("reason"), submit="Revoke key")
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
        self.helper = _helper(
            Field.text("email"),
            Field.text("full_name"),
            Field.radios("role", legend_size=Size.SMALL),
            Field.select("agency"),
            submit="Add member",
        )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label="Action starts with", required=False, max_length=64)
    actor = forms.CharField(label="Who (email or key)", required=False, max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                Field.text("action", field_width=20),
                Field.text("actor", field_width=20),
                legend="Filter",
                legend_size=Size.SMALL,
            ),
            Submit("apply", "Apply filter", css_class="govuk-button--secondary"),
        )
