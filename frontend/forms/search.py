"""The search of a partnership's casework: reference, child's name, agency, dates."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from casework.selectors import SearchTerms
from frontend.forms.base import ErrorLinks, agency_choices, date_field, form_layout


class CaseworkSearchForm(ErrorLinks, forms.Form):
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=24,
        help_text="All or part of a referral's or a review's reference.",
    )
    name = forms.CharField(
        label="Child's name",
        required=False,
        max_length=200,
        help_text="A near spelling finds them too.",
    )
    agency = forms.ChoiceField(label="Agency", required=False)
    date_from = date_field("From", "the first date")
    date_to = date_field("To", "the last date")

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices(agencies, "Any agency")
        self.helper = form_layout(
            Field.text("reference", field_width=20),
            Field.text("name", field_width=20),
            Field.select("agency"),
            Fieldset(
                Field.text("date_from", field_width=10),
                Field.text("date_to", field_width=10),
                legend="Dates (a referral's awareness, a review's commissioning)",
                legend_size=Size.SMALL,
            ),
            submit="Search",
            method="get",
            button_id="button-search",
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The last date must be on or after the first date.")
        return data

    def terms(self) -> SearchTerms:
        """What was asked; nothing when the form is not valid."""
        if not self.is_bound or not self.is_valid():
            return SearchTerms()
        data = self.cleaned_data
        return SearchTerms(
            reference=data["reference"].strip(),
            name=" ".join(data["name"].split()),
            agency_uuid=data["agency"] or None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
