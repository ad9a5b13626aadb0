"""Screening a referral against the criteria (DESIGN §2 step 2): the review group's view, with
its rationale, beside what the rules say (``casework.criteria``)."""

from django.db import transaction

from casework import permissions
from casework.criteria import screening_criteria
from casework.models import (
    Referral,
    ReferralStatus,
    Screening,
)
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.validation import error_add, errors_raise


def screening_record(
    *, actor: Actor, referral: Referral, view_met: bool, rationale: str, override_reason: str = ""
) -> Screening:
    """The review group's view against the criteria, with its rationale. Departing from what the
    rules say needs a written reason."""
    permissions.require_screener(actor)
    criteria_met, _ = screening_criteria(referral)
    errors: dict[str, list[str]] = {}
    if not (rationale or "").strip():
        error_add(errors, "rationale", "Give the rationale for the group's view.")
    if view_met != criteria_met and not (override_reason or "").strip():
        error_add(
            errors,
            "override_reason",
            "The group's view differs from the criteria: give the reason for overriding them.",
        )
    errors_raise(errors)
    with transaction.atomic():
        screening, created = Screening.objects.update_or_create(
            referral=referral,
            defaults={
                "criteria_met": criteria_met,
                "view_met": view_met,
                "rationale": rationale.strip(),
                "override_reason": (override_reason or "").strip()
                if view_met != criteria_met
                else "",
                "recorded_by": actor.label,
            },
        )
        if referral.status == ReferralStatus.RECEIVED:
            referral.status = ReferralStatus.SCREENED
            referral.save(update_fields=["status"])
        audit_event_record(
            actor=actor,
            action="screening.recorded" if created else "screening.changed",
            object_type="referral",
            object_ref=referral.reference,
            detail={
                "criteria_met": criteria_met,
                "view_met": view_met,
                "overridden": view_met != criteria_met,
            },
        )
    return screening
