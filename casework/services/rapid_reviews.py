"""The rapid review (DESIGN §2 step 3, Working Together 2023 ch. 5: within 15 working days of the
notification): the agencies' contributions, the group's account, sending it to the Panel and the
Panel's answer."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from casework import permissions, steps
from casework.audit import referral_audit
from casework.models import (
    ContributionRequest,
    PanelResponse,
    RapidReview,
    Referral,
)
from casework.services.clocks import clocks_sync, event_date_check
from casework.working_days import add_working_days
from tenants.actors import Actor
from tenants.agencies.models import Agency
from tenants.clock import now, today
from tenants.validation import error_add, errors_raise

CONTRIBUTION_MAX_LENGTH = 20_000  # each of a rapid-review contribution's three answers
CONTRIBUTION_WORKING_DAYS = 5


def rapid_review_start(*, actor: Actor, referral: Referral, agencies: list[Agency]) -> RapidReview:
    """Start the rapid review and ask each agency for its contribution (facts, involvement,
    immediate safety actions), due in 5 working days or by the rapid review's own due date."""
    permissions.require_rapid_reviewer(actor)
    step = steps.step_check(referral, "start_rapid_review")
    with transaction.atomic():
        rapid_review = RapidReview.objects.create(referral=referral, started_on=today())
        referral.rapid_review = rapid_review
        steps.step_take(referral, step)
        referral_audit(actor, referral, "rapid_review.started")
        contribution_requests_add(actor=actor, referral=referral, agencies=agencies)
    return rapid_review


def rapid_review_of(referral: Referral) -> RapidReview:
    try:
        return referral.rapid_review
    except RapidReview.DoesNotExist:
        raise ValidationError(["The rapid review has not started."]) from None


def contribution_requests_add(
    *, actor: Actor, referral: Referral, agencies: list[Agency]
) -> list[ContributionRequest]:
    permissions.require_rapid_reviewer(actor)
    rapid_review = rapid_review_of(referral)
    if rapid_review.sent_to_panel_on:
        raise ValidationError({"agencies": ["The rapid review has been sent to the Panel."]})
    asked = set(rapid_review.contribution_requests.values_list("agency_id", flat=True))
    now = today()
    due = add_working_days(now, CONTRIBUTION_WORKING_DAYS)
    clock = referral.clocks.filter(name="rapid_review").first()
    if clock is not None and clock.due < due:
        due = max(now, clock.due)
    created = []
    with transaction.atomic():
        for agency in agencies:
            if agency.pk in asked:
                continue
            created.append(
                ContributionRequest.objects.create(
                    rapid_review=rapid_review, agency=agency, requested_on=now, due=due
                )
            )
            referral_audit(
                actor, referral, "contribution.requested", agency=agency.name, due=due.isoformat()
            )
    return created


def contribution_submit(
    *,
    actor: Actor,
    request: ContributionRequest,
    facts: str,
    involvement: str,
    immediate_safety_actions: str,
) -> ContributionRequest:
    """An agency's rapid-review contribution, by its users or its system. It may be amended
    until the rapid review goes to the Panel."""
    permissions.require_contributor(actor, request)
    if request.rapid_review.sent_to_panel_on:
        raise ValidationError(["The rapid review has already been sent to the Panel."])
    errors: dict[str, list[str]] = {}
    if not (facts or "").strip():
        error_add(errors, "facts", "Give the facts as your agency knows them.")
    if not (involvement or "").strip():
        error_add(
            errors, "involvement", "Describe your agency's involvement with the child and family."
        )
    for name, text in (
        ("facts", facts),
        ("involvement", involvement),
        ("immediate_safety_actions", immediate_safety_actions),
    ):
        if len(text or "") > CONTRIBUTION_MAX_LENGTH:
            error_add(errors, name, f"Keep this to {CONTRIBUTION_MAX_LENGTH:,} characters.")
    errors_raise(errors)
    first = request.submitted_at is None
    with transaction.atomic():
        request.facts = facts.strip()
        request.involvement = involvement.strip()
        request.immediate_safety_actions = (immediate_safety_actions or "").strip()
        request.submitted_by = actor.label
        request.submitted_at = now()
        request.save()
        referral_audit(
            actor,
            request.rapid_review.referral,
            "contribution.submitted" if first else "contribution.changed",
            agency=request.agency.name,
        )
    return request


