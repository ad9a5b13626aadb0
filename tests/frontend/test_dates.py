"""Dates on the web forms (issue 14, item 4): read as ISO 8601 and as day, month and year the
way people in England write them, which GOV.UK's date pattern accepts; shown as ISO."""

import datetime

import pytest
from django import forms

from frontend.forms.base import date_field


class DateForm(forms.Form):
    due = date_field("Due date", "the due date")


@pytest.mark.parametrize(
    "typed",
    [
        "2026-12-01",
        "01/12/2026",
        "1/12/2026",
        "1-12-2026",
        "1.12.2026",
        "1 12 2026",
        "1 December 2026",
        "1 Dec 2026",
        " 01/12/2026 ",
    ],
)
def test_a_date_typed_as_people_write_it_is_read(typed):
    form = DateForm({"due": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == datetime.date(2026, 12, 1)


@pytest.mark.parametrize("typed", ["12/31/2026", "31/02/2026", "next Tuesday", "2026-13-01"])
def test_a_date_that_cannot_be_read_is_explained(typed):
    form = DateForm({"due": typed})
    assert not form.is_valid()
    assert form.errors["due"] == ["Enter the due date as year-month-day, for example 2026-11-02."]


def test_a_date_is_shown_as_iso():
    form = DateForm(initial={"due": datetime.date(2026, 12, 1)})
    assert 'value="2026-12-01"' in str(form["due"])
