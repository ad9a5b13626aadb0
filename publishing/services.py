"""Changes to publications (DESIGN §2 step 7): the public record, documents and the
anonymisation gate, the pre-publication notice, scheduling and publishing, delays, reports not
published, withdrawal, the 12 months online, chair's statements, the 7-minute briefing and
requests for copies. Each action checks who may do it and writes its audit row in the same
transaction; audit details name objects by UUID and never hold an identifier the gate looks for.

At publication the public record that passed the gate, with the names of the documents, is
copied into the national library (``publishing.library``, public schema): the second and last
door out of a partnership's schema.
"""

import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework.joint import selectors as joint_selectors
from casework.models import ContributionRequest, InformationResponse, Review
from casework.processes import REVIEW_TYPES
from publishing import gate
from publishing.library import services as library
from publishing.library.models import AgeBand, Availability, Theme
from publishing.models import (
    PREPARING_STATES,
    PUBLIC_STATES,
    BriefingNote,
    ChairStatement,
    CopyRequest,
    CopyRequestStatus,
    DocumentKind,
    DownloadVia,
    GateHit,
    GateOutcome,
    GateRun,
    GateState,
    IdentifierKind,
    IdentifierToCheck,
    Publication,
    PublicationDocument,
    PublicationState,
    PublicDownload,
)
from publishing.notice import NOTICE_WORKING_DAYS
from publishing.selectors import (
    copy_link_state,
    current_documents,
    earliest_publication_date,
    latest_run,
    public_documents,
    publication_readiness,
    record_snapshot,
    run_passed,
    snapshot_sha256,
)
from tenants import clock
from tenants.actors import Actor
from tenants.addresses import partnership_url
from tenants.agencies.audit import audit_event_record
from tenants.files import (
    DOCUMENTS,
    StoredFileAltered,
    UploadedFile,
    stored_file_keep,
    stored_file_read,
    upload_problem,
    version_next,
)
from tenants.models import Membership, Partnership, Role, User
from tenants.roles import MANAGERS
from tenants.throttles import throttle_take
from tenants.validation import error_add, errors_raise, uuid_parse

logger = logging.getLogger(__name__)

DOCUMENT_MAX_BYTES = 25 * 1024 * 1024
DOCUMENT_MAX_PAGES = 2000
COPY_LINK_DAYS = 14
REQUESTS_PER_ADDRESS_PER_HOUR = 5
REQUESTS_PER_EMAIL_PER_DAY = 3
TEXT_LIMITS = {"title": 200, "summary": 6000, "improvements": 6000, "statement": 4000}
BRIEFING_SECTIONS = {
    "background": "Background",
    "why_it_matters": "Why it matters",
    "learning": "What the review found",
    "questions": "Questions to reflect on",
    "actions": "What you should do",
    "further_information": "Further information",
}
BRIEFING_SECTION_LIMIT = 900
SYSTEM = "system"


class CopyRequestThrottled(Exception):
    """Too many requests from one address or for one email address."""


def _audit(actor: Actor, publication: Publication, action: str, **detail) -> None:
    audit_event_record(
        actor=actor,
        action=action,
        object_type="publication",
        object_ref=str(publication.uuid),
        detail=detail,
    )


def _is_system(actor: Actor) -> bool:
    return actor.kind == SYSTEM


def _require_manager(actor: Actor) -> None:
    if not _is_system(actor):
        actor.require_role(*MANAGERS)


def is_appointed_reviewer(actor: Actor, publication: Publication) -> bool:
    """Whether the actor is a lead reviewer appointed (now) to the publication's review."""
    if not actor.has_role(Role.LEAD_REVIEWER) or publication.review_id is None:
        return False
    return publication.review.appointments.filter(
        profile__user_uuid=actor.user.uuid, ended_on__isnull=True, appointed_on__lte=clock.today()
    ).exists()


def _require_preparer(actor: Actor, publication: Publication) -> None:
    """The business manager and the chair prepare a publication; the review's appointed lead
    reviewer may upload corrected documents and see what the gate found."""
    if _is_system(actor) or actor.has_role(*MANAGERS) or is_appointed_reviewer(actor, publication):
        return
    raise PermissionDenied("Only the business manager, the chair or the review's reviewer can.")


# --- The partnerships a publication names ------------------------------------------------------


def publication_partnerships(*, review: Review | None, owner: Partnership) -> list[dict]:
    """The partnerships a publication of ``review`` names, lead first: every partnership that
    took part in a joint review (DESIGN §3) appears on its own public page and in the library."""
    if review is None:
        return [{"key": owner.key, "name": owner.name}]
    return [{"key": p.key, "name": p.name} for p in joint_selectors.review_partnerships(review)]


def _participants_statements(publication: Publication, review: Review) -> None:
    """A joint review's participants' chairs write their statements when they sign the report
    off (through the door, in the lead's schema); the publication starts with them. Each goes
    through the gate with the rest of the public record."""
    named = {p["key"]: p["name"] for p in publication.partnerships}
    sign_offs = [
        s for s in review.partnership_sign_offs.exclude(statement="") if s.partnership_key in named
    ]
    people = {
        user.email: user.full_name
        for user in User.objects.filter(email__in=[s.signed_off_by for s in sign_offs])
    }
    ChairStatement.objects.bulk_create(
        ChairStatement(
            publication=publication,
            partnership_key=sign_off.partnership_key,
            partnership_name=named[sign_off.partnership_key],
            # The chair's name as published, never their email address.
            chair_name=people.get(sign_off.signed_off_by) or "The chair",
            chair_role="Chair",
            text=sign_off.statement,
            written_by=sign_off.signed_off_by,
            written_at=sign_off.signed_off_at,
        )
        for sign_off in sign_offs
    )


def _check_partnerships(owner: Partnership, partnerships: list[dict]) -> list[dict]:
    keys = [item["key"] for item in partnerships]
    if not keys or keys[0] != owner.key or len(set(keys)) != len(keys):
        raise ValidationError(
            {"partnerships": ["Name this partnership first, and each partnership once."]}
        )
    known = {p.key: p.name for p in Partnership.objects.filter(key__in=keys)}
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise ValidationError({"partnerships": [f"No partnership '{unknown[0]}'."]})
    return [{"key": key, "name": known[key]} for key in keys]


# --- The public record -------------------------------------------------------------------------


def age_band_for(age: int) -> str | None:
    if age < 1:
        return AgeBand.UNDER_1
    for band, (low, high) in {
        AgeBand.AGE_1_4: (1, 4),
        AgeBand.AGE_5_9: (5, 9),
        AgeBand.AGE_10_14: (10, 14),
        AgeBand.AGE_15_17: (15, 17),
        AgeBand.AGE_18_25: (18, 25),
    }.items():
        if low <= age <= high:
            return band
    return None


def _review_children(review: Review) -> list:
    children = list(review.children.all())
    if review.referral_id:
        children += list(review.referral.children.all())
    for referral in review.related_referrals.all():
        children += list(referral.children.all())
    return list({child.pk: child for child in children}.values())


def _suggested_title(children) -> tuple[str, list[str]]:
    pseudonyms = [child.pseudonym for child in children if child.pseudonym]
    if len(pseudonyms) == 1:
        return f'Child "{pseudonyms[0]}"', pseudonyms
    if len(pseudonyms) > 1:
        return "Children " + ", ".join(pseudonyms[:-1]) + " and " + pseudonyms[-1], pseudonyms
    return "", []


