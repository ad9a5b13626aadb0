"""Reads of publications, in the partnership's own schema. The review group (business manager,
chair, review group members) sees every publication; a lead reviewer those of the reviews they
are appointed to; agencies none. Missing and not-yours are the same 404.

The public's pages read the national library (``publishing.library.selectors``), not these.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from casework.models import Review, ReviewerAppointment
from casework.working_days import add_working_days
from publishing.audit import publication_audit
from publishing.models import (
    PUBLIC_STATES,
    BriefingNote,
    ChairStatement,
    CopyRequest,
    CopyRequestStatus,
    DocumentKind,
    GateHit,
    GateOutcome,
    GateRun,
    GateState,
    Publication,
    PublicationDocument,
    PublicationState,
)
from publishing.notice import NOTICE_WORKING_DAYS
from publishing.permissions import (
    may_decide_copy_requests,
    may_see_appointed_publications,
    may_see_every_publication,
    may_start_publication,
    require_see_publications,
)
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.clock import now, today
from tenants.validation import found_or_404, uuid_or_404, uuid_parse


def _appointed_reviews(actor: Actor) -> QuerySet[Review]:
    live = ReviewerAppointment.objects.filter(
        review=OuterRef("pk"),
        profile__user_uuid=actor.user.uuid,
        ended_on__isnull=True,
        appointed_on__lte=today(),
    )
    return Review.objects.filter(Exists(live))


def _visible(actor: Actor) -> QuerySet[Publication]:
    publications = Publication.objects.all()
    if may_see_every_publication(actor):
        return publications
    if may_see_appointed_publications(actor):
        return publications.filter(review__in=_appointed_reviews(actor))
    return publications.none()


def access_publication(*, actor: Actor, publication_uuid) -> Publication:
    return found_or_404(
        _visible(actor)
        .select_related("review", "public_record_run")
        .filter(uuid=uuid_or_404(publication_uuid))
        .first(),
        "No such publication.",
    )


def publication_for_action(*, actor: Actor, publication_uuid) -> Publication:
    """The publication a page posts to (or reads a part of). Its visibility decides alone:
    anyone who may not see it, an agency's user included, gets the 404 of a publication that
    is not there, never a 403 saying that it is (``tests/test_ownership.py``)."""
    return access_publication(actor=actor, publication_uuid=publication_uuid)


def publication_for_page(*, actor: Actor, publication_uuid) -> Publication:
    """The publication with what its page shows (``publication_for_action``); the read is
    audited."""
    publication = publication_for_action(actor=actor, publication_uuid=publication_uuid)
    publication_audit(actor, publication, "publication.viewed")
    return publication


def publication_list(*, actor: Actor) -> QuerySet[Publication]:
    """The partnership's publications, newest first, each with its review (one query)."""
    return _visible(actor).select_related("review").order_by("-created_at", "-id")


def publications_for_page(*, actor: Actor) -> list[Publication]:
    """The list of publications (``publication_list``), for the review group and the reviewers
    (a 403 for anyone else); the read is audited."""
    require_see_publications(actor)
    publications = list(publication_list(actor=actor))
    audit_event_record(
        actor=actor,
        action="publications.listed",
        object_type="publication",
        detail={"count": len(publications)},
    )
    return publications


def reviews_ready_to_publish(*, actor: Actor) -> QuerySet[Review]:
    """Completed reviews with no publication yet: what the business manager can start from."""
    if not may_start_publication(actor):
        return Review.objects.none()
    return Review.objects.filter(stage="completed", publication__isnull=True).order_by(
        "-commissioned_on", "-id"
    )


def current_documents(*, publication: Publication) -> list[PublicationDocument]:
    """The latest version of each kind of document, in the order of ``DocumentKind``."""
    latest: dict[str, PublicationDocument] = {}
    for document in publication.documents.order_by("kind", "-version"):
        latest.setdefault(document.kind, document)
    order = list(DocumentKind.values)
    return sorted(latest.values(), key=lambda d: order.index(d.kind))


def public_documents(*, publication: Publication) -> list[PublicationDocument]:
    """The versions the public gets (set when the publication went out)."""
    order = list(DocumentKind.values)
    return sorted(publication.documents.filter(is_public=True), key=lambda d: order.index(d.kind))


def latest_run(*, publication: Publication, document: PublicationDocument | None) -> GateRun | None:
    runs = (
        publication.runs.filter(document=document)
        if document
        else publication.runs.filter(document__isnull=True)
    )
    return (
        runs.annotate(
            open_hits=Count("hits", filter=Q(hits__accepted_at__isnull=True)),
            hit_count=Count("hits"),
        )
        .order_by("-queued_at", "-id")
        .first()
    )


def run_passed(run: GateRun | None, sha256: str) -> bool:
    """A run lets its subject through when it checked these very bytes (or this very record),
    could read all of it, and every hit is fixed or accepted."""
    if run is None or run.state != GateState.DONE or run.sha256 != sha256:
        return False
    if run.outcome == GateOutcome.CLEAR:
        return True
    return run.outcome == GateOutcome.HITS and getattr(run, "open_hits", None) == 0


