"""The audit row about a review (DESIGN §5), written by the services for each change and by the
selectors for each read: the review named by its reference, the rest in ``detail``."""

from casework.models import Review
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record


def review_audit(actor: Actor, review: Review, what: str, **detail) -> None:
    audit_event_record(
        actor=actor,
        action=what,
        object_type="review",
        object_ref=review.reference,
        detail=detail,
    )