def publication_create(*, actor: Actor, review: Review) -> Publication:
    """Start the publication of a completed review. Its public record is drafted from the
    review (type, dates, the children's age bands and pseudonyms); the title and summary are
    the partnership's to write. The record goes through the gate like every document."""
    _require_manager(actor)
    if review.stage != "completed":
        raise ValidationError({"review": ["Only a completed review can be published."]})
    if Publication.objects.filter(review=review).exists():
        raise ValidationError({"review": ["This review already has a publication."]})
    children = _review_children(review)
    incident = review.referral.incident_date if review.referral_id else None
    on = incident or review.commissioned_on
    bands = sorted(
        {band for child in children if (band := age_band_for(child.age_on(on)))},
        key=list(AgeBand.values).index,
    )
    title, pseudonyms = _suggested_title(children)
    with transaction.atomic():
        publication = Publication.objects.create(
            review=review,
            title=title,
            pseudonyms=pseudonyms,
            review_type=review.review_type,
            commissioned_month=review.commissioned_on.replace(day=1),
            incident_month=incident.replace(day=1) if incident else None,
            age_bands=bands,
            partnerships=publication_partnerships(review=review, owner=actor.partnership),
            created_by=actor.label,
        )
        _participants_statements(publication, review)
        _audit(actor, publication, "publication.created", review=review.reference)
        _record_check_request(actor, publication)
    return publication


def publication_enter_directly(
    *,
    actor: Actor,
    title: str,
    review_type: str,
    published_on: datetime.date | None,
    published_precision: str = "day",
    summary_only: bool = False,
    partnerships: list[dict] | None = None,
    publication_uuid=None,
) -> Publication:
    """Enter a review the partnership published before it used Safeguard (before 2013, only an
    executive summary was published). Its documents and record still go through the gate (the
    patterns, and the identifiers to check recorded on it); it needs no pre-publication notice.
    Only the platform may name other partnerships (a joint review's participants)."""
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        error_add(errors, "title", "Give the publication its public title.")
    elif len(title) > TEXT_LIMITS["title"]:
        error_add(errors, "title", "Keep the title to 200 characters.")
    if review_type not in REVIEW_TYPES:
        error_add(errors, "review_type", "Choose the kind of review.")
    if published_precision not in ("day", "year", "unknown"):
        error_add(errors, "published_on", "Say how precise the publication date is.")
    if published_precision != "unknown" and published_on is None:
        error_add(errors, "published_on", "Enter the date it was published.")
    elif published_on and published_on > clock.today():
        error_add(errors, "published_on", "A review entered directly was published in the past.")
    if summary_only and published_on and published_on.year >= 2013:
        error_add(
            errors, "summary_only", "Only reviews published before 2013 have a summary alone."
        )
    errors_raise(errors)
    if (partnerships or publication_uuid) and not _is_system(actor):
        raise PermissionDenied("Only the platform names the partnerships of a joint review.")
    named = _check_partnerships(
        actor.partnership,
        partnerships or [{"key": actor.partnership.key, "name": actor.partnership.name}],
    )
    with transaction.atomic():
        publication = Publication.objects.create(
            **({"uuid": publication_uuid} if publication_uuid else {}),
            entered_directly=True,
            summary_only=summary_only,
            title=title,
            review_type=review_type,
            published_on=published_on if published_precision != "unknown" else None,
            published_precision=published_precision,
            partnerships=named,
            created_by=actor.label,
        )
        _audit(actor, publication, "publication.entered", summary_only=summary_only)
        _record_check_request(actor, publication)
    return publication


@dataclass
class RecordInput:
    title: str
    summary: str = ""
    pseudonyms: list[str] | None = None
    themes: list[str] | None = None
    age_bands: list[str] | None = None
    commissioned_month: datetime.date | None = None
    incident_month: datetime.date | None = None
    improvements: str = ""


def _editable(publication: Publication) -> None:
    if publication.state == PublicationState.WITHDRAWN:
        raise ValidationError(["This publication is withdrawn: reopen it to change it."])


def _back_to_draft(actor: Actor, publication: Publication, why: str) -> None:
    """A change to what the gate passed returns a ready or scheduled publication to draft: it
    must pass again, and be scheduled again."""
    if publication.state in (PublicationState.READY, PublicationState.SCHEDULED):
        was = publication.state
        publication.state = PublicationState.DRAFT
        publication.scheduled_for = None
        publication.save(update_fields=["state", "scheduled_for"])
        _audit(actor, publication, "publication.back_to_draft", was=was, because=why)


def publication_record_update(
    *, actor: Actor, publication: Publication, data: RecordInput
) -> Publication:
    """Change the public record. It is checked again; once published, the public sees the
    change when the check has passed."""
    _require_manager(actor)
    _editable(publication)
    errors: dict[str, list[str]] = {}
    title = " ".join((data.title or "").split())
    if not title:
        error_add(errors, "title", 'Give the publication its public title, e.g. Child "Joe".')
    elif len(title) > TEXT_LIMITS["title"]:
        error_add(errors, "title", "Keep the title to 200 characters.")
    summary = (data.summary or "").strip()
    if len(summary) > TEXT_LIMITS["summary"]:
        error_add(errors, "summary", "Keep the summary to 6,000 characters.")
    improvements = (data.improvements or "").strip()
    if len(improvements) > TEXT_LIMITS["improvements"]:
        error_add(errors, "improvements", "Keep the improvements to 6,000 characters.")
    pseudonyms = [" ".join(p.split()) for p in (data.pseudonyms or []) if p.strip()]
    if len(pseudonyms) > 12 or any(len(p) > 100 for p in pseudonyms):
        error_add(errors, "pseudonyms", "Give at most 12 pseudonyms of up to 100 characters each.")
    themes = list(dict.fromkeys(data.themes or []))
    known = set(Theme.objects.filter(slug__in=themes).values_list("slug", flat=True))
    active = set(Theme.objects.filter(is_active=True).values_list("slug", flat=True))
    # A retired theme a publication already has may stay; it cannot be added.
    allowed = known & (active | set(publication.themes))
    if set(themes) - allowed:
        error_add(errors, "themes", "Choose themes from the list.")
    bands = [band for band in AgeBand.values if band in set(data.age_bands or [])]
    if set(data.age_bands or []) - set(bands):
        error_add(errors, "age_bands", "Choose age bands from the list.")
    for name in ("commissioned_month", "incident_month"):
        value = getattr(data, name)
        if value and value > clock.today():
            error_add(errors, name, "The month cannot be in the future.")
    errors_raise(errors)
    values = {
        "title": title,
        "summary": summary,
        "improvements": improvements,
        "pseudonyms": pseudonyms,
        "themes": themes,
        "age_bands": bands,
        "commissioned_month": data.commissioned_month.replace(day=1)
        if data.commissioned_month
        else None,
        "incident_month": data.incident_month.replace(day=1) if data.incident_month else None,
    }
    changed = [name for name, value in values.items() if getattr(publication, name) != value]
    if not changed:
        return publication
    with transaction.atomic():
        for name in changed:
            setattr(publication, name, values[name])
        publication.save(update_fields=changed)
        _audit(actor, publication, "publication.record_changed", fields=changed)
        _back_to_draft(actor, publication, "record changed")
        _record_check_request(actor, publication)
    return publication


