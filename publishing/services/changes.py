"""What every change to a publication shares (DESIGN §2 step 7, §5): its audit row, written in
the same transaction and naming objects by UUID, never by an identifier the gate looks for; the
rule that a withdrawn publication is not changed until it is reopened; the return to draft of a
ready or scheduled publication whose checked content changed; and the request to the gate to
check it again (the task is sent when the transaction commits).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from publishing.audit import publication_audit
from publishing.models import GateRun, Publication, PublicationDocument, PublicationState
from publishing.selectors import current_documents, record_snapshot, snapshot_sha256
from tenants.actors import Actor

# The longest the public record's texts may be (the gate reads them; the library shows them).
TEXT_LIMITS = {"title": 200, "summary": 6000, "improvements": 6000, "statement": 4000}


def publication_editable_check(publication: Publication) -> None:
    if publication.state == PublicationState.WITHDRAWN:
        raise ValidationError(["This publication is withdrawn: reopen it to change it."])


def publication_back_to_draft(actor: Actor, publication: Publication, why: str) -> None:
    """A change to what the gate passed returns a ready or scheduled publication to draft: it
    must pass again, and be scheduled again."""
    if publication.state in (PublicationState.READY, PublicationState.SCHEDULED):
        was = publication.state
        publication.state = PublicationState.DRAFT
        publication.scheduled_for = None
        publication.save(update_fields=["state", "scheduled_for"])
        publication_audit(actor, publication, "publication.back_to_draft", was=was, because=why)


def gate_request(
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


def record_check_request(actor: Actor, publication: Publication) -> GateRun:
    return gate_request(actor, publication, None)


def gate_recheck_everything(actor: Actor, publication: Publication) -> None:
    """The identifiers changed: every current subject is checked again."""
    publication_back_to_draft(actor, publication, "identifiers changed")
    record_check_request(actor, publication)
    for document in current_documents(publication=publication):
        gate_request(actor, publication, document)
