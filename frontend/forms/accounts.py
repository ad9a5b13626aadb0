"""Web forms for signing in: the password, then the second factor (an authenticator app's code
or a recovery code), and confirming a new authenticator."""

from crispy_forms_gds.layout import Field
from django import forms

from frontend.forms.base import (
    form_layout,
)


class SignInForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="username", spellcheck="false")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")
        self.helper = form_layout(
            Field.text("email"),
            Field.text("password"),
            submit="Sign in",
            button_id=None,
            token=True,
        )


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
        self.helper = form_layout(
            Field.text("token", field_width=10), submit="Continue", button_id=None, token=True
        )


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
        self.helper = form_layout(
            Field.text("token", field_width=5), submit="Confirm", button_id=None, token=True
        )
