"""What every web form shares: the layout crispy-forms renders (GOV.UK Frontend, through
crispy-forms-gds), the error summary's links, a service's errors shown on the form, forms with
rows, and the date, time and agency fields. Forms parse and shape input; the services decide
whether it is allowed.

crispy-forms-gds renders labels, legends and hints unescaped: they hold only our own words,
never anything a user typed (choices' labels are escaped).
"""

import dataclasses

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from frontend.forms.dates import DateInputField, first_box_in_error

DATE_EXAMPLE = "2026-11-02"


def form_layout(
    *fields,
    submit: str | None = None,
    secondary: bool = False,
    button_id: str | None = "",
    method: str = "post",
    token: bool = False,
) -> FormHelper:
    """The crispy layout of a form's ``fields`` and its button. Templates write the ``<form>``
    themselves (with hx-* attributes where they need them; a second one from crispy would nest,
    and htmx keeps nested forms in swapped content). ``token``: crispy writes the CSRF token (a
    page of one form, rendered whole by ``{% crispy %}``); otherwise the template's ``<form>``
    has it. Several forms share a page, so each button has an id of its own: ``button_id``, or
    one made from its text (None: no id)."""
    helper = FormHelper()
    helper.form_method = method
    helper.form_tag = False
    helper.disable_csrf = not token
    items = list(fields)
    if submit:
        button = {"css_class": "govuk-button--secondary"} if secondary else {}
        if button_id is not None:
            button["css_id"] = button_id or f"button-{slugify(submit)}"
        items.append(Submit("submit", submit, **button))
    helper.layout = Layout(*items)
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

    @property
    def cleaned_data(self) -> dict:
        """The main form's data (the rows' are read with ``sent_rows``)."""
        return self.form.cleaned_data

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


# What a date may be typed as: ISO 8601 (DESIGN §4), and day, month and year in the orders
# people in England write them, which GOV.UK's date pattern accepts (01/12/2026 was refused).
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %m %Y",
    "%d %B %Y",
    "%d %b %Y",
]


def date_field(label: str, what: str, *, hint: str = "", required: bool = False):
    """One date, shown as ISO (DESIGN §4: dates as ISO 8601), read from ISO or day, month and
    year (``DATE_INPUT_FORMATS``). Missing dates are the services' to name; a date that cannot
    be read is the form's."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=hint or f"Year-month-day, for example {DATE_EXAMPLE}.",
        error_messages={
            "invalid": f"Enter {what} as year-month-day, for example {DATE_EXAMPLE}.",
            "required": f"Enter {what}.",
        },
    )


def time_field(label: str):
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"autocomplete": "off"}),
        help_text="Optional. 24-hour clock, for example 14:30.",
        error_messages={"invalid": "Enter the time as hours and minutes, for example 14:30."},
    )


def error_anchor(bound) -> str:
    """Where an error summary link goes: the first radio or checkbox of a group (their ids
    end in _1), a date's first box in error, else the field itself."""
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound.html_name}_1"
    if isinstance(bound.field, DateInputField):
        return first_box_in_error(bound)
    return bound.id_for_label or bound.auto_id


class ErrorLinks:
    """The GOV.UK error summary's links for a form: each message pointing at its field."""

    def error_items(self) -> list[tuple[str, str, str]]:
        """(field name, anchor, message) for each error, in the form's order."""
        visible = list(self.visible_fields())
        first = error_anchor(visible[0]) if visible else ""
        items = [("", first, message) for message in self.non_field_errors()]
        for bound in visible:
            items.extend((bound.name, error_anchor(bound), message) for message in bound.errors)
        return items

    def error_links(self) -> list[tuple[str, str]]:
        return [(anchor, message) for _, anchor, message in self.error_items()]


class CaseworkForm(ErrorLinks, forms.Form):
    """A form on the referral page: prefixed, so that several can share one page."""

    def add_service_errors(self, error: ValidationError) -> None:
        apply_service_errors(self, error)


class ButtonForm(CaseworkForm):
    """A form that is only a button (sign off, verify, close): the service says whether it may
    be done, and its errors point at the button."""

    def __init__(self, *args, submit: str, prefix: str, secondary: bool = False, **kwargs):
        kwargs["prefix"] = prefix
        super().__init__(*args, **kwargs)
        self.button_id = f"button-{prefix}"
        self.helper = form_layout(submit=submit, secondary=secondary, button_id=self.button_id)

    def error_items(self):
        return [("", self.button_id, message) for message in self.non_field_errors()]


def agency_choices(agencies, empty: str | None = None) -> list[tuple[str, str]]:
    choices = [(str(agency.uuid), agency.name) for agency in agencies]
    return [("", empty), *choices] if empty is not None else choices


def input_from(input_class, data: dict, **given):
    """A service's input (a dataclass) from a form's cleaned ``data``: each of its fields under
    the same name, but those ``given`` (what the form reshapes first)."""
    names = [field.name for field in dataclasses.fields(input_class) if field.name not in given]
    return input_class(**{name: data[name] for name in names}, **given)


def initial_from(instance, form_class, **given) -> dict | None:
    """What ``form_class`` shows of ``instance`` when it changes it: each of the form's fields
    from the attribute of the same name, but those ``given``; None when there is no instance."""
    if instance is None:
        return None
    names = [name for name in form_class.base_fields if name not in given]
    return {**{name: getattr(instance, name) for name in names}, **given}


def checkboxes(label: str, help_text: str = "") -> forms.MultipleChoiceField:
    """An optional group of checkboxes, its choices set when the form is made."""
    return forms.MultipleChoiceField(
        label=label, widget=forms.CheckboxSelectMultiple, required=False, help_text=help_text
    )


def optional_text(label: str, help_text: str = "", **kwargs) -> forms.CharField:
    """An optional text area."""
    return forms.CharField(
        label=label, widget=forms.Textarea, required=False, help_text=help_text, **kwargs
    )


class ReasonForm(CaseworkForm):
    """One reason and a button: ending a joint review or a part in it, declining, not
    publishing the report, withdrawing."""

    reason = optional_text("Why?")

    def __init__(
        self, *args, prefix: str, submit: str, label: str = "Why?", hint: str = "", **kwargs
    ):
        kwargs["prefix"] = prefix
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint
        self.helper = form_layout(
            Field.textarea("reason", rows=2),
            submit=submit,
            secondary=True,
            button_id=f"button-{prefix}",
        )
