"""Reviews (DESIGN §2 step 5): commissioning a thematic review, moving a review from stage to
stage (each stage's prerequisites are named checks, listed by the review type in
``casework.processes``) and the chair's sign-off. ``review_audit`` and ``agency_check`` serve
every review service."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from casework import permissions
from casework.audit import review_audit
from casework.joint import selectors as joint_selectors
from casework.models import (
    InformationRequest,
    PartnershipSignOff,
    Review,
)
from casework.processes import (
    REVIEW_TYPES,
)
from casework.services.referrals import reference_next
from casework.services.review_clocks import review_clocks_sync
from tenants.actors import Actor
from tenants.clock import now, today
from tenants.validation import error_add, errors_raise


def agency_check(actor: Actor, review: Review, agency, errors: dict, field: str) -> None:
    if agency is not None and not permissions.agency_in_reach(actor, review, agency):
        error_add(errors, field, "Choose one of your partnership's agencies.")


# --- Stages ------------------------------------------------------------------------------------


def _missing_reviewer(review):
    if not review.appointments.filter(ended_on__isnull=True).exists():
        return "Appoint a lead reviewer."
    return None


def _missing_terms(review):
    if not review.terms.filter(signed_off_at__isnull=False).exists():
        return "The terms of reference have not been signed off."
    return None


def _missing_requests(review):
    if not review.information_requests.exists():
        return "Ask the agencies involved for their information."
    return None


def _missing_information(review):
    waiting = review.information_requests.filter(status=InformationRequest.Status.OPEN)
    names = sorted({request.agency.name for request in waiting.select_related("agency")})
    if names:
        return "Information is still outstanding from " + ", ".join(names) + "."
    return None


def _missing_chronology(review):
    if not review.chronology.filter(is_current=True).exists():
        return "The chronology has no entries."
    return None


def _missing_findings(review):
    return None if review.findings.exists() else "Record at least one finding."


def _missing_recommendations(review):
    return None if review.recommendations.exists() else "Record at least one recommendation."


def _missing_draft(review):
    if not review.documents.filter(kind="draft_report").exists():
        return "Upload the draft report."
    return None


def _missing_chair(review):
    """The lead's chair, and in a joint review each taking part's chair as well (the issue:
    "sign-off needs each participant's chair")."""
    if not review.chair_signed_off_at:
        return "The chair has not signed the report off."
    signing = joint_selectors.signing_participants(review_uuid=review.uuid)
    if not signing:
        return None
    signed = set(review.partnership_sign_offs.values_list("partnership_key", flat=True))
    waiting = [p.name for p in signing if p.key not in signed]
    if waiting:
        return "Still to sign the report off: the chair of " + ", ".join(waiting) + "."
    return None


PREREQUISITES = {
    "reviewer_appointed": _missing_reviewer,
    "tor_signed_off": _missing_terms,
    "information_requested": _missing_requests,
    "information_received": _missing_information,
    "chronology_started": _missing_chronology,
    "findings_recorded": _missing_findings,
    "recommendations_recorded": _missing_recommendations,
    "draft_report_uploaded": _missing_draft,
    "chair_signed_off": _missing_chair,
}


def stage_missing(review: Review, stage_key: str) -> list[str]:
    """What a review still needs before it may move into ``stage_key``."""
    stage = review.definition.stage(stage_key)
    return [m for m in (PREREQUISITES[need](review) for need in stage.needs) if m]


def review_stage_move(*, actor: Actor, review: Review, to_stage: str) -> Review:
    """Move the review to its next stage, if the actor's role may and the stage's prerequisites
    are met (the review type's process definition names both)."""
    permissions.require_lead_side(
        actor, "The lead partnership moves the review from stage to stage."
    )
    definition = review.definition
    following = definition.next_stage(review.stage)
    if following is None or following.key != to_stage:
        raise ValidationError({"stage": [f"The review cannot move to '{to_stage}' from here."]})
    permissions.require_stage_mover(actor, review, following)
    missing = stage_missing(review, to_stage)
    if missing:
        raise ValidationError({"stage": missing})
    with transaction.atomic():
        before = review.stage
        review.stage = to_stage
        fields = ["stage"]
        if definition.next_stage(to_stage) is None:
            review.completed_on = today()
            fields.append("completed_on")
        review.save(update_fields=fields)
        review_clocks_sync(review=review)
        review_audit(actor, review, "review.stage_moved", before=before, after=to_stage)
    return review


def review_chair_sign_off(*, actor: Actor, review: Review, statement: str = "") -> Review:
    """The chair signs the report off: the last step before a review is completed. In a joint
    review each participant's chair signs off for their partnership too (through the door), with
    the chair's statement that goes with the published report."""
    permissions.require_review_signer(actor, review)
    if actor.is_joint:
        if review.partnership_sign_offs.filter(partnership_key=actor.partnership.key).exists():
            raise ValidationError(["Your chair has already signed this review off."])
    elif review.chair_signed_off_at:
        raise ValidationError(["The chair has already signed this review off."])
    missing = [m for m in (_missing_recommendations(review), _missing_draft(review)) if m]
    if missing:
        raise ValidationError({"sign_off": missing})
    if actor.is_joint:
        with transaction.atomic():
            PartnershipSignOff.objects.create(
                review=review,
                partnership_key=actor.partnership.key,
                signed_off_by=actor.label,
                statement=(statement or "").strip(),
            )
            review_audit(actor, review, "review.signed_off", partnership=actor.partnership.key)
        return review
    with transaction.atomic():
        review.chair_signed_off_by = actor.label
        review.chair_signed_off_at = now()
        review.save(update_fields=["chair_signed_off_by", "chair_signed_off_at"])
        review_audit(actor, review, "review.signed_off")
    return review


# --- Thematic reviews --------------------------------------------------------------------------


def thematic_review_commission(
    *,
    actor: Actor,
    title: str,
    commissioned_on: datetime.date | None,
    referrals=(),
    agencies=(),
    review_type: str = "thematic",
) -> Review:
    """Commission a review that no single decision made: a thematic review linked to several
    referrals or none (e.g. "Vulnerable Adolescents Thematic Review 2019"), or an adjacent type
    (Domestic Abuse Related Death Review, Safeguarding Adults Review)."""
    permissions.require_review_commissioner(actor)
    errors: dict[str, list[str]] = {}
    if review_type not in REVIEW_TYPES:
        error_add(errors, "review_type", "Choose the kind of review.")
    if not (title or "").strip():
        error_add(errors, "title", "Give the review a title.")
    if commissioned_on is None or commissioned_on > today():
        error_add(
            errors, "commissioned_on", "Enter the date it was commissioned (not in the future)."
        )
    errors_raise(errors)
    with transaction.atomic():
        review = Review.objects.create(
            reference=reference_next(actor, "casework_review_number", commissioned_on, "R-"),
            review_type=review_type,
            title=title.strip(),
            commissioned_on=commissioned_on,
        )
        review.related_referrals.set(referrals)
        review.agencies.set(agencies)
        review_clocks_sync(review=review)
        review_audit(
            actor,
            review,
            "review.commissioned",
            type=review_type,
            referrals=[r.reference for r in referrals],
        )
    return review