def identifier_add(
    *, actor: Actor, publication: Publication, kind: str, value: str
) -> IdentifierToCheck:
    """Record an identifier the gate must look for that the case record does not hold as a
    field (a parent's name, an address, a school). Every check is run again with it."""
    _require_preparer(actor, publication)
    _editable(publication)
    errors: dict[str, list[str]] = {}
    value = " ".join((value or "").split())
    if kind not in IdentifierKind.values:
        error_add(errors, "kind", "Choose what kind of identifier it is.")
    if not value:
        error_add(errors, "value", "Enter the identifier to look for.")
    elif len(value) > 300:
        error_add(errors, "value", "Keep it to 300 characters.")
    elif len(gate.words(value)) == 0:
        error_add(errors, "value", "Enter letters or digits to look for.")
    if kind == IdentifierKind.DATE_OF_BIRTH and value:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            error_add(
                errors, "value", "Enter the date of birth as year-month-day, e.g. 2012-03-14."
            )
    errors_raise(errors)
    if publication.identifiers.filter(kind=kind, value__iexact=value).exists():
        raise ValidationError({"value": ["That identifier is already on the list."]})
    with transaction.atomic():
        identifier = IdentifierToCheck.objects.create(
            publication=publication, kind=kind, value=value, added_by=actor.label
        )
        _audit(actor, publication, "identifier.added", identifier=str(identifier.uuid), kind=kind)
        _recheck_everything(actor, publication)
    return identifier


def identifier_remove(
    *, actor: Actor, publication: Publication, identifier: IdentifierToCheck
) -> None:
    _require_manager(actor)
    _editable(publication)
    with transaction.atomic():
        _audit(
            actor,
            publication,
            "identifier.removed",
            identifier=str(identifier.uuid),
            kind=identifier.kind,
        )
        identifier.delete()
        _recheck_everything(actor, publication)


# --- Documents and the gate --------------------------------------------------------------------


def _document_type(upload: UploadedFile, errors: dict) -> tuple[str, int]:
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
    _require_preparer(actor, publication)
    if publication.state not in PREPARING_STATES:
        raise ValidationError(
            {"file": ["Documents change only before publication (withdraw it first)."]}
        )
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        error_add(errors, "kind", "Choose which document this is.")
    elif publication.summary_only and kind != DocumentKind.EXECUTIVE_SUMMARY:
        error_add(errors, "kind", "Only an executive summary was published for this review.")
    content_type, pages = _document_type(upload, errors)
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
            ),
            upload=upload,
            content_type=content_type,
        )
        _audit(
            actor,
            publication,
            "publication_document.uploaded",
            document=str(document.uuid),
            kind=kind,
            version=version,
        )
        _back_to_draft(actor, publication, "document uploaded")
        _gate_request(actor, publication, document)
    return document


def _gate_request(
    actor: Actor, publication: Publication, document: PublicationDocument | None
) -> GateRun:
    """Queue a run of the gate; the task is sent when the transaction commits."""
    from publishing.tasks import gate_run_send

    if document is None:
        snapshot = record_snapshot(publication)
        run = GateRun.objects.create(
            publication=publication,
            sha256=snapshot_sha256(snapshot),
            record_snapshot=snapshot,
            requested_by=actor.label,
        )
    else:
        run = GateRun.objects.create(
            publication=publication,
            document=document,
            sha256=document.sha256,
            requested_by=actor.label,
        )
    run_uuid = str(run.uuid)
    transaction.on_commit(lambda: gate_run_send(run_uuid))
    return run


def _record_check_request(actor: Actor, publication: Publication) -> GateRun:
    return _gate_request(actor, publication, None)


def _recheck_everything(actor: Actor, publication: Publication) -> None:
    """The identifiers changed: every current subject is checked again."""
    _back_to_draft(actor, publication, "identifiers changed")
    _record_check_request(actor, publication)
    for document in current_documents(publication=publication):
        _gate_request(actor, publication, document)


def gate_run_again(
    *, actor: Actor, publication: Publication, document: PublicationDocument | None
) -> GateRun:
    """Check a document (or the record) again, e.g. after a run was interrupted."""
    _require_preparer(actor, publication)
    _editable(publication)
    with transaction.atomic():
        run = _gate_request(actor, publication, document)
        _audit(actor, publication, "gate.requested", run=str(run.uuid))
    return run


def gate_identifiers(publication: Publication) -> list[gate.Identifier]:
    """Every real identifier the case record holds for the review, and the identifiers to check
    recorded on the publication: what the gate looks for. These never leave the schema."""
    found: list[gate.Identifier] = []
    review = publication.review
    if review is not None:
        for child in _review_children(review):
            name = f"{child.given_name} {child.family_name}".strip()
            found.append(gate.Identifier(name, "person", "A child's name"))
            found.append(
                gate.Identifier(
                    child.date_of_birth.isoformat(), "date_of_birth", "A child's date of birth"
                )
            )
        # Agencies' staff recorded by name: the people who referred and answered requests.
        labels = set()
        if review.referral_id:
            labels.add(review.referral.referred_by)
            labels.update(
                ContributionRequest.objects.filter(
                    rapid_review__referral=review.referral
                ).values_list("submitted_by", flat=True)
            )
        labels.update(
            InformationResponse.objects.filter(request__review=review).values_list(
                "submitted_by", flat=True
            )
        )
        names = User.objects.filter(email__in=[label for label in labels if "@" in label])
        for full_name in names.exclude(full_name="").values_list("full_name", flat=True):
            if len(gate.words(full_name)) >= 2:
                found.append(gate.Identifier(full_name, "professional", "A professional's name"))
    labels = dict(IdentifierKind.choices)
    for identifier in publication.identifiers.all():
        kind = identifier.kind
        matcher_kind = {
            IdentifierKind.PERSON: "person",
            IdentifierKind.PROFESSIONAL: "person",
            IdentifierKind.DATE_OF_BIRTH: "date_of_birth",
            IdentifierKind.ADDRESS: "address",
        }.get(kind, "place")
        found.append(gate.Identifier(identifier.value, matcher_kind, labels[kind]))
    return found


def _record_extraction(snapshot: dict) -> gate.Extraction:
    extraction = gate.Extraction()
    extraction.add("title", snapshot["title"])
    extraction.add("pseudonyms", ", ".join(snapshot["pseudonyms"]))
    extraction.add("summary", snapshot["summary"])
    extraction.add("improvements", snapshot["improvements"])
    for statement in snapshot["chair_statements"]:
        where = f"chair's statement ({statement['partnership_name']})"
        extraction.add(where, " ".join([statement["name"], statement["role"], statement["text"]]))
    return extraction


# The task shows it is alive at least this often while it reads (the sweeper's heartbeat).
HEARTBEAT_SECONDS = 30


def _progress(run: GateRun, done: int, total: int) -> None:
    """The run's progress on the page, and its heartbeat for the sweeper."""
    percent = min(95, int(95 * done / total)) if total else 50
    now = clock.now()
    beat = run.heartbeat_at is None or (now - run.heartbeat_at).total_seconds() >= HEARTBEAT_SECONDS
    if percent > run.progress or beat:
        run.progress = max(percent, run.progress)
        run.heartbeat_at = now
        GateRun.objects.filter(pk=run.pk).update(progress=run.progress, heartbeat_at=now)


