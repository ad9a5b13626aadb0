"""Web forms for joint reviews: inviting a partnership, answering an invitation, ending a part or
the whole joint review, and a participant's chair's sign-off with the chair's statement. They
parse input; ``casework.joint.services`` and the review services decide."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from casework.joint.models import ParticipantPermission
from frontend.forms.base import CaseworkForm, form_layout, optional_text


class JointInviteForm(CaseworkForm):
    partnership = forms.ChoiceField(label="Partnership", required=False)
    permissions = forms.MultipleChoiceField(
        label="What may they do?",
        choices=ParticipantPermission.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Their review group can always read the whole review: terms of reference, "
        "information requests, chronology, findings, recommendations, actions and documents.",
    )
    open_on_acceptance = forms.BooleanField(
        label="Open the review to them as soon as they accept",
        required=False,
        help_text="Leave this unticked to let them in yourself later, for example once an "
        "information-sharing agreement is signed.",
    )

    prefix = "invite"

    def __init__(self, *args, partnerships=(), **kwargs):
        kwargs.setdefault(
            "initial",
            {"permissions": list(ParticipantPermission.values), "open_on_acceptance": True},
        )
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [("", "Choose a partnership")] + [
            (p.key, p.name) for p in partnerships
        ]
        self.helper = form_layout(
            Field.select("partnership"),
            Field.checkboxes("permissions", legend_size=Size.SMALL, small=True),
            Field.checkbox("open_on_acceptance", small=True),
            submit="Invite the partnership",
        )


class ParticipantSignOffForm(CaseworkForm):
    statement = optional_text(
        "Your chair's statement (optional)",
        "Published with the report, under your partnership's name.",
    )

    prefix = "sign-off"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.button_id = "button-sign-off"
        self.helper = form_layout(
            Field.textarea("statement", rows=4),
            submit="Sign the report off for your partnership",
            button_id=self.button_id,
        )
