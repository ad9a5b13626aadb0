"""Web forms for a review's multi-agency chronology: its filters and an entry (new or a
correction)."""

from urllib.parse import urlencode

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from casework.services import EntryInput
from frontend.forms.base import (
    CaseworkForm,
    agency_choices,
    date_field,
    form_layout,
    optional_text,
    time_field,
)

# --- The chronology ----------------------------------------------------------------------------


class ChronologyFilterForm(forms.Form):
    agency = forms.ChoiceField(label="Agency", required=False)
    start = date_field("From", "the first date", hint="Year-month-day.")
    end = date_field("To", "the last date", hint="Year-month-day.")
    key_only = forms.BooleanField(label="Key practice episodes only", required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices(agencies, "Every agency")
        self.helper = form_layout(
            Fieldset(
                Field.select("agency"),
                Field.text("start", field_width=10),
                Field.text("end", field_width=10),
                Field.checkbox("key_only", small=True),
                legend="Filter the chronology",
                legend_size=Size.SMALL,
            ),
            submit="Apply filters",
            secondary=True,
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "agency_uuid": data["agency"] or None,
            "start": data["start"],
            "end": data["end"],
            "key_only": data["key_only"],
        }

    def query(self) -> str:
        """The filters as a query string, for the pages, the export and the printable page."""
        if not self.is_valid():
            return ""
        data = self.cleaned_data
        pairs = [
            ("agency", data["agency"]),
            ("start", data["start"].isoformat() if data["start"] else ""),
            ("end", data["end"].isoformat() if data["end"] else ""),
            ("key_only", "on" if data["key_only"] else ""),
        ]
        return urlencode([(key, value) for key, value in pairs if value])


class ChronologyEntryForm(CaseworkForm):
    occurred_on = date_field("Date", "the date")
    occurred_at = time_field("Time (optional)")
    agency = forms.ChoiceField(label="Agency", required=False)
    what_happened = optional_text(
        "What happened", "What was done and why, as it was seen at the time."
    )
    who = forms.CharField(
        label="Who",
        max_length=200,
        required=False,
        help_text="By role, never by name: for example 'health visitor'.",
    )
    source_document = forms.CharField(
        label="Source document (optional)", max_length=200, required=False
    )
    key_episode = forms.BooleanField(label="A key practice episode", required=False)

    prefix = "entry"

    def __init__(self, *args, agencies=(), submit: str = "Add the entry", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices(agencies, "Choose an agency")
        self.agencies = {str(agency.uuid): agency for agency in agencies}
        self.helper = form_layout(
            Field.text("occurred_on", field_width=10),
            Field.text("occurred_at", field_width=5),
            Field.select("agency"),
            Field.textarea("what_happened", rows=3),
            Field.text("who", field_width=20),
            Field.text("source_document", field_width=20),
            Field.checkbox("key_episode", small=True),
            submit=submit,
            button_id=f"button-{self.prefix}",
        )

    @classmethod
    def initial_from(cls, entry) -> dict:
        return {
            "occurred_on": entry.occurred_on,
            "occurred_at": entry.occurred_at,
            "agency": str(entry.agency.uuid),
            "what_happened": entry.what_happened,
            "who": entry.who,
            "source_document": entry.source_document,
            "key_episode": entry.key_episode,
        }

    def entry_input(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            occurred_on=data["occurred_on"],
            agency=self.agencies.get(data["agency"]),
            what_happened=data["what_happened"],
            who=data["who"],
            occurred_at=data["occurred_at"],
            source_document=data["source_document"],
            key_episode=data["key_episode"],
        )