CONTEXT_WORDS = 3


def _context_words(text: str, last: bool) -> tuple[str, ...]:
    found = gate.words(text)
    return tuple(found[-CONTEXT_WORDS:] if last else found[:CONTEXT_WORDS])


def _same_finding(earlier: GateHit, hit: gate.Hit) -> bool:
    """The same rule, the same words, and the same three words either side (or as many as the
    text has, at its start or end)."""
    if earlier.rule != hit.rule or gate.words(earlier.matched) != gate.words(hit.matched):
        return False
    mine, theirs = _context_words(hit.before, True), _context_words(earlier.before, True)
    n = min(len(mine), len(theirs))
    if mine[len(mine) - n :] != theirs[len(theirs) - n :]:
        return False
    mine, theirs = _context_words(hit.after, False), _context_words(earlier.after, False)
    n = min(len(mine), len(theirs))
    return mine[:n] == theirs[:n]


def _carried_acceptance(hit: gate.Hit, accepted: list[GateHit]) -> GateHit | None:
    return next((earlier for earlier in accepted if _same_finding(earlier, hit)), None)


def _accepted_before(run: GateRun) -> list[GateHit]:
    """Hits accepted on earlier runs of the same subject: the same finding in the same words and
    context is accepted again, with the reason given then."""
    earlier = GateHit.objects.filter(
        run__publication_id=run.publication_id, accepted_at__isnull=False
    ).exclude(run=run)
    if run.document_id:
        earlier = earlier.filter(run__document__kind=run.document.kind)
    else:
        earlier = earlier.filter(run__document__isnull=True)
    return list(earlier.order_by("-accepted_at"))


# A run started this many times without finishing is given up (a file that crashes the reader).
GATE_MAX_ATTEMPTS = 3


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


def gate_run_execute(*, run_uuid: str, actor: Actor, give_up: str = "") -> GateRun | None:
    """Run the anonymisation gate (the task's work): read the document's text, look for every
    identifier of the case record and every identifying pattern, and keep each hit in its
    context. A document that cannot be read in full (a scan) cannot pass. Safe to run twice: a
    finished run is left as it is; an interrupted one starts again, at most
    ``GATE_MAX_ATTEMPTS`` times. ``give_up`` finishes it unread, saying why (the task's time
    limit)."""
    run = GateRun.objects.select_related("publication", "document").filter(uuid=run_uuid).first()
    if run is None or run.state == GateState.DONE:
        return run
    # Committed before the file is read: if reading it kills the worker, the task comes back
    # (acknowledged late) and finds the attempt counted.
    started = clock.now()
    GateRun.objects.filter(pk=run.pk).update(
        state=GateState.RUNNING,
        started_at=started,
        heartbeat_at=started,
        progress=0,
        attempts=F("attempts") + 1,
    )
    run.progress, run.heartbeat_at = 0, started
    publication = run.publication
    identifiers = gate_identifiers(publication)
    matcher = gate.Matcher(identifiers)
    message, outcome = "", GateOutcome.CLEAR
    hits: list[gate.Hit] = []
    pages = 0
    if give_up:
        outcome, message = GateOutcome.UNREADABLE, give_up
    elif run.attempts + 1 > GATE_MAX_ATTEMPTS:
        outcome = GateOutcome.UNREADABLE
        message = (
            f"reading this file stopped the gate {run.attempts} times, so it cannot be checked. "
            "Upload it again, saved anew from the word processor."
        )
    elif run.document_id is None:
        extraction = _record_extraction(run.record_snapshot)
        hits = gate.check(extraction, matcher)
    else:
        document = run.document
        try:
            content = stored_file_read(document.file, sha256=run.sha256)
        except StoredFileAltered:
            outcome, message = GateOutcome.UNREADABLE, "the stored file is not the one uploaded."
        else:
            try:
                extraction = gate.extract_bounded(
                    content,
                    document.content_type,
                    progress=lambda done, total: _progress(run, done, total),
                    max_pages=DOCUMENT_MAX_PAGES,
                    limits=gate_limits(),
                    ocr=gate_ocr_rule(),
                )
            except gate.UnreadableDocument as error:
                outcome, message = GateOutcome.UNREADABLE, f"{error}."
            else:
                pages = extraction.pages
                hits = gate.check(extraction, matcher)
                if extraction.unreadable:
                    outcome = GateOutcome.UNREADABLE
                    message = unreadable_message(extraction)
    if outcome == GateOutcome.CLEAR and hits:
        outcome = GateOutcome.HITS
    with transaction.atomic():
        locked = GateRun.objects.select_for_update().get(pk=run.pk)
        if locked.state == GateState.DONE:
            return locked
        locked.hits.all().delete()
        accepted = _accepted_before(locked)
        rows = []
        for position, hit in enumerate(hits, 1):
            row = GateHit(
                run=locked,
                position=position,
                rule=hit.rule,
                label=hit.label,
                location=hit.location[:100],
                box=list(hit.box) if hit.box else None,
                before=hit.before,
                matched=hit.matched,
                after=hit.after,
            )
            earlier = _carried_acceptance(hit, accepted)
            if earlier is not None:
                row.accepted_reason = earlier.accepted_reason
                row.accepted_by = earlier.accepted_by
                row.accepted_at = clock.now()
            rows.append(row)
        GateHit.objects.bulk_create(rows)
        locked.state = GateState.DONE
        locked.outcome = outcome
        locked.message = message
        locked.pages = pages
        locked.progress = 100
        locked.identifiers_checked = matcher.count
        locked.finished_at = clock.now()
        locked.save()
        carried_count = sum(1 for row in rows if row.accepted_at)
        _audit(
            actor,
            publication,
            "gate.finished",
            run=str(locked.uuid),
            subject="record" if locked.document_id is None else locked.document.kind,
            outcome=outcome,
            hits=len(rows),
            carried_acceptances=carried_count,
        )
        _readiness_refresh(actor, Publication.objects.select_for_update().get(pk=publication.pk))
    return locked


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
    content_type, _pages = _document_type(UploadedFile(name=name, content=content), errors)
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


def gate_runs_sweep(*, actor: Actor, now: datetime.datetime | None = None) -> dict[str, int]:
    """No run is ever lost (the periodic sweeper, per partnership). A run queued, or running
    with no sign of life (its progress, at least every ``HEARTBEAT_SECONDS`` while it reads),
    for ``GATE_SWEEP_AFTER_SECONDS`` has lost its task: its worker died (a filesystem broker
    loses the message with the worker). It is queued and sent again; one started
    ``GATE_MAX_ATTEMPTS`` times already is finished as "cannot be checked" instead. Safe to run
    twice: a run sent again is queued anew, so it is not stale until the deadline passes once
    more."""
    from publishing.tasks import gate_run_send

    now = now or clock.now()
    deadline = now - datetime.timedelta(seconds=settings.GATE_SWEEP_AFTER_SECONDS)
    stale = GateRun.objects.annotate(
        alive_at=Coalesce("heartbeat_at", "started_at", "queued_at")
    ).filter(
        Q(state=GateState.QUEUED, queued_at__lt=deadline)
        | Q(state=GateState.RUNNING, alive_at__lt=deadline)
    )
    counts = {"sent_again": 0, "given_up": 0}
    for run_uuid in stale.values_list("uuid", flat=True):
        with transaction.atomic():
            run = GateRun.objects.select_for_update().get(uuid=run_uuid)
            if run.state == GateState.DONE:
                continue
            if run.attempts >= GATE_MAX_ATTEMPTS:
                given_up = True
            else:
                given_up = False
                GateRun.objects.filter(pk=run.pk).update(
                    state=GateState.QUEUED, queued_at=now, progress=0, heartbeat_at=None
                )
                _audit(actor, run.publication, "gate.sent_again", run=str(run.uuid))
                transaction.on_commit(lambda run_uuid=str(run_uuid): gate_run_send(run_uuid))
        if given_up:
            gate_run_execute(
                run_uuid=str(run_uuid),
                actor=actor,
                give_up=(
                    f"its check was started {run.attempts} times and never finished (the "
                    "worker stopped), so it cannot be checked. Upload it again, saved anew."
                ),
            )
            counts["given_up"] += 1
        else:
            counts["sent_again"] += 1
    return counts


