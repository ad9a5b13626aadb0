"""A publication's documents (DESIGN §2 step 7, §5): PDF or Word, up to 25 MB and 2,000 pages,
not encrypted, readable; kept in versions, each checked by the gate as soon as it is uploaded.
What reading one may cost (the settings' limits), why a document cannot be read by machine,
and the gate on a file outside any publication (``manage.py gate_check``).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from publishing import gate
from publishing.models import (
    PREPARING_STATES,
    DocumentKind,
    GateOutcome,
    Publication,
    PublicationDocument,
)
from publishing.permissions import require_prepare_publication
from publishing.services.changes import gate_request, publication_audit, publication_back_to_draft
from tenants import clock
from tenants.actors import Actor
from tenants.files import DOCUMENTS, UploadedFile, stored_file_keep, upload_problem, version_next
from tenants.validation import error_add, errors_raise

DOCUMENT_MAX_BYTES = 25 * 1024 * 1024
DOCUMENT_MAX_PAGES = 2000


def document_type_check(upload: UploadedFile, errors: dict) -> tuple[str, int]:
    content_type, problem = upload_problem(
        upload,
        accepted=DOCUMENTS,
        described="PDF or Word (.docx) document",
        max_bytes=DOCUMENT_MAX_BYTES,
    )
    if problem and upload.content.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE container: the old .doc format, or any Word file saved with a password.
        problem = (
            f"{upload.name} is a password-protected or old-style Word file: save it as an "
            "unprotected .docx or PDF."
        )
    if problem:
        error_add(errors, "file", problem)
        return "", 0
    try:
        pages = gate.inspect(upload.content, content_type, gate_limits())
    except gate.UnreadableDocument as error:
        error_add(errors, "file", f"{upload.name} cannot be used: {error}.")
        return "", 0
    if pages > DOCUMENT_MAX_PAGES:
        error_add(errors, "file", f"{upload.name} has more than {DOCUMENT_MAX_PAGES} pages.")
    return content_type, pages


def document_upload(
    *,
    actor: Actor,
    publication: Publication,
    kind: str,
    upload: UploadedFile,
    generated: bool = False,
) -> PublicationDocument:
    """A new version of one of the publication's documents (PDF or Word, up to 25 MB, not
    encrypted, readable). The gate checks it straight away; a publication that was ready or
    scheduled goes back to draft until it has passed."""
    require_prepare_publication(actor, publication)
    if publication.state not in PREPARING_STATES:
        raise ValidationError(
            {"file": ["Documents change only before publication (withdraw it first)."]}
        )
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        error_add(errors, "kind", "Choose which document this is.")
    elif publication.summary_only and kind != DocumentKind.EXECUTIVE_SUMMARY:
        error_add(errors, "kind", "Only an executive summary was published for this review.")
    content_type, pages = document_type_check(upload, errors)
    errors_raise(errors)
    with transaction.atomic():
        version = version_next(publication.documents.filter(kind=kind))
        document = stored_file_keep(
            PublicationDocument(
                publication=publication,
                kind=kind,
                version=version,
                pages=pages,
                generated=generated,
                uploaded_by=actor.label,
                # The platform's clock, not the database's: the day the report was ready
                # (``publication_ready_on``) bounds the notice dates.
                uploaded_at=clock.now(),
            ),
            upload=upload,
            content_type=content_type,
        )
        publication_audit(
            actor,
            publication,
            "publication_document.uploaded",
            document=str(document.uuid),
            kind=kind,
            version=version,
        )
        publication_back_to_draft(actor, publication, "document uploaded")
        gate_request(actor, publication, document)
    return document


def gate_limits() -> gate.Limits:
    """What reading one document may cost (settings ``GATE_MAX_UNPACKED_MB``,
    ``GATE_MAX_UNPACK_RATIO``, ``GATE_MEMORY_MB``, ``GATE_TIME_LIMIT_SECONDS``)."""
    return gate.Limits(
        unpacked_mb=settings.GATE_MAX_UNPACKED_MB,
        unpack_ratio=settings.GATE_MAX_UNPACK_RATIO,
        memory_mb=settings.GATE_MEMORY_MB,
        seconds=settings.GATE_TIME_LIMIT_SECONDS,
    )


def gate_ocr_rule() -> gate.OcrRule:
    """How pages without a text layer are read (settings ``GATE_OCR_DPI``,
    ``GATE_OCR_MIN_CONFIDENCE``; the rule itself is in ``publishing.gate.ocr``)."""
    return gate.OcrRule(dpi=settings.GATE_OCR_DPI, min_confidence=settings.GATE_OCR_MIN_CONFIDENCE)


def unreadable_message(extraction: gate.Extraction) -> str:
    """Why a document cannot be checked by machine, part by part (the same reason once, with
    the parts it holds for), for the person who must read those parts."""
    grouped: dict[str, list[str]] = {}
    for location in extraction.unreadable:
        reason = extraction.reasons.get(location, "no text can be read on it")
        grouped.setdefault(reason, []).append(location)
    parts = []
    for reason, locations in grouped.items():
        shown = ", ".join(locations[:10])
        more = len(locations) - 10
        parts.append(f"{shown}{f' and {more} more' if more > 0 else ''}: {reason}")
    return (
        "; ".join(parts)
        + ". A person must read what the gate could not, or upload a version with real text."
    )


@dataclass
class FileCheck:
    """What the gate made of one file checked outside a publication (``gate_file_check``)."""

    outcome: str  # a GateOutcome: clear, hits or unreadable
    message: str
    hits: list[gate.Hit]


def gate_identifier_from_text(value: str) -> gate.Identifier:
    """An identifier typed on the command line, read as what it looks like: an ISO date is a
    date of birth; text with a digit or a comma is an address (matched whole and by its
    parts); anything else a person's name (each part alone, and an initial with the surname)."""
    value = value.strip()
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        pass
    else:
        return gate.Identifier(value, "date_of_birth", "A date of birth")
    if any(char.isdigit() for char in value) or "," in value:
        return gate.Identifier(value, "address", "An address")
    return gate.Identifier(value, "person", "A name")


def gate_file_check(*, name: str, content: bytes, identifiers: list[str]) -> FileCheck:
    """The gate on a file, as on an upload, without a publication or the database (``manage.py
    gate_check``, for a draft): refused as an upload would be (type, size, pages, active
    content), then read in the bounded child, with OCR, and checked for ``identifiers`` and
    every pattern."""
    errors: dict[str, list[str]] = {}
    content_type, _pages = document_type_check(UploadedFile(name=name, content=content), errors)
    if errors:
        return FileCheck(GateOutcome.UNREADABLE, " ".join(errors["file"]), [])
    matcher = gate.Matcher([gate_identifier_from_text(value) for value in identifiers])
    try:
        extraction = gate.extract_bounded(
            content,
            content_type,
            max_pages=DOCUMENT_MAX_PAGES,
            limits=gate_limits(),
            ocr=gate_ocr_rule(),
        )
    except gate.UnreadableDocument as error:
        return FileCheck(GateOutcome.UNREADABLE, f"{name} cannot be checked: {error}.", [])
    hits = gate.check(extraction, matcher)
    if extraction.unreadable:
        return FileCheck(GateOutcome.UNREADABLE, unreadable_message(extraction), hits)
    return FileCheck(GateOutcome.HITS if hits else GateOutcome.CLEAR, "", hits)
