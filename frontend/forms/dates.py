"""GOV.UK's date input pattern: a date typed as day, month and year in three boxes inside a
fieldset (https://design-system.service.gov.uk/components/date-input/), with the design
system's error messages. The boxes take what the single date box takes (``base.date_field``):
numbers, or the month's name ("12", "Dec", "December"). crispy-forms-gds renders the fieldset,
the boxes (its ``DateInputWidget``) and the error styling: every box when the date as a whole
is wrong, only the boxes in error when a part is missing.
"""

import calendar
import datetime

from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")
# "12", "Dec", "December", "sept" → 12, 12, 12, 9.
MONTHS = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}


class DateWidget(DateInputWidget):
    """Three boxes: numbers for the day and year, the month as a number or its name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for part, widget in zip(PARTS, self.widgets, strict=True):
            widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
            if part != "month":
                widget.attrs["inputmode"] = "numeric"

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return value.day, value.month, value.year
        return None, None, None


def _number(text: str, names: dict[str, int] | None = None) -> int | None:
    text = text.strip().lower().rstrip(".")
    if text.isdigit():
        return int(text)
    return (names or {}).get(text)


class DateInputField(forms.MultiValueField):
    """One date from day, month and year boxes. Missing dates are the services' to name unless
    ``required``; a date that cannot be real is the form's, in GOV.UK's words."""

    widget = DateWidget

    def __init__(self, *, label: str, what: str, required: bool = False, hint: str = ""):
        self.what = what
        parts = tuple(forms.CharField(required=False, strip=True) for _ in PARTS)
        super().__init__(
            fields=parts,
            require_all_fields=False,
            required=required,
            label=label,
            help_text=hint or "For example, 27 3 2026.",
        )

    def _fail(self, message: str, *parts: str) -> ValidationError:
        """The error, marked on the boxes it is about (none marked: all of them are)."""
        for part, field in zip(PARTS, self.fields, strict=True):
            field.widget.errors = [message] if part in parts else []
        return ValidationError(message, code="invalid")

    def clean(self, value):
        texts = [str(text or "").strip() for text in (list(value or []) + [""] * 3)[:3]]
        for field in self.fields:
            field.widget.errors = []
        if not any(texts):
            if self.required:
                raise ValidationError(f"Enter {self.what}.", code="required")
            return None
        missing = [part for part, text in zip(PARTS, texts, strict=True) if not text]
        if missing:
            parts = " and ".join(missing)
            raise self._fail(f"{self.label} must include a {parts}.", *missing)
        day, month, year = _number(texts[0]), _number(texts[1], MONTHS), _number(texts[2])
        if not texts[2].isdigit() or len(texts[2]) != 4:
            raise self._fail("Year must include 4 numbers.", "year")
        try:
            return datetime.date(year, month, day)
        except (TypeError, ValueError):
            raise self._fail(f"{self.label} must be a real date.") from None


def first_box_in_error(bound) -> str:
    """The error summary's link for a date: the first box in error, else the day's."""
    for index, field in enumerate(bound.field.fields):
        if getattr(field.widget, "errors", None):
            return f"{bound.auto_id}_{index}"
    return f"{bound.auto_id}_0"