def gate_hit_accept(*, actor: Actor, hit: GateHit, reason: str) -> GateHit:
    """The chair accepts a hit with a written reason (e.g. "'Grace' here is the word, not the
    mother's name"). Only on the subject's latest run: an older one has been superseded."""
    actor.require_role(Role.CHAIR)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": ["Write why this can be published as it is."]})
    if len(reason) > 2000:
        raise ValidationError({"reason": ["Keep the reason to 2,000 characters."]})
    publication = hit.run.publication
    _editable(publication)
    newest = latest_run(publication=publication, document=hit.run.document)
    if newest is None or newest.pk != hit.run_id:
        raise ValidationError({"reason": ["A newer check has replaced this one."]})
    with transaction.atomic():
        if not GateHit.objects.filter(pk=hit.pk, accepted_at__isnull=True).update(
            accepted_reason=reason, accepted_by=actor.label, accepted_at=clock.now()
        ):
            raise ValidationError({"reason": ["This has already been accepted."]})
        hit.refresh_from_db()
        _audit(actor, publication, "gate.hit_accepted", run=str(hit.run.uuid), hit=str(hit.uuid))
        _readiness_refresh(actor, Publication.objects.select_for_update().get(pk=publication.pk))
    return hit


def _readiness_refresh(actor: Actor, publication: Publication) -> None:
    """After a check: a draft whose every subject has passed is ready (and a ready one that no
    longer passes is a draft); a public one shows its record's newest passed version."""
    readiness = publication_readiness(publication=publication)
    if publication.state == PublicationState.DRAFT and readiness.ready:
        publication.state = PublicationState.READY
        publication.save(update_fields=["state"])
        _audit(actor, publication, "publication.ready")
    elif publication.state == PublicationState.READY and not readiness.ready:
        publication.state = PublicationState.DRAFT
        publication.save(update_fields=["state"])
    elif publication.state in PUBLIC_STATES:
        check = readiness.checks[0]
        if check.passed and check.run.pk != publication.public_record_run_id:
            publication.public_record_run = check.run
            publication.save(update_fields=["public_record_run"])
            _audit(actor, publication, "publication.public_record_updated", run=str(check.run.uuid))
            library_sync(publication)


# --- Notice, scheduling, publishing ------------------------------------------------------------


def notice_record(
    *,
    actor: Actor,
    publication: Publication,
    panel_sent_on: datetime.date | None,
    secretary_of_state_sent_on: datetime.date | None,
    ofsted_sent_on: datetime.date | None,
) -> Publication:
    """Record when the report went to the Panel, the Secretary of State and Ofsted."""
    _require_manager(actor)
    if publication.state not in PREPARING_STATES:
        raise ValidationError(["The notice is recorded before publication."])
    errors: dict[str, list[str]] = {}
    values = {
        "panel_sent_on": panel_sent_on,
        "secretary_of_state_sent_on": secretary_of_state_sent_on,
        "ofsted_sent_on": ofsted_sent_on,
    }
    for name, value in values.items():
        if value and value > clock.today():
            error_add(errors, name, "The date it was sent cannot be in the future.")
    errors_raise(errors)
    with transaction.atomic():
        for name, value in values.items():
            setattr(publication, name, value)
        publication.save(update_fields=list(values))
        _audit(
            actor,
            publication,
            "publication.notice_recorded",
            **{name: value.isoformat() if value else None for name, value in values.items()},
        )
        if publication.state == PublicationState.SCHEDULED:
            earliest = earliest_publication_date(publication=publication)
            if earliest is None or earliest > publication.scheduled_for:
                publication.state = PublicationState.READY
                publication.scheduled_for = None
                publication.save(update_fields=["state", "scheduled_for"])
                _audit(actor, publication, "publication.unscheduled", because="notice")
    return publication


def _notice_problem(publication: Publication, day: datetime.date) -> str:
    earliest = earliest_publication_date(publication=publication)
    if earliest is None:
        return (
            "Record when the report was sent to the Panel, the Secretary of State and Ofsted: "
            f"they must have it {NOTICE_WORKING_DAYS} working days before publication."
        )
    if day < earliest:
        return (
            f"The earliest publication date is {earliest.isoformat()}: {NOTICE_WORKING_DAYS} "
            "working days after the report was last sent ahead of publication."
        )
    return ""


def publication_schedule(
    *, actor: Actor, publication: Publication, on: datetime.date | None
) -> Publication:
    """Schedule publication for a date at least 7 working days after the pre-publication notice
    (the clock engine's working days); only a ready publication, and not while delayed."""
    _require_manager(actor)
    errors: list[str] = []
    if on is None:
        raise ValidationError({"scheduled_for": ["Enter the date to publish on."]})
    if on < clock.today():
        raise ValidationError({"scheduled_for": ["The date cannot be in the past."]})
    if publication.state not in (PublicationState.READY, PublicationState.SCHEDULED):
        errors += publication_readiness(publication=publication).missing or [
            "Only a publication that is ready can be scheduled."
        ]
    if publication.is_delayed:
        errors.append(f"Publication is delayed: {publication.delay_reason}")
    if not publication.entered_directly:
        problem = _notice_problem(publication, on)
        if problem:
            errors.append(problem)
    if errors:
        raise ValidationError({"scheduled_for": errors})
    with transaction.atomic():
        publication.state = PublicationState.SCHEDULED
        publication.scheduled_for = on
        publication.save(update_fields=["state", "scheduled_for"])
        _audit(actor, publication, "publication.scheduled", on=on.isoformat())
    return publication


def publication_unschedule(*, actor: Actor, publication: Publication) -> Publication:
    _require_manager(actor)
    if publication.state != PublicationState.SCHEDULED:
        raise ValidationError(["This publication is not scheduled."])
    with transaction.atomic():
        publication.state = PublicationState.READY
        publication.scheduled_for = None
        publication.save(update_fields=["state", "scheduled_for"])
        _audit(actor, publication, "publication.unscheduled", because="asked")
    return publication


def _publish_problems(publication: Publication, day: datetime.date) -> list[str]:
    problems = []
    if publication.state not in (PublicationState.READY, PublicationState.SCHEDULED):
        problems += publication_readiness(publication=publication).missing or [
            "Only a publication that is ready can be published."
        ]
    else:
        problems += publication_readiness(publication=publication).missing
    if publication.is_delayed:
        problems.append(f"Publication is delayed: {publication.delay_reason}")
    if not publication.entered_directly:
        problem = _notice_problem(publication, day)
        if problem:
            problems.append(problem)
    return problems


