"""The documents tab: each version of the review's documents, a new one (the review's workers,
the lead's in a joint review: ``casework.permissions.may_upload_review_document``) and a private
download, recorded in the audit trail."""

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from casework import selectors, services
from casework.services import DOCUMENT_KINDS
from frontend.decorators import member_required
from frontend.downloads import private_file
from frontend.forms.reviews import DocumentForm
from frontend.views.reviews.workspace import tab_answer, workspace_context


def _documents_context(request, review, forms, done) -> dict:
    context = {
        **workspace_context(request, review, "documents"),
        "documents": list(selectors.review_documents(review=review)),
        "kinds": DOCUMENT_KINDS,
        "document_form": DocumentForm(),
        "done": done or {},
    }
    context.update(forms)
    return context


@member_required
@require_GET
def documents(request, reference):
    review = selectors.review_for_page(actor=request.actor, reference=reference, tab="documents")
    return render(request, "reviews/documents.html", _documents_context(request, review, {}, None))


@member_required
@require_POST
def document_upload(request, reference):
    review = selectors.access_review(actor=request.actor, reference=reference)
    form = DocumentForm(request.POST, request.FILES)

    def upload(data):
        services.review_document_upload(
            actor=request.actor,
            review=review,
            title=data["title"],
            kind=data["kind"],
            upload=form.upload(),
        )

    return tab_answer(
        request,
        review,
        tab="documents",
        template="reviews/documents.html",
        build=_documents_context,
        section="documents",
        form=form,
        form_key="document_form",
        perform=upload,
        done="The document is uploaded.",
    )


@member_required
@require_GET
def document_download(request, reference, document_uuid):
    """A review document, to those who may open the review; every download is audited. Files
    are never at a public or guessable address."""
    review = selectors.access_review(actor=request.actor, reference=reference)
    document = selectors.review_document_for_download(
        actor=request.actor, review=review, document_uuid=document_uuid
    )
    return private_file(document.file, document.original_name, document.content_type)