def rapid_review_update(
    *,
    actor: Actor,
    referral: Referral,
    immediate_actions: str,
    potential_improvements: str,
    racism_inequality_disability: str,
    recommended_next_step: str,
) -> RapidReview:
    permissions.require_rapid_reviewer(actor)
    rapid_review = rapid_review_of(referral)
    if rapid_review.sent_to_panel_on:
        raise ValidationError(["The rapid review has been sent to the Panel and is closed."])
    if recommended_next_step and recommended_next_step not in steps.rapid_review_next_steps(
        referral
    ):
        raise ValidationError({"recommended_next_step": ["Choose a next step."]})
    with transaction.atomic():
        rapid_review.immediate_actions = (immediate_actions or "").strip()
        rapid_review.potential_improvements = (potential_improvements or "").strip()
        rapid_review.racism_inequality_disability = (racism_inequality_disability or "").strip()
        rapid_review.recommended_next_step = recommended_next_step or ""
        rapid_review.save()
        referral_audit(actor, referral, "rapid_review.changed")
    return rapid_review


def rapid_review_send(
    *, actor: Actor, referral: Referral, sent_on: datetime.date | None
) -> RapidReview:
    """Record that the completed rapid review went to the Panel. It needs every part written and
    a recommended next step; that stops the rapid review's clock."""
    permissions.require_rapid_review_sender(actor)
    step = steps.step_check(referral, "send_rapid_review")
    rapid_review = rapid_review_of(referral)
    errors: dict[str, list[str]] = {}
    for field, what in (
        ("immediate_actions", "the immediate actions taken"),
        ("potential_improvements", "the potential improvements"),
        ("racism_inequality_disability", "the effects of racism, inequality and disability"),
        ("recommended_next_step", "the recommended next step"),
    ):
        if not getattr(rapid_review, field):
            error_add(errors, field, f"Record {what} before sending the rapid review.")
    # It may have begun before it was recorded here, so the floor is the notification.
    floor = referral.panel_notified_on or referral.aware_date
    event_date_check(errors, "sent_on", sent_on, floor, "it was sent")
    errors_raise(errors)
    with transaction.atomic():
        rapid_review.sent_to_panel_on = sent_on
        rapid_review.save(update_fields=["sent_to_panel_on"])
        steps.step_take(referral, step)
        clocks_sync(referral=referral)
        missing = [
            r.agency.name for r in rapid_review.contribution_requests.all() if not r.received
        ]
        referral_audit(
            actor,
            referral,
            "rapid_review.sent",
            sent_on=sent_on.isoformat(),
            contributions_missing=missing,
        )
    return rapid_review


def panel_response_record(
    *,
    actor: Actor,
    referral: Referral,
    kind: str,
    response: str,
    responded_on: datetime.date | None,
) -> RapidReview:
    """The Panel's answer to the rapid review (Working Together 2018 ch. 4 / 2023 ch. 5): it
    agrees or disagrees with the recommendation, will commission a national review, or asks for
    more information (the referral then still waits for its answer)."""
    permissions.require_rapid_reviewer(actor)
    if kind not in PanelResponse.values:
        raise ValidationError({"kind": ["Choose what the Panel said."]})
    more = kind == PanelResponse.MORE_INFORMATION
    step = steps.step_check(referral, "panel_asks_more" if more else "panel_answers")
    rapid_review = rapid_review_of(referral)
    errors: dict[str, list[str]] = {}
    event_date_check(
        errors, "responded_on", responded_on, rapid_review.sent_to_panel_on, "the Panel answered"
    )
    if len(response or "") > CONTRIBUTION_MAX_LENGTH:
        error_add(errors, "response", f"Keep this to {CONTRIBUTION_MAX_LENGTH:,} characters.")
    if more and not (response or "").strip():
        error_add(errors, "response", "Record what more the Panel asked for.")
    errors_raise(errors)
    with transaction.atomic():
        rapid_review.panel_response_kind = kind
        rapid_review.panel_response = (response or "").strip()
        rapid_review.panel_responded_on = responded_on
        rapid_review.save(
            update_fields=["panel_response_kind", "panel_response", "panel_responded_on"]
        )
        steps.step_take(referral, step)
        referral_audit(
            actor,
            referral,
            "panel_response.recorded",
            kind=kind,
            responded_on=responded_on.isoformat(),
        )
    return rapid_review