def _go_public(actor: Actor, publication: Publication, *, state: str) -> None:
    readiness = publication_readiness(publication=publication)
    documents = current_documents(publication=publication)
    for document in documents:
        try:
            stored_file_read(document.file, sha256=document.sha256)
        except StoredFileAltered:
            raise ValidationError(
                [
                    f"The stored {document.get_kind_display().lower()} is not the file the gate "
                    "checked: upload it again."
                ]
            ) from None
    now = clock.now()
    publication.documents.filter(is_public=True).update(is_public=False)
    PublicationDocument.objects.filter(pk__in=[d.pk for d in documents]).update(
        is_public=True, published_at=now
    )
    publication.public_record_run = readiness.record_run
    publication.state = state
    publication.scheduled_for = None
    publication.save(
        update_fields=[
            "public_record_run",
            "state",
            "scheduled_for",
            "published_on",
            "published_precision",
            "online_until",
        ]
    )
    library_sync(publication)
    _review_clocks_sync(publication)


def publication_publish(
    *, actor: Actor, publication: Publication, day: datetime.date | None = None
) -> Publication:
    """Publish now (or, for the daily job, on the scheduled day): the gate has passed everything
    as it is stored now, the notice went out at least 7 working days before, and publication is
    not delayed. The report stays online for the partnership's retention period (at least 12
    months), then is available on request."""
    _require_manager(actor)
    day = day or clock.today()
    problems = _publish_problems(publication, day)
    if problems:
        raise ValidationError({"publish": problems})
    months = actor.partnership.publication_months_online
    with transaction.atomic():
        publication.published_on = day
        publication.published_precision = "day"
        publication.online_until = day + relativedelta(months=months)
        _go_public(actor, publication, state=PublicationState.PUBLISHED)
        _audit(
            actor,
            publication,
            "publication.published",
            on=day.isoformat(),
            online_until=publication.online_until.isoformat(),
        )
    return publication


def publication_record_as_published(
    *, actor: Actor, publication: Publication, online: bool
) -> Publication:
    """A review entered directly goes into the library as the partnership published it: still
    online (kept there by the partnership's choice), or available on request."""
    _require_manager(actor)
    if not publication.entered_directly:
        raise ValidationError(["Only a review entered directly is recorded as published."])
    readiness = publication_readiness(publication=publication)
    if publication.state not in (PublicationState.READY, PublicationState.DRAFT):
        raise ValidationError(["This publication is already public or withdrawn."])
    if not readiness.ready:
        raise ValidationError({"publish": readiness.missing})
    with transaction.atomic():
        publication.online_until = None
        _go_public(
            actor,
            publication,
            state=PublicationState.PUBLISHED if online else PublicationState.ON_REQUEST,
        )
        _audit(actor, publication, "publication.recorded_as_published", online=online)
    return publication


def publication_delay(
    *, actor: Actor, publication: Publication, reason: str, review_on: datetime.date | None
) -> Publication:
    """Hold publication back (e.g. parallel criminal proceedings), with a date to look again."""
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if publication.state not in PREPARING_STATES:
        error_add(errors, "reason", "Only a publication not yet out can be delayed.")
    if not reason:
        error_add(errors, "reason", "Say why publication is delayed.")
    if review_on is None or review_on <= clock.today():
        error_add(errors, "review_on", "Enter a date in the future to review the delay.")
    errors_raise(errors)
    with transaction.atomic():
        publication.delay_reason = reason
        publication.delay_review_on = review_on
        fields = ["delay_reason", "delay_review_on"]
        if publication.state == PublicationState.SCHEDULED:
            publication.state = PublicationState.READY
            publication.scheduled_for = None
            fields += ["state", "scheduled_for"]
        publication.save(update_fields=fields)
        _audit(actor, publication, "publication.delayed", review_on=review_on.isoformat())
    return publication


def publication_delay_lift(*, actor: Actor, publication: Publication) -> Publication:
    _require_manager(actor)
    if not publication.is_delayed:
        raise ValidationError(["Publication is not delayed."])
    with transaction.atomic():
        publication.delay_reason = ""
        publication.delay_review_on = None
        publication.save(update_fields=["delay_reason", "delay_review_on"])
        _audit(actor, publication, "publication.delay_lifted")
    return publication


def publication_not_publish(*, actor: Actor, publication: Publication, reason: str) -> Publication:
    """Decide not to publish the report, and publish the improvements instead (written in the
    public record and checked by the gate like the rest of it)."""
    _require_manager(actor)
    reason = (reason or "").strip()
    errors: list[str] = []
    if publication.state not in PREPARING_STATES:
        errors.append("Only a publication not yet out can be withheld.")
    if not reason:
        errors.append("Say why the report is not published.")
    readiness = publication_readiness(publication=publication)
    record = readiness.checks[0]
    if not publication.improvements.strip():
        errors.append("Write the improvements to publish instead, in the public record.")
    elif not record.passed:
        errors.append(record.problem)
    if errors:
        raise ValidationError({"reason": errors})
    with transaction.atomic():
        publication.not_published_reason = reason
        publication.state = PublicationState.NOT_PUBLISHED
        publication.scheduled_for = None
        publication.published_on = clock.today()
        publication.published_precision = "day"
        publication.public_record_run = record.run
        publication.documents.filter(is_public=True).update(is_public=False)
        publication.save(
            update_fields=[
                "not_published_reason",
                "state",
                "scheduled_for",
                "published_on",
                "published_precision",
                "public_record_run",
            ]
        )
        _audit(actor, publication, "publication.not_published")
        library_sync(publication)
        _review_clocks_sync(publication)
    return publication


def publication_withdraw(*, actor: Actor, publication: Publication, reason: str) -> Publication:
    """Take a publication down: its page and documents go from the partnership's site and the
    library. Kept here, with every check, and can be reopened."""
    _require_manager(actor)
    reason = (reason or "").strip()
    if publication.state == PublicationState.WITHDRAWN:
        raise ValidationError(["This publication is already withdrawn."])
    if not reason:
        raise ValidationError({"withdrawn_reason": ["Say why it is withdrawn."]})
    with transaction.atomic():
        was = publication.state
        publication.state = PublicationState.WITHDRAWN
        publication.withdrawn_reason = reason
        publication.scheduled_for = None
        publication.save(update_fields=["state", "withdrawn_reason", "scheduled_for"])
        publication.documents.filter(is_public=True).update(is_public=False)
        _audit(actor, publication, "publication.withdrawn", was=was)
        library_sync(publication)
        _review_clocks_sync(publication)
    return publication


def publication_reopen(*, actor: Actor, publication: Publication) -> Publication:
    """A withdrawn publication back to draft, to correct and publish again."""
    _require_manager(actor)
    if publication.state != PublicationState.WITHDRAWN:
        raise ValidationError(["Only a withdrawn publication can be reopened."])
    with transaction.atomic():
        publication.state = PublicationState.DRAFT
        publication.save(update_fields=["state"])
        _audit(actor, publication, "publication.reopened")
        _readiness_refresh(actor, publication)
    return publication


