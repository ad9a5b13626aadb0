"""A review's documents (a draft report, a paper): PDF or Word only, stored in the partnership's
folder under a random name; each version kept."""

from django.db import transaction

from casework import permissions
from casework.models import (
    Review,
    ReviewDocument,
)
from casework.services.reviews import review_audit
from tenants.actors import Actor
from tenants.files import (
    DOCUMENTS,
    UploadedFile,
    Uploads,
    stored_file_keep,
    version_next,
)
from tenants.validation import error_add, errors_raise

DOCUMENT_MAX_BYTES = 25 * 1024 * 1024
REVIEW_DOCUMENTS = Uploads(DOCUMENTS, "PDF or Word (.docx) document")
DOCUMENT_KINDS = {
    "draft_report": "Draft report",
    "final_report": "Final report",
    "paper": "Paper",
}


def review_document_upload(
    *, actor: Actor, review: Review, title: str, kind: str, upload: UploadedFile
) -> ReviewDocument:
    """A new version of a review document (a draft report, a paper). PDF or Word only, stored
    in the partnership's folder under a random name; each version kept."""
    permissions.require_review_document_uploader(actor, review)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        error_add(errors, "title", "Give the document a title.")
    if kind not in DOCUMENT_KINDS:
        error_add(errors, "kind", "Choose what kind of document it is.")
    content_type = REVIEW_DOCUMENTS.check(errors, "file", upload, max_bytes=DOCUMENT_MAX_BYTES)
    errors_raise(errors)
    title = title.strip()
    with transaction.atomic():
        version = version_next(review.documents.filter(title=title))
        document = stored_file_keep(
            ReviewDocument(
                review=review, title=title, kind=kind, version=version, uploaded_by=actor.label
            ),
            upload=upload,
            content_type=content_type,
        )
        review_audit(
            actor,
            review,
            "document.uploaded",
            document=str(document.uuid),
            title=title,
            version=version,
        )
    return document
