"""What goes out with the report: the chair's statement and the 7-minute briefing (their
sections of the publication's page)."""

from frontend.forms.publications import BriefingForm, StatementForm
from frontend.views.publications.page import (
    SectionPost,
    calls,
    posted,
    section_form,
    section_view,
)
from publishing import services

statement_save = section_form(
    "statements",
    "statement_form",
    posted(StatementForm),
    calls(services.chair_statement_save, *StatementForm.base_fields),
    "Your statement is saved; the gate is checking it.",
)

briefing_save = section_view(
    SectionPost(
        section="briefing",
        form_key="briefing_form",
        form=posted(BriefingForm),
        perform=lambda actor, publication, form: services.briefing_save(
            actor=actor, publication=publication, sections=form.cleaned_data
        ),
        done="The briefing's text is saved.",
    )
)


def _generate(actor, publication, form):
    # The text as it is in the form is saved first: the PDF is made from what was typed.
    services.briefing_save(actor=actor, publication=publication, sections=form.cleaned_data)
    services.briefing_generate(actor=actor, publication=publication)


briefing_generate = section_view(
    SectionPost(
        section="briefing",
        form_key="briefing_form",
        form=posted(BriefingForm),
        perform=_generate,
        done="The 7-minute briefing is made; the anonymisation gate is checking it.",
    )
)