def publication_keep_online(
    *, actor: Actor, publication: Publication, until: datetime.date | None
) -> Publication:
    """Keep a publication online longer than the retention period (a date, or no end date); an
    available-on-request one comes back online. Never less than the partnership's period."""
    _require_manager(actor)
    if publication.state not in (PublicationState.PUBLISHED, PublicationState.ON_REQUEST):
        raise ValidationError({"online_until": ["Only a published review stays online."]})
    if until is not None:
        floor = None
        if publication.published_on and not publication.entered_directly:
            floor = publication.published_on + relativedelta(
                months=actor.partnership.publication_months_online
            )
        if until <= clock.today() or (floor and until < floor):
            raise ValidationError(
                {
                    "online_until": [
                        "Choose a date in the future and no earlier than the retention period "
                        f"({actor.partnership.publication_months_online} months)."
                    ]
                }
            )
    with transaction.atomic():
        publication.online_until = until
        publication.state = PublicationState.PUBLISHED
        publication.save(update_fields=["online_until", "state"])
        _audit(
            actor,
            publication,
            "publication.kept_online",
            until=until.isoformat() if until else None,
        )
        library_sync(publication)
    return publication


def publications_daily(*, actor: Actor, day: datetime.date | None = None) -> dict[str, int]:
    """The daily job: publish what is scheduled for today or earlier (if it still may be: a
    publication that may not is left scheduled and its managers told why), make available on
    request what has been online for the partnership's retention period (its page stays, its
    documents are no longer served), and remind the business managers of delays due for review
    today. Safe to run twice (a second run the same day repeats only the reminders)."""
    day = day or clock.today()
    published = blocked = moved = 0
    due = Publication.objects.filter(state=PublicationState.SCHEDULED, scheduled_for__lte=day)
    for publication in due:
        try:
            publication_publish(actor=actor, publication=publication, day=day)
            published += 1
        except ValidationError as error:
            blocked += 1
            _schedule_blocked(actor, publication, error.messages)
    expired = Publication.objects.filter(
        state=PublicationState.PUBLISHED, online_until__isnull=False, online_until__lt=day
    )
    for publication in expired:
        with transaction.atomic():
            claimed = Publication.objects.filter(
                pk=publication.pk, state=PublicationState.PUBLISHED
            ).update(state=PublicationState.ON_REQUEST)
            if not claimed:
                continue
            publication.state = PublicationState.ON_REQUEST
            _audit(
                actor,
                publication,
                "publication.on_request",
                online_until=str(publication.online_until),
            )
            library_sync(publication)
            moved += 1
    reminded = 0
    due_for_review = Publication.objects.exclude(delay_reason="").filter(delay_review_on=day)
    recipients = _managers_emails(actor.partnership) if due_for_review.exists() else []
    for publication in due_for_review:
        # Once, on the day: the job runs once a day (a second run that day sends it again).
        if recipients:
            send_mail(
                subject="A delayed publication is due for review",
                message=(
                    "A publication's delay is due for review today.\n\n"
                    + partnership_url(
                        partnership=actor.partnership, path=f"/publications/{publication.uuid}/"
                    )
                ),
                from_email=None,
                recipient_list=recipients,
            )
        with transaction.atomic():
            _audit(actor, publication, "publication.delay_review_due")
        reminded += 1
    return {"published": published, "blocked": blocked, "on_request": moved, "delays": reminded}


