"""The notification choices form: one radio group a kind of hand-off."""

from django import forms

from frontend.forms.base import form_layout
from tenants.handoffs import KINDS
from tenants.notifications.models import Delivery


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in KINDS.items():
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how you hear of: {label.lower()}."},
            )
        self.helper = form_layout(*KINDS, submit="Save my choices", token=True)
