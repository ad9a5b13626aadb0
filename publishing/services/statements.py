"""What goes out with the report (DESIGN §2 step 7): each partnership chair's statement, checked
by the gate with the rest of the public record, and the 7-minute briefing for practitioners (its
text, then a one-page PDF, checked like any document).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from publishing.library.models import Theme
from publishing.models import (
    PREPARING_STATES,
    BriefingNote,
    ChairStatement,
    DocumentKind,
    Publication,
    PublicationDocument,
)
from publishing.permissions import is_platform, require_edit_briefing, require_write_statement
from publishing.services.changes import (
    TEXT_LIMITS,
    publication_audit,
    publication_back_to_draft,
    publication_editable_check,
    record_check_request,
)
from publishing.services.documents import document_upload
from tenants import clock
from tenants.actors import Actor
from tenants.files import UploadedFile
from tenants.validation import error_add, errors_raise

BRIEFING_SECTIONS = {
    "background": "Background",
    "why_it_matters": "Why it matters",
    "learning": "What the review found",
    "questions": "Questions to reflect on",
    "actions": "What you should do",
    "further_information": "Further information",
}
BRIEFING_SECTION_LIMIT = 900


def chair_statement_save(
    *,
    actor: Actor,
    publication: Publication,
    chair_name: str,
    chair_role: str,
    text: str,
    for_partnership: str = "",
) -> ChairStatement:
    """The chair's statement for their partnership (each partnership of a joint review writes
    its own). Checked by the gate with the rest of the public record. The platform may enter a
    statement a partnership published before it used Safeguard (``for_partnership``)."""
    require_write_statement(actor, publication)
    if not is_platform(actor):
        for_partnership = ""
    publication_editable_check(publication)
    named = {p["key"]: p["name"] for p in publication.partnerships}
    key = for_partnership or actor.partnership.key
    if key not in named:
        raise PermissionDenied("This publication is not your partnership's.")
    errors: dict[str, list[str]] = {}
    chair_name = " ".join((chair_name or "").split())
    chair_role = " ".join((chair_role or "").split())
    text = (text or "").strip()
    if not chair_name:
        error_add(errors, "chair_name", "Enter the chair's name as it is to be published.")
    if len(chair_name) > 200 or len(chair_role) > 200:
        error_add(errors, "chair_role", "Keep the name and role to 200 characters each.")
    if not text and not is_platform(actor):
        error_add(errors, "text", "Write the statement.")
    if len(text) > TEXT_LIMITS["statement"]:
        error_add(errors, "text", "Keep the statement to 4,000 characters.")
    errors_raise(errors)
    with transaction.atomic():
        statement, created = ChairStatement.objects.update_or_create(
            publication=publication,
            partnership_key=key,
            defaults={
                "partnership_name": named[key],
                "chair_name": chair_name,
                "chair_role": chair_role,
                "text": text,
                "written_by": actor.label,
                "written_at": clock.now(),
            },
        )
        publication_audit(actor, publication, "chair_statement.saved", created=created)
        publication_back_to_draft(actor, publication, "chair's statement changed")
        record_check_request(actor, publication)
    return statement


def briefing_save(*, actor: Actor, publication: Publication, sections: dict) -> BriefingNote:
    """The 7-minute briefing's text, before its PDF is made. Each section at most 900
    characters, so that the briefing fits on one page."""
    require_edit_briefing(actor, publication)
    if publication.state not in PREPARING_STATES:
        raise ValidationError(["The briefing changes only before publication."])
    errors: dict[str, list[str]] = {}
    values = {}
    for name, label in BRIEFING_SECTIONS.items():
        value = (sections.get(name) or "").strip()
        if len(value) > BRIEFING_SECTION_LIMIT:
            error_add(errors, name, f"Keep '{label}' to {BRIEFING_SECTION_LIMIT} characters.")
        values[name] = value
    if not any(values.values()):
        error_add(errors, "background", "Write the briefing before saving it.")
    errors_raise(errors)
    with transaction.atomic():
        note, _ = BriefingNote.objects.update_or_create(
            publication=publication,
            defaults={**values, "edited_by": actor.label, "edited_at": clock.now()},
        )
        publication_audit(actor, publication, "briefing.saved")
    return note


def briefing_generate(*, actor: Actor, publication: Publication) -> PublicationDocument:
    """Make the one-page 7-minute briefing PDF from the briefing's text and the public record
    (WeasyPrint), and add it as the publication's briefing note; the gate checks it like any
    other document. A briefing that does not fit on one page is refused."""
    from publishing.briefing import briefing_pdf, pdf_pages

    require_edit_briefing(actor, publication)
    note = BriefingNote.objects.filter(publication=publication).first()
    if note is None:
        raise ValidationError({"briefing": ["Save the briefing's text first."]})
    if publication.summary_only:
        raise ValidationError({"briefing": ["This review has only an executive summary."]})
    labels = dict(Theme.objects.values_list("slug", "label"))
    content = briefing_pdf(
        publication=publication,
        note=note,
        sections=BRIEFING_SECTIONS,
        themes=[labels.get(slug, slug) for slug in publication.themes],
    )
    pages = pdf_pages(content)
    if pages != 1:
        raise ValidationError(
            {"briefing": [f"The briefing takes {pages} pages: shorten it to fit on one."]}
        )
    return document_upload(
        actor=actor,
        publication=publication,
        kind=DocumentKind.BRIEFING_NOTE,
        upload=UploadedFile(name="7-minute-briefing.pdf", content=content),
        generated=True,
    )
