"""A publication's documents and the anonymisation gate: uploading a document or a corrected
version, downloading one, the progress of a run (polled while the gate works), the chair's
acceptance of a finding, and the redaction log."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from frontend.decorators import member_required
from frontend.downloads import private_file
from frontend.forms.publications import AcceptForm, DocumentForm
from frontend.views.publications.page import (
    ALWAYS_REFRESHED,
    PAGE,
    SectionPost,
    document_kinds,
    page_context,
    publication_for,
    section_post,
    section_view,
)
from publishing import selectors, services
from publishing.models import GateState


def _upload(actor, publication, form):
    file = form.upload()
    if file is None:
        raise ValidationError({"file": ["Choose the file to upload."]})
    services.document_upload(
        actor=actor, publication=publication, kind=form.cleaned_data["kind"], upload=file
    )


document_upload = section_view(
    SectionPost(
        section="gate",
        form_key="document_form",
        form=lambda request, publication: DocumentForm(
            request.POST, request.FILES, kinds=document_kinds(publication)
        ),
        perform=_upload,
        done="The document is uploaded; the anonymisation gate is checking it.",
    )
)


@member_required
@require_GET
def document_download(request, publication_uuid, document_uuid):
    """A document of the publication, any version, to those who may open it; audited."""
    publication = publication_for(request, publication_uuid)
    document = selectors.publication_document_for_download(
        actor=request.actor, publication=publication, document_uuid=document_uuid
    )
    return private_file(document.file, document.original_name, document.content_type)


@member_required
@require_GET
def gate_run(request, publication_uuid, run_uuid):
    """One run's progress, polled by the page while the gate works. When it is done, the
    answer to htmx is the gate's panel, in its place (what the run found, and the chair's
    forms), with the publication's state and readiness out of band: the rest of the page, and
    whatever is being typed there, stays as it is."""
    publication = publication_for(request, publication_uuid)
    run = selectors.gate_run_for_page(
        actor=request.actor, publication=publication, run_uuid=run_uuid
    )
    if run.state == GateState.DONE and request.htmx:
        context = page_context(request, publication)
        html = render_to_string(f"{PAGE}#gate", context, request)
        for part in ALWAYS_REFRESHED:
            html += render_to_string(f"{PAGE}#{part}", {**context, "oob": True}, request)
        response = reswap(retarget(HttpResponse(html), "#gate"), "outerHTML")
    else:
        response = render(request, "publications/_gate_progress.html", {"run": run, "poll": True})
    response["Cache-Control"] = "no-store"
    return response


@member_required
@require_POST
def gate_hit_accept(request, publication_uuid, hit_uuid):
    publication = publication_for(request, publication_uuid)
    hit = selectors.access_gate_hit(publication=publication, hit_uuid=hit_uuid)
    form = AcceptForm(request.POST, hit_uuid=str(hit.uuid))
    if form.is_valid():
        try:
            services.gate_hit_accept(
                actor=request.actor, hit=hit, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return section_post(
                request, publication, section="gate", perform=None, done="The finding is accepted."
            )
    # The form is one of many on the page (one a finding): shown again in its place.
    context = page_context(request, publication)
    for check in context["checks"]:
        for item in check["hits"]:
            if item["hit"].pk == hit.pk:
                item["form"] = form
    context["page_error"] = True
    context["accept_errors"] = form.error_links()
    return render(request, PAGE, context)


@member_required
@require_GET
def redaction_log(request, publication_uuid):
    publication = publication_for(request, publication_uuid)
    return render(
        request,
        "publications/redaction_log.html",
        {
            "publication": publication,
            "runs": selectors.redaction_log_for_page(actor=request.actor, publication=publication),
        },
    )
