"""Runs of the anonymisation gate (DESIGN §5): the task's work on one subject (the public record
or a document's version), carrying over the chair's acceptances of the same finding in the same
context, the sweeper that loses no run, the chair's acceptance of a finding, and the readiness
that follows (a draft whose every subject has passed is ready).

The reading and matching themselves are pure functions, in ``publishing.gate``.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from publishing import gate
from publishing.models import (
    PUBLIC_STATES,
    GateHit,
    GateOutcome,
    GateRun,
    GateState,
    Publication,
    PublicationDocument,
    PublicationState,
)
from publishing.permissions import require_accept_finding, require_prepare_publication
from publishing.selectors import latest_run, publication_readiness
from publishing.services import documents
from publishing.services.changes import gate_request, publication_audit, publication_editable_check
from publishing.services.identifiers import gate_identifiers
from publishing.services.library_door import library_sync
from tenants import clock
from tenants.actors import Actor
from tenants.files import StoredFileAltered, stored_file_read

# A run started this many times without finishing is given up (a file that crashes the reader).
GATE_MAX_ATTEMPTS = 3


def gate_run_again(
    *, actor: Actor, publication: Publication, document: PublicationDocument | None
) -> GateRun:
    """Check a document (or the record) again, e.g. after a run was interrupted."""
    require_prepare_publication(actor, publication)
    publication_editable_check(publication)
    with transaction.atomic():
        run = gate_request(actor, publication, document)
        publication_audit(actor, publication, "gate.requested", run=str(run.uuid))
    return run


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
                    max_pages=documents.DOCUMENT_MAX_PAGES,
                    limits=documents.gate_limits(),
                    ocr=documents.gate_ocr_rule(),
                )
            except gate.UnreadableDocument as error:
                outcome, message = GateOutcome.UNREADABLE, f"{error}."
            else:
                pages = extraction.pages
                hits = gate.check(extraction, matcher)
                if extraction.unreadable:
                    outcome = GateOutcome.UNREADABLE
                    message = documents.unreadable_message(extraction)
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
        publication_audit(
            actor,
            publication,
            "gate.finished",
            run=str(locked.uuid),
            subject="record" if locked.document_id is None else locked.document.kind,
            outcome=outcome,
            hits=len(rows),
            carried_acceptances=carried_count,
        )
        readiness_refresh(actor, Publication.objects.select_for_update().get(pk=publication.pk))
    return locked


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
                publication_audit(actor, run.publication, "gate.sent_again", run=str(run.uuid))
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
    publication = hit.run.publication
    require_accept_finding(actor, publication)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": ["Write why this can be published as it is."]})
    if len(reason) > 2000:
        raise ValidationError({"reason": ["Keep the reason to 2,000 characters."]})
    publication_editable_check(publication)
    newest = latest_run(publication=publication, document=hit.run.document)
    if newest is None or newest.pk != hit.run_id:
        raise ValidationError({"reason": ["A newer check has replaced this one."]})
    with transaction.atomic():
        if not GateHit.objects.filter(pk=hit.pk, accepted_at__isnull=True).update(
            accepted_reason=reason, accepted_by=actor.label, accepted_at=clock.now()
        ):
            raise ValidationError({"reason": ["This has already been accepted."]})
        hit.refresh_from_db()
        publication_audit(
            actor, publication, "gate.hit_accepted", run=str(hit.run.uuid), hit=str(hit.uuid)
        )
        readiness_refresh(actor, Publication.objects.select_for_update().get(pk=publication.pk))
    return hit


def readiness_refresh(actor: Actor, publication: Publication) -> None:
    """After a check: a draft whose every subject has passed is ready (and a ready one that no
    longer passes is a draft); a public one shows its record's newest passed version."""
    readiness = publication_readiness(publication=publication)
    if publication.state == PublicationState.DRAFT and readiness.ready:
        publication.state = PublicationState.READY
        publication.save(update_fields=["state"])
        publication_audit(actor, publication, "publication.ready")
    elif publication.state == PublicationState.READY and not readiness.ready:
        publication.state = PublicationState.DRAFT
        publication.save(update_fields=["state"])
    elif publication.state in PUBLIC_STATES:
        check = readiness.checks[0]
        if check.passed and check.run.pk != publication.public_record_run_id:
            publication.public_record_run = check.run
            publication.save(update_fields=["public_record_run"])
            publication_audit(
                actor, publication, "publication.public_record_updated", run=str(check.run.uuid)
            )
            library_sync(publication)
