"""The documents tab: each version of the review's documents, a new one (the review's workers,
the lead's in a joint review: ``casework.permissions.may_upload_review_document``) and a private
download, recorded in the audit trail."""

from casework import selectors, services
from casework.services import DOCUMENT_KINDS
from frontend.downloads import private_file
from frontend.forms.reviews import DocumentForm
from frontend.views.reviews.workspace import Tab, review_view


def _shows(request, review) -> dict:
    context = {
        "documents": list(selectors.review_documents(review=review)),
        "kinds": DOCUMENT_KINDS,
        "document_form": DocumentForm(),
    }
    return context


TAB = Tab("documents", "reviews/documents.html", _shows)


documents = TAB.view()


@review_view("POST")
def document_upload(request, review):
    form = DocumentForm(request.POST, request.FILES)

    def upload(data):
        services.review_document_upload(
            actor=request.actor,
            review=review,
            title=data["title"],
            kind=data["kind"],
            upload=form.upload(),
        )

    return TAB.answer(
        request,
        review,
        "documents",
        form=form,
        form_key="document_form",
        perform=upload,
        done="The document is uploaded.",
    )


@review_view("GET")
def document_download(request, review, document_uuid):
    """A review document, to those who may open the review; every download is audited. Files
    are never at a public or guessable address."""
    document = selectors.review_document_for_download(
        actor=request.actor, review=review, document_uuid=document_uuid
    )
    return private_file(document.file, document.original_name, document.content_type)