def _managers_emails(partnership: Partnership) -> list[str]:
    return sorted(
        Membership.objects.filter(
            partnership=partnership, role=Role.BUSINESS_MANAGER, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _schedule_blocked(actor: Actor, publication: Publication, reasons: list[str]) -> None:
    with transaction.atomic():
        _audit(actor, publication, "publication.schedule_blocked", reasons=len(reasons))
    recipients = _managers_emails(actor.partnership)
    if recipients:
        path = f"/publications/{publication.uuid}/"
        send_mail(
            subject="A scheduled publication could not be published",
            message=(
                "A publication scheduled for today was not published:\n\n- "
                + "\n- ".join(reasons)
                + "\n\n"
                + partnership_url(partnership=actor.partnership, path=path)
            ),
            from_email=None,
            recipient_list=recipients,
        )


# --- The library -------------------------------------------------------------------------------


def _review_clocks_sync(publication: Publication) -> None:
    """The review's publication clock (6 months from the decision) stops on the day it is
    published, and runs again if the publication is withdrawn."""
    from casework.services import clocks_sync

    review = publication.review
    if review is not None and review.referral_id:
        clocks_sync(referral=review.referral)


def library_sync(publication: Publication) -> None:
    """Copy the publication's public record into the national library (or take it out): the
    record exactly as the gate passed it, the documents' names, the partnerships and dates."""
    if publication.state not in PUBLIC_STATES or publication.public_record_run is None:
        library.entry_remove(uuid=publication.uuid)
        return
    snapshot = publication.public_record_run.record_snapshot
    documents = []
    if publication.state != PublicationState.NOT_PUBLISHED:
        documents = [
            {
                "uuid": str(document.uuid),
                "kind": document.kind,
                "label": document.get_kind_display(),
                "size": document.size,
                "content_type": document.content_type,
            }
            for document in public_documents(publication=publication)
        ]
    availability = {
        PublicationState.PUBLISHED: Availability.ONLINE,
        PublicationState.ON_REQUEST: Availability.ON_REQUEST,
        PublicationState.NOT_PUBLISHED: Availability.NOT_PUBLISHED,
    }[publication.state]
    month = datetime.date.fromisoformat
    library.entry_save(
        data=library.EntryData(
            uuid=publication.uuid,
            partnerships=publication.partnerships,
            title=snapshot["title"],
            pseudonyms=snapshot["pseudonyms"],
            review_type=snapshot["review_type"],
            review_type_label=REVIEW_TYPES[snapshot["review_type"]].label,
            commissioned_month=month(snapshot["commissioned_month"])
            if snapshot["commissioned_month"]
            else None,
            incident_month=month(snapshot["incident_month"])
            if snapshot["incident_month"]
            else None,
            published_on=publication.published_on,
            published_precision=publication.published_precision,
            summary=snapshot["summary"],
            themes=snapshot["themes"],
            age_bands=snapshot["age_bands"],
            chair_statements=snapshot["chair_statements"],
            documents=documents,
            availability=availability,
            summary_only=publication.summary_only,
            improvements=snapshot["improvements"]
            if publication.state == PublicationState.NOT_PUBLISHED
            else "",
        )
    )


# --- Chair's statements and the briefing -------------------------------------------------------


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
    if not _is_system(actor):
        actor.require_role(Role.CHAIR)
        for_partnership = ""
    _editable(publication)
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
    if not text and not _is_system(actor):
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
        _audit(actor, publication, "chair_statement.saved", created=created)
        _back_to_draft(actor, publication, "chair's statement changed")
        _record_check_request(actor, publication)
    return statement


def briefing_save(*, actor: Actor, publication: Publication, sections: dict) -> BriefingNote:
    """The 7-minute briefing's text, before its PDF is made. Each section at most 900
    characters, so that the briefing fits on one page."""
    _require_manager(actor)
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
        _audit(actor, publication, "briefing.saved")
    return note


def briefing_generate(*, actor: Actor, publication: Publication) -> PublicationDocument:
    """Make the one-page 7-minute briefing PDF from the briefing's text and the public record
    (WeasyPrint), and add it as the publication's briefing note; the gate checks it like any
    other document. A briefing that does not fit on one page is refused."""
    from publishing.briefing import briefing_pdf, pdf_pages

    _require_manager(actor)
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


# --- The public: downloads and requests for copies ---------------------------------------------


def _public_document(publication: Publication, document_uuid) -> PublicationDocument | None:
    value = uuid_parse(document_uuid)
    if value is None:
        return None
    return publication.documents.filter(uuid=value, is_public=True).first()


def public_document_download(
    *, publication: Publication, document_uuid
) -> tuple[PublicationDocument, bytes]:
    """A published document, to anyone, while the publication is online: the bytes served are
    checked against the SHA-256 the gate passed, and the download is logged."""
    document = _public_document(publication, document_uuid)
    if document is None or publication.state != PublicationState.PUBLISHED:
        raise PublicationDocument.DoesNotExist
    content = stored_file_read(document.file, sha256=document.sha256)
    run = latest_run(publication=publication, document=document)
    if not run_passed(run, document.sha256):
        logger.error("Publication document %s is public but its check is not", document.uuid)
        raise StoredFileAltered(str(document.uuid))
    PublicDownload.objects.create(
        publication=publication, document=document, via=DownloadVia.ONLINE
    )
    return document, content


def copy_request_create(
    *,
    actor: Actor,
    publication: Publication,
    document_uuid,
    name: str,
    email: str,
    organisation: str,
    reason: str,
    client_address: str,
) -> CopyRequest:
    """A member of the public asks for a copy of a publication no longer online: name, email,
    organisation (optional) and reason. At most 5 requests an hour from one address and 3 a day
    for one email address. The business managers are told; the request waits for their
    decision."""
    if publication.state != PublicationState.ON_REQUEST:
        raise ValidationError(["This publication is online: download it from its page."])
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    email = (email or "").strip().lower()
    organisation = " ".join((organisation or "").split())
    reason = (reason or "").strip()
    document = _public_document(publication, document_uuid)
    if document is None:
        error_add(errors, "document", "Choose the document you would like a copy of.")
    if not name:
        error_add(errors, "name", "Enter your name.")
    elif len(name) > 200:
        error_add(errors, "name", "Keep your name to 200 characters.")
    try:
        validate_email(email)
    except ValidationError:
        error_add(errors, "email", "Enter your email address, like name@example.com.")
    if len(organisation) > 200:
        error_add(errors, "organisation", "Keep the organisation to 200 characters.")
    if not reason:
        error_add(errors, "reason", "Say why you would like a copy.")
    elif len(reason) > 2000:
        error_add(errors, "reason", "Keep the reason to 2,000 characters.")
    errors_raise(errors)
    # Counted in the store every process shares (tenants.throttles), by the address as the
    # platform's own proxies saw it.
    if not throttle_take(
        scope="copy-requests-address",
        subject=client_address,
        limit=REQUESTS_PER_ADDRESS_PER_HOUR,
        seconds=3600,
    ):
        raise CopyRequestThrottled("Too many requests from your address: try again in an hour.")
    if not throttle_take(
        scope="copy-requests-email", subject=email, limit=REQUESTS_PER_EMAIL_PER_DAY, seconds=86400
    ):
        raise CopyRequestThrottled("Too many requests for this email address: try tomorrow.")
    with transaction.atomic():
        request = CopyRequest.objects.create(
            publication=publication,
            document=document,
            name=name,
            email=email,
            organisation=organisation,
            reason=reason,
        )
        _audit(actor, publication, "copy.requested", request=str(request.uuid))
        recipients = _managers_emails(actor.partnership)
        title = publication.public_record_run.record_snapshot["title"]
        if recipients:
            url = partnership_url(
                partnership=actor.partnership, path=f"/publications/copy-requests/{request.uuid}/"
            )
            transaction.on_commit(
                lambda: send_mail(
                    subject="A request for a copy of a published review",
                    message=f"Someone has asked for a copy of {title}.\n\nDecide: {url}",
                    from_email=None,
                    recipient_list=recipients,
                )
            )
    return request


def copy_request_decide(
    *, actor: Actor, copy_request: CopyRequest, approve: bool, reason: str
) -> CopyRequest:
    """The business manager approves a request (the requester is emailed a link that works
    once, for 14 days) or refuses it with a reason (the requester is told it)."""
    actor.require_role(Role.BUSINESS_MANAGER)
    reason = (reason or "").strip()
    if copy_request.status != CopyRequestStatus.PENDING:
        raise ValidationError(["This request has already been decided."])
    if not approve and not reason:
        raise ValidationError({"decision_reason": ["Say why the request is refused."]})
    if len(reason) > 2000:
        raise ValidationError({"decision_reason": ["Keep the reason to 2,000 characters."]})
    publication = copy_request.publication
    title = (
        publication.public_record_run.record_snapshot["title"]
        if publication.public_record_run
        else publication.title
    )
    token = secrets.token_urlsafe(32) if approve else ""
    now = clock.now()
    with transaction.atomic():
        claimed = CopyRequest.objects.filter(
            pk=copy_request.pk, status=CopyRequestStatus.PENDING
        ).update(
            status=CopyRequestStatus.APPROVED if approve else CopyRequestStatus.REFUSED,
            decided_by=actor.label,
            decided_at=now,
            decision_reason=reason,
            token_sha256=hashlib.sha256(token.encode()).hexdigest() if approve else None,
            link_expires_at=now + datetime.timedelta(days=COPY_LINK_DAYS) if approve else None,
        )
        if not claimed:
            raise ValidationError(["This request has already been decided."])
        copy_request.refresh_from_db()
        _audit(
            actor,
            publication,
            "copy.approved" if approve else "copy.refused",
            request=str(copy_request.uuid),
        )
        partnership = actor.partnership
        if approve:
            link = partnership_url(partnership=partnership, path=f"/reviews/copies/{token}/")
            message = (
                f"{partnership.name} has approved your request for a copy of {title}.\n\n"
                f"Download it here (the link works once, until "
                f"{timezone.localtime(copy_request.link_expires_at):%Y-%m-%d}):\n{link}\n"
            )
            subject = f"Your copy of {title}"
        else:
            message = (
                f"{partnership.name} cannot send you a copy of {title}.\n\nThe reason: {reason}\n"
            )
            subject = f"Your request for a copy of {title}"
        recipient = copy_request.email
        transaction.on_commit(
            lambda: send_mail(
                subject=subject, message=message, from_email=None, recipient_list=[recipient]
            )
        )
    return copy_request


def copy_link_download(*, actor: Actor, token: str) -> tuple[PublicationDocument, bytes]:
    """Use a link sent on request: once, within 14 days, for the document asked for, checked
    against the SHA-256 the gate passed. The download is logged."""
    link = copy_link_state(token=token)
    if link.state != "valid":
        raise ValidationError([link.state])
    request = link.request
    with transaction.atomic():
        content = stored_file_read(request.document.file, sha256=request.document.sha256)
        claimed = CopyRequest.objects.filter(
            pk=request.pk, link_used_at__isnull=True, link_expires_at__gt=clock.now()
        ).update(link_used_at=clock.now())
        if not claimed:
            raise ValidationError(["used"])
        PublicDownload.objects.create(
            publication=request.publication,
            document=request.document,
            via=DownloadVia.COPY_LINK,
            copy_request=request,
        )
        _audit(actor, request.publication, "copy.downloaded", request=str(request.uuid))
    return request.document, content
