"""A publication's page, and its public record and identifiers to check (the record's and the
identifiers' sections)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from frontend.decorators import member_required
from frontend.forms.publications import IdentifierForm, RecordForm
from frontend.views.publications.page import (
    PAGE,
    SectionPost,
    calls,
    page_context,
    posted,
    publication_for,
    publication_url,
    section_form,
    section_post,
    section_view,
    themes_for,
)
from publishing import selectors, services


@member_required
@require_GET
def publication_detail(request, publication_uuid):
    publication = selectors.publication_for_page(
        actor=request.actor, publication_uuid=publication_uuid
    )
    return render(request, PAGE, page_context(request, publication))


record_update = section_view(
    SectionPost(
        section="record",
        form_key="record_form",
        form=lambda request, publication: RecordForm(request.POST, themes=themes_for(publication)),
        perform=lambda actor, publication, form: services.publication_record_update(
            actor=actor, publication=publication, data=form.record_input()
        ),
        done="The public record is saved; the gate is checking it.",
    )
)

identifier_add = section_form(
    "identifiers",
    "identifier_form",
    posted(IdentifierForm),
    calls(services.identifier_add, "kind", "value"),
    "The identifier is added; everything is being checked again.",
)


@member_required
@require_POST
def identifier_remove(request, publication_uuid, identifier_uuid):
    publication = publication_for(request, publication_uuid)
    identifier = publication.identifiers.filter(uuid=identifier_uuid).first()
    message = "The identifier is removed."
    if identifier is None:
        message = "That identifier was already removed."
    else:
        try:
            services.identifier_remove(
                actor=request.actor, publication=publication, identifier=identifier
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(publication_url(publication))
    return section_post(request, publication, section="identifiers", perform=None, done=message)
