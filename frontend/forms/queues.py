"""The filters of a work queue's page: the agency concerned and overdue only, where the queue
takes them (``casework.selectors.queues``)."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from casework.selectors.queues import QueueFilters
from frontend.forms.base import form_layout


class QueueFilterForm(forms.Form):
    agency = forms.ChoiceField(label="Agency", required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args, queue, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        fields = []
        if queue.agency_field and agencies is not None:
            self.fields["agency"].choices = [("", "Any agency")] + [
                (str(a.uuid), a.name) for a in agencies
            ]
            fields.append(Field.select("agency"))
        else:
            del self.fields["agency"]
        if queue.due_field:
            fields.append(Field.checkbox("overdue", small=True))
        else:
            del self.fields["overdue"]
        self.helper = form_layout(
            Fieldset(*fields, legend="Filter this list", legend_size=Size.SMALL),
            submit="Apply filters",
            secondary=True,
        )

    @property
    def has_filters(self) -> bool:
        return bool(self.fields)

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            agency_uuid=data.get("agency") or None, overdue=data.get("overdue", False)
        )
