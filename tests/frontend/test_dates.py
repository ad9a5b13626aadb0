"""GOV.UK's date input (issue 14): a date as day, month and year in three boxes, taking what
the single box took and refusing, in the design system's words, dates that cannot be."""

import datetime

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms

from frontend.forms.base import ErrorLinks
from frontend.forms.dates import DateInputField


class WhenForm(ErrorLinks, forms.Form):
    on = DateInputField(label="Date of the meeting", what="the date of the meeting")
    due = DateInputField(label="Due date", what="the due date", required=True)


def _form(on=("", "", ""), due=("2", "11", "2026")) -> WhenForm:
    data = {f"on_{i}": value for i, value in enumerate(on)}
    data.update({f"due_{i}": value for i, value in enumerate(due)})
    return WhenForm(data)


@pytest.mark.parametrize(
    ("boxes", "expected"),
    [
        (("2", "11", "2026"), datetime.date(2026, 11, 2)),
        ((" 02 ", "11", "2026"), datetime.date(2026, 11, 2)),
        (("1", "12", "2026"), datetime.date(2026, 12, 1)),
        (("1", "Dec", "2026"), datetime.date(2026, 12, 1)),
        (("1", "december", "2026"), datetime.date(2026, 12, 1)),
        (("29", "2", "2028"), datetime.date(2028, 2, 29)),
        (("", "", ""), None),
    ],
)
def test_the_three_boxes_take_what_the_single_box_took(boxes, expected):
    form = _form(on=boxes)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == expected


@pytest.mark.parametrize(
    ("boxes", "message", "anchor", "marked"),
    [
        (("31", "02", "2026"), "Date of the meeting must be a real date.", "id_on_0", []),
        (("29", "2", "2027"), "Date of the meeting must be a real date.", "id_on_0", []),
        (("1", "13", "2026"), "Date of the meeting must be a real date.", "id_on_0", []),
        (("1", "Smarch", "2026"), "Date of the meeting must be a real date.", "id_on_0", []),
        (("x", "1", "2026"), "Date of the meeting must be a real date.", "id_on_0", []),
        (("1", "", "2026"), "Date of the meeting must include a month.", "id_on_1", [1]),
        (("", "", "2026"), "Date of the meeting must include a day and month.", "id_on_0", [0, 1]),
        (("1", "2", "26"), "Year must include 4 numbers.", "id_on_2", [2]),
    ],
)
def test_dates_that_cannot_be_are_refused_in_govuk_words(boxes, message, anchor, marked):
    form = _form(on=boxes)
    assert not form.is_valid()
    assert form.errors["on"] == [message]
    assert ("on", anchor, message) in form.error_items()
    boxes_in_error = [i for i, part in enumerate(form.fields["on"].fields) if part.widget.errors]
    assert boxes_in_error == marked


def test_a_required_date_left_empty_is_asked_for():
    form = _form(due=("", "", ""))
    assert not form.is_valid()
    assert form.errors["due"] == ["Enter the due date."]


def test_the_boxes_are_a_govuk_date_input_in_a_fieldset_marked_where_in_error():
    html = str(_form(on=("1", "", "2026")))
    assert '<div class="govuk-date-input" id="id_on">' in html
    for box in ("Day", "Month", "Year"):
        assert f">{box}</label>" in html
    # Only the missing month is marked (a wrong date as a whole marks every box).
    form = _form(on=("1", "", "2026"))
    form.is_valid()
    rendered = render_crispy_form(form)
    assert '<fieldset class="govuk-fieldset"' in rendered
    assert "govuk-form-group--error" in rendered
    assert rendered.count("govuk-input--error") == 1
    assert 'id="id_on_1"' in rendered.split("govuk-input--error", 1)[1].split(">", 1)[0]
    form = _form(on=("31", "2", "2026"))
    form.is_valid()
    assert render_crispy_form(form).count("govuk-input--error") == 3