def record_snapshot(publication: Publication, statements=None) -> dict:
    """The public record as it stands, in the form the gate checks and the library copies."""
    statements = statements if statements is not None else list(publication.chair_statements.all())
    return {
        "title": publication.title,
        "pseudonyms": list(publication.pseudonyms),
        "review_type": publication.review_type,
        "commissioned_month": publication.commissioned_month.isoformat()
        if publication.commissioned_month
        else None,
        "incident_month": publication.incident_month.isoformat()
        if publication.incident_month
        else None,
        "summary": publication.summary,
        "themes": list(publication.themes),
        "age_bands": list(publication.age_bands),
        "improvements": publication.improvements,
        "chair_statements": [
            {
                "partnership_key": s.partnership_key,
                "partnership_name": s.partnership_name,
                "name": s.chair_name,
                "role": s.chair_role,
                "text": s.text,
            }
            for s in statements
        ],
    }


def snapshot_sha256(snapshot: dict) -> str:
    import json

    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Check:
    """One subject of the gate (the public record, or a document's current version) and how
    its latest run stands."""

    subject: str
    document: PublicationDocument | None
    run: GateRun | None
    passed: bool
    problem: str = ""


@dataclass
class Readiness:
    checks: list[Check] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def record_run(self) -> GateRun | None:
        return self.checks[0].run if self.checks else None


def _problem(subject: str, run: GateRun | None, sha256: str) -> str:
    if run is None or run.sha256 != sha256:
        return f"{subject} has not been checked since it last changed."
    if run.state != GateState.DONE:
        return f"{subject} is being checked."
    if run.outcome == GateOutcome.UNREADABLE:
        return f"{subject} cannot be checked: {run.message}"
    count = getattr(run, "open_hits", 0)
    return (
        f"{subject}: {count} possible identifier{'s' if count != 1 else ''} to resolve "
        "(upload a corrected version, or the chair accepts each with a reason)."
    )


def publication_readiness(*, publication: Publication) -> Readiness:
    """What stands between the publication and the public: the anonymisation gate must have
    passed the public record and the current version of every document (DESIGN §5: a published
    document is byte for byte what the gate checked), and there must be a report (or, before
    2013, an executive summary) to publish."""
    readiness = Readiness()
    record_sha = snapshot_sha256(record_snapshot(publication))
    run = latest_run(publication=publication, document=None)
    passed = run_passed(run, record_sha)
    readiness.checks.append(
        Check(
            "The public record",
            None,
            run,
            passed,
            "" if passed else _problem("The public record", run, record_sha),
        )
    )
    documents = current_documents(publication=publication)
    for document in documents:
        run = latest_run(publication=publication, document=document)
        passed = run_passed(run, document.sha256)
        subject = f"The {document.get_kind_display().lower()}"
        readiness.checks.append(
            Check(
                subject,
                document,
                run,
                passed,
                ""
                if passed
                else _problem(f"{subject} (version {document.version})", run, document.sha256),
            )
        )
    readiness.missing = [check.problem for check in readiness.checks if not check.passed]
    kinds = {document.kind for document in documents}
    if publication.summary_only:
        if DocumentKind.EXECUTIVE_SUMMARY not in kinds:
            readiness.missing.append("Upload the executive summary.")
    elif not kinds & {DocumentKind.FULL_REPORT, DocumentKind.EXECUTIVE_SUMMARY}:
        readiness.missing.append("Upload the full report (or its executive summary).")
    if not publication.title.strip():
        readiness.missing.append("Give the publication its public title.")
    return readiness


def runs_for_page(*, publication: Publication) -> list[GateRun]:
    """Every run of the gate on the publication, newest first, with its hits: the redaction
    log."""
    return list(
        publication.runs.select_related("document")
        .prefetch_related(Prefetch("hits", queryset=GateHit.objects.order_by("position")))
        .annotate(open_hits=Count("hits", filter=Q(hits__accepted_at__isnull=True)))
        .order_by("-queued_at", "-id")
    )


def redaction_log_for_page(*, actor: Actor, publication: Publication) -> list[GateRun]:
    """The redaction log (``runs_for_page``: every run and what it found, in context); the read
    is audited."""
    runs = runs_for_page(publication=publication)
    publication_audit(actor, publication, "redaction_log.viewed", runs=len(runs))
    return runs


def access_gate_run(*, publication: Publication, run_uuid) -> GateRun:
    return found_or_404(
        publication.runs.select_related("document")
        .annotate(open_hits=Count("hits", filter=Q(hits__accepted_at__isnull=True)))
        .filter(uuid=uuid_or_404(run_uuid))
        .first(),
        "No such check.",
    )


def gate_run_for_page(*, actor: Actor, publication: Publication, run_uuid) -> GateRun:
    """A run of the gate, as its progress shows it (polled while the gate works); each read is
    audited."""
    run = access_gate_run(publication=publication, run_uuid=run_uuid)
    publication_audit(actor, publication, "gate_run.viewed", run=str(run.uuid))
    return run


