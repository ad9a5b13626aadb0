"""The decision on a referral (DESIGN §2 step 4): the independent chair's, with its rationale,
and when the family, the Panel and Ofsted were told. A decision to review commissions it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from casework import permissions
from casework.models import (
    REVIEW_OUTCOMES,
    Decision,
    Outcome,
    Referral,
    ReferralStatus,
    Review,
)
from casework.services.clocks import clocks_sync, event_date_check
from casework.services.referrals import reference_next
from casework.services.review_clocks import review_clocks_sync
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.clock import today
from tenants.validation import error_add, errors_raise


def decision_record(
    *,
    actor: Actor,
    referral: Referral,
    outcome: str,
    rationale: str,
    decided_on: datetime.date | None,
    family_informed_on: datetime.date | None = None,
    family_informed_how: str = "",
    panel_told_on: datetime.date | None = None,
    ofsted_told_on: datetime.date | None = None,
) -> Decision:
    """The independent chair's decision (DESIGN §2 step 4), with the rationale and how the family
    was told. A decision to review commissions the review, carrying the referral's children,
    agencies and clocks."""
    permissions.require_decider(actor)
    if hasattr(referral, "decision"):
        raise ValidationError({"outcome": ["A decision has already been recorded."]})
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        error_add(errors, "outcome", "Choose the decision.")
    if not (rationale or "").strip():
        error_add(
            errors, "rationale", "Give the rationale: it is communicated, including to the family."
        )
    event_date_check(errors, "decided_on", decided_on, referral.aware_date, "of the decision")
    for field, day in (
        ("family_informed_on", family_informed_on),
        ("panel_told_on", panel_told_on),
        ("ofsted_told_on", ofsted_told_on),
    ):
        if day is not None and decided_on is not None and (day < decided_on or day > today()):
            error_add(
                errors, field, "The date must be on or after the decision, and not in the future."
            )
    if family_informed_on and not (family_informed_how or "").strip():
        error_add(errors, "family_informed_how", "Say how the family was told.")
    errors_raise(errors)
    with transaction.atomic():
        decision = Decision.objects.create(
            referral=referral,
            outcome=outcome,
            rationale=rationale.strip(),
            decided_on=decided_on,
            decided_by=actor.label,
            family_informed_on=family_informed_on,
            family_informed_how=(family_informed_how or "").strip(),
            panel_told_on=panel_told_on,
            ofsted_told_on=ofsted_told_on,
        )
        referral.status = ReferralStatus.DECIDED
        referral.save(update_fields=["status"])
        referral.decision = decision
        audit_event_record(
            actor=actor,
            action="decision.recorded",
            object_type="referral",
            object_ref=referral.reference,
            detail={"outcome": outcome, "decided_on": decided_on.isoformat()},
        )
        if outcome in REVIEW_OUTCOMES:
            review = Review.objects.create(
                reference=reference_next(actor, "casework_review_number", decided_on, "R-"),
                referral=referral,
                review_type=outcome,
                title=f"{Outcome(outcome).label} – referral {referral.reference}",
                commissioned_on=decided_on,
            )
            review.children.set(referral.children.all())
            review.agencies.set([referral.referring_agency, *referral.agencies_involved.all()])
            referral.review = review
            review_clocks_sync(review=review)
            audit_event_record(
                actor=actor,
                action="review.commissioned",
                object_type="review",
                object_ref=review.reference,
                detail={"referral": referral.reference, "type": outcome},
            )
        clocks_sync(referral=referral)
    return decision


def decision_of(referral: Referral) -> Decision:
    try:
        return referral.decision
    except Decision.DoesNotExist:
        raise ValidationError(["No decision has been recorded yet."]) from None


def decision_notices_record(
    *,
    actor: Actor,
    referral: Referral,
    family_informed_on: datetime.date | None,
    family_informed_how: str,
    panel_told_on: datetime.date | None,
    ofsted_told_on: datetime.date | None,
) -> Decision:
    """Record, after the decision, when the family, the Panel and Ofsted were told."""
    permissions.require_decision_notices_recorder(actor)
    decision = decision_of(referral)
    errors: dict[str, list[str]] = {}
    for field, day in (
        ("family_informed_on", family_informed_on),
        ("panel_told_on", panel_told_on),
        ("ofsted_told_on", ofsted_told_on),
    ):
        if day is not None and (day < decision.decided_on or day > today()):
            error_add(
                errors, field, "The date must be on or after the decision, and not in the future."
            )
    if family_informed_on and not (family_informed_how or "").strip():
        error_add(errors, "family_informed_how", "Say how the family was told.")
    errors_raise(errors)
    with transaction.atomic():
        decision.family_informed_on = family_informed_on
        decision.family_informed_how = (family_informed_how or "").strip()
        decision.panel_told_on = panel_told_on
        decision.ofsted_told_on = ofsted_told_on
        decision.save()
        clocks_sync(referral=referral)
        audit_event_record(
            actor=actor,
            action="decision.notices_recorded",
            object_type="referral",
            object_ref=referral.reference,
        )
    return decision
