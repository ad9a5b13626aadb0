"""Screening a referral against the criteria (DESIGN §2 step 2): the review group's view, with
its rationale, beside what the regime's rules say (``casework.criteria``). A referral the group
finds not notifiable stops its clocks, with that reason (``casework.steps``)."""

from django.db import transaction

from casework import permissions, steps
from casework.audit import referral_audit
from casework.criteria import screening_criteria
from casework.models import (
    Referral,
    Screening,
)
from casework.services.clocks import clocks_sync
from tenants.actors import Actor
from tenants.clock import today
from tenants.validation import error_add, errors_raise


def screening_record(
    *, actor: Actor, referral: Referral, view_met: bool, rationale: str, override_reason: str = ""
) -> Screening:
    """The review group's view against the regime's criteria, with its rationale; the record
    keeps which criteria were met, with their sources. Departing from what the rules say needs
    a written reason. Not notifiable stops the referral's clocks (it may still go on to a local
    learning review)."""
    permissions.require_screener(actor)
    step = steps.step_check(referral, "screen" if view_met else "screen_not_notifiable")
    criteria_met, reasons = screening_criteria(referral)
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
                "criteria_reasons": reasons,
                "view_met": view_met,
                "screened_on": today(),
                "rationale": rationale.strip(),
                "override_reason": (override_reason or "").strip()
                if view_met != criteria_met
                else "",
                "recorded_by": actor.label,
            },
        )
        referral.screening = screening
        steps.step_take(referral, step)
        clocks_sync(referral=referral)
        referral_audit(
            actor,
            referral,
            "screening.recorded" if created else "screening.changed",
            criteria_met=criteria_met,
            view_met=view_met,
            overridden=view_met != criteria_met,
        )
    return screening