def access_gate_hit(*, publication: Publication, hit_uuid) -> GateHit:
    return found_or_404(
        GateHit.objects.select_related("run", "run__document")
        .filter(run__publication=publication, uuid=uuid_or_404(hit_uuid))
        .first(),
        "No such finding.",
    )


def publication_document_for_download(
    *, actor: Actor, publication: Publication, document_uuid
) -> PublicationDocument:
    """A document of a publication the actor may see; the download is audited."""
    document = found_or_404(
        publication.documents.filter(uuid=uuid_or_404(document_uuid)).first(), "No such document."
    )
    publication_audit(
        actor,
        publication,
        "publication_document.downloaded",
        document=str(document.uuid),
        version=document.version,
    )
    return document


def briefing_for(*, publication: Publication) -> BriefingNote:
    """The briefing's text as saved, or (not saved yet) drafted from the public record."""
    found = BriefingNote.objects.filter(publication=publication).first()
    if found is not None:
        return found
    return BriefingNote(publication=publication, background=publication.summary)


def statements_of(*, publication: Publication) -> list[ChairStatement]:
    return list(publication.chair_statements.order_by("written_at", "id"))


def publication_ready_on(*, publication: Publication) -> datetime.date | None:
    """The day the publication was ready to be sent ahead of publication, when the first version
    of its full report (or executive summary) was uploaded, in England's time; None without one.
    The notice *is* the report going out: it cannot be dated before."""
    first = (
        publication.documents.filter(
            kind__in=(DocumentKind.FULL_REPORT, DocumentKind.EXECUTIVE_SUMMARY)
        )
        .order_by("uploaded_at")
        .values_list("uploaded_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def earliest_publication_date(*, publication: Publication) -> datetime.date | None:
    """Seven working days after the last of the notices to the Panel, the Secretary of State
    and Ofsted; None until all three are recorded."""
    sent = [
        publication.panel_sent_on,
        publication.secretary_of_state_sent_on,
        publication.ofsted_sent_on,
    ]
    if any(day is None for day in sent):
        return None
    return add_working_days(max(sent), NOTICE_WORKING_DAYS)


# --- Requests for copies -----------------------------------------------------------------------


def copy_requests_list(*, actor: Actor, status: str = "") -> QuerySet[CopyRequest]:
    """Every request for a copy, waiting ones first; the business manager's."""
    if not may_decide_copy_requests(actor):
        raise Http404("No such page.")
    requests = CopyRequest.objects.select_related("publication", "document")
    if status:
        requests = requests.filter(status=status)
    audit_event_record(
        actor=actor,
        action="copy_requests.viewed",
        object_type="copy_request",
        detail={"status": status} if status else {},
    )
    waiting_first = Case(When(status=CopyRequestStatus.PENDING, then=Value(0)), default=Value(1))
    return requests.order_by(waiting_first, "-received_at", "-id")


def access_copy_request(*, actor: Actor, request_uuid) -> CopyRequest:
    if not may_decide_copy_requests(actor):
        raise Http404("No such request.")
    return found_or_404(
        CopyRequest.objects.select_related("publication", "document")
        .filter(uuid=uuid_or_404(request_uuid))
        .first(),
        "No such request.",
    )


def copy_request_for_page(*, actor: Actor, request_uuid) -> CopyRequest:
    """A request for a copy (who asked, why, and its downloads), for the business manager; the
    read is audited."""
    found = access_copy_request(actor=actor, request_uuid=request_uuid)
    audit_event_record(
        actor=actor,
        action="copy_request.viewed",
        object_type="copy_request",
        object_ref=str(found.uuid),
    )
    return found


def copy_requests_waiting(*, actor: Actor) -> int:
    if not may_decide_copy_requests(actor):
        return 0
    return CopyRequest.objects.filter(status=CopyRequestStatus.PENDING).count()


@dataclass
class CopyLink:
    """What a link sent on request leads to now."""

    state: str  # valid, used, expired, unknown
    request: CopyRequest | None = None


def copy_link_state(*, token: str) -> CopyLink:
    if not token or len(token) > 100:
        return CopyLink("unknown")
    digest = hashlib.sha256(token.encode()).hexdigest()
    found = (
        CopyRequest.objects.select_related("publication", "document")
        .filter(token_sha256=digest, status=CopyRequestStatus.APPROVED)
        .first()
    )
    if found is None:
        return CopyLink("unknown")
    if found.link_used_at is not None:
        return CopyLink("used", found)
    if found.link_expires_at is None or found.link_expires_at <= now():
        return CopyLink("expired", found)
    return CopyLink("valid", found)


# --- The public ---------------------------------------------------------------------------------


def public_publication(*, publication_uuid) -> Publication | None:
    """A publication of this partnership that the public may see, or None."""
    value = uuid_parse(publication_uuid)
    if value is None:
        return None
    return Publication.objects.filter(uuid=value, state__in=PUBLIC_STATES).first()


def publication_is_online(publication: Publication) -> bool:
    return publication.state == PublicationState.PUBLISHED
