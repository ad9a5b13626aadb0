"""Finding casework: the search of a partnership's referrals and reviews (reference, child's
name, agency, dates) and the review list's filters."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from casework.processes import REVIEW_TYPE_CHOICES
from casework.selectors import SearchTerms
from frontend.forms.base import ErrorLinks, agency_choices, date_field, form_layout


class DateRangeForm(ErrorLinks, forms.Form):
    """Two optional dates, the last not before the first."""

    date_from = date_field("From", "the first date")
    date_to = date_field("To", "the last date")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The last date must be on or after the first date.")
        return data


class CaseworkSearchForm(DateRangeForm):
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


class ReviewListFilterForm(DateRangeForm):
    review_type = forms.ChoiceField(
        label="Type", choices=[("", "Any type"), *REVIEW_TYPE_CHOICES], required=False
    )
    completed = forms.ChoiceField(
        label="Progress",
        choices=[("", "Any"), ("open", "Under way"), ("completed", "Completed")],
        required=False,
    )
    agency = forms.ChoiceField(label="Agency involved", required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices(agencies, "Any agency")
        self.fields["date_from"].label = "Commissioned from"
        self.fields["date_to"].label = "Commissioned to"
        self.helper = form_layout(
            Fieldset(
                Field.select("review_type"),
                Field.select("completed"),
                Field.select("agency"),
                Field.text("date_from", field_width=10),
                Field.text("date_to", field_width=10),
                legend="Filter reviews",
                legend_size=Size.SMALL,
            ),
            submit="Apply filters",
            secondary=True,
            method="get",
            button_id="button-filter-reviews",
        )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "review_type": data["review_type"],
            "completed": {"open": False, "completed": True}.get(data["completed"]),
            "agency_uuid": data["agency"] or None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
