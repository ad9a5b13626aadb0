"""The audit row about a publication (DESIGN §5), written by the services for each change and
by the selectors for each read: the publication named by its UUID, never by an identifier the
gate looks for; the rest in ``detail``."""

from publishing.models import Publication
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record


def publication_audit(actor: Actor, publication: Publication, what: str, **detail) -> None:
    audit_event_record(
        actor=actor,
        action=what,
        object_type="publication",
        object_ref=str(publication.uuid),
        detail=detail,
    )
