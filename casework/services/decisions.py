"""The decision on a referral (DESIGN §2 step 4): the independent chair's, with its rationale,
and when the family, the Panel, Ofsted and the Department were told (the decision then
communicated). A decision to review commissions it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from casework import permissions, steps
from casework.audit import referral_audit, review_audit
from casework.models import (
    REVIEW_OUTCOMES,
    Decision,
    Outcome,
    Referral,
    ReferralStatus,
    Review,
)
from casework.services.clocks import clocks_sync, decision_told_dates, event_date_check
from casework.services.referrals import reference_next
from casework.services.review_clocks import review_clocks_sync
from tenants.actors import Actor
from tenants.clock import today
from tenants.validation import error_add, errors_raise


def _notices(family_on, family_how, panel_on, ofsted_on, department_on) -> dict:
    """The dates the family, the Panel, Ofsted and the Department were told, and how the family
    was: the decision's fields of that name."""
    return {
        "family_informed_on": family_on,
        "family_informed_how": (family_how or "").strip(),
        "panel_told_on": panel_on,
        "ofsted_told_on": ofsted_on,
        "department_told_on": department_on,
    }


def _notices_check(errors, decided_on, *, family_informed_how, **days):
    """Each date on or after the decision and not in the future; how the family was told."""
    for field, day in days.items():
        if day is not None and decided_on is not None and (day < decided_on or day > today()):
            error_add(
                errors, field, "The date must be on or after the decision, and not in the future."
            )
    if days["family_informed_on"] and not (family_informed_how or "").strip():
        error_add(errors, "family_informed_how", "Say how the family was told.")


def _communicated(actor: Actor, referral: Referral, decision: Decision) -> None:
    """Once everyone the regime names has been told, the decision is communicated: that step
    is taken (it stops the decision-notice clock)."""
    if referral.status == ReferralStatus.DECIDED and all(
        decision_told_dates(referral.regime, decision)
    ):
        steps.step_take(referral, steps.step_check(referral, "communicate_decision"))
        referral_audit(actor, referral, "decision.communicated")


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
    department_told_on: datetime.date | None = None,
    exception_reason: str = "",
) -> Decision:
    """The independent chair's decision (DESIGN §2 step 4), with the rationale and how the family
    was told. It follows the Panel's response (2018 on), or comes earlier with the chair's
    reason, audited (``casework.steps``). A decision to review commissions the review of that
    type (2015: a serious case review), carrying the referral's children, agencies and clocks;
    no review stops the open clocks."""
    permissions.require_decider(actor)
    if hasattr(referral, "decision"):
        raise ValidationError({"outcome": ["A decision has already been recorded."]})
    step = steps.step_check(referral, "decide", exception_reason=exception_reason)
    errors: dict[str, list[str]] = {}
    allowed = steps.decision_outcomes(referral)
    if outcome == Outcome.NATIONAL_REVIEW and outcome not in allowed:
        error_add(
            errors,
            "outcome",
            "A national review is the Panel's decision: record its response saying it will "
            "commission one.",
        )
    elif outcome not in allowed:
        error_add(errors, "outcome", "Choose the decision.")
    if not (rationale or "").strip():
        error_add(
            errors, "rationale", "Give the rationale: it is communicated, including to the family."
        )
    event_date_check(errors, "decided_on", decided_on, referral.aware_date, "of the decision")
    notices = _notices(
        family_informed_on, family_informed_how, panel_told_on, ofsted_told_on, department_told_on
    )
    _notices_check(errors, decided_on, **notices)
    errors_raise(errors)
    with transaction.atomic():
        decision = Decision.objects.create(
            referral=referral,
            outcome=outcome,
            rationale=rationale.strip(),
            decided_on=decided_on,
            decided_by=actor.label,
            **notices,
            exception_reason=exception_reason.strip() if step.excepted else "",
        )
        steps.step_take(referral, step)
        referral.decision = decision
        referral_audit(
            actor,
            referral,
            "decision.recorded",
            outcome=outcome,
            decided_on=decided_on.isoformat(),
            before_the_panel_answered=step.excepted,
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
            review_audit(
                actor, review, "review.commissioned", referral=referral.reference, type=outcome
            )
        _communicated(actor, referral, decision)
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
    department_told_on: datetime.date | None = None,
) -> Decision:
    """Record, after the decision, when the family, the Panel, Ofsted and (from 2018) the
    Department were told; once all are, the decision is communicated."""
    permissions.require_decision_notices_recorder(actor)
    decision = decision_of(referral)
    notices = _notices(
        family_informed_on, family_informed_how, panel_told_on, ofsted_told_on, department_told_on
    )
    errors: dict[str, list[str]] = {}
    _notices_check(errors, decision.decided_on, **notices)
    errors_raise(errors)
    with transaction.atomic():
        for field, value in notices.items():
            setattr(decision, field, value)
        decision.save()
        referral_audit(actor, referral, "decision.notices_recorded")
        _communicated(actor, referral, decision)
        clocks_sync(referral=referral)
    return decision
