"""The audit row about a referral or a review (DESIGN §5), written by the services for each
change and by the selectors for each read: the object named by its reference, the rest in
``detail``."""

from casework.models import Referral, Review
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record


def review_audit(actor: Actor, review: Review, what: str, **detail) -> None:
    _row(actor, "review", review.reference, what, detail)


def referral_audit(actor: Actor, referral: Referral, what: str, **detail) -> None:
    _row(actor, "referral", referral.reference, what, detail)


def _row(actor: Actor, object_type: str, reference: str, what: str, detail: dict) -> None:
    audit_event_record(
        actor=actor, action=what, object_type=object_type, object_ref=reference, detail=detail
    )
