"""The notifications of a serious incident (DESIGN §2 step 1): to the Child Safeguarding Practice
Review Panel within 5 working days, and for a looked-after child's (or from 2023 a care leaver's)
death to the Secretary of State and Ofsted."""

import datetime

from django.db import transaction

from casework import permissions, steps
from casework.audit import referral_audit
from casework.models import (
    Referral,
)
from casework.services.clocks import clocks_sync, event_date_check
from tenants.actors import Actor
from tenants.validation import error_add, errors_raise


def panel_notification_record(
    *, actor: Actor, referral: Referral, submitted_on: datetime.date | None, panel_reference: str
) -> Referral:
    """Record that the notification was submitted to the Panel (its service has no API) and its
    national reference (under 2015, the notification to Ofsted and the LSCB). It follows the
    screening (``casework.steps``); it stops the notification clock and starts the next."""
    permissions.require_notifier(actor)
    step = steps.step_check(referral, "notify")
    errors: dict[str, list[str]] = {}
    event_date_check(errors, "submitted_on", submitted_on, referral.aware_date, "it was submitted")
    if not (panel_reference or "").strip():
        error_add(errors, "panel_reference", "Enter the reference the Panel's service gave.")
    errors_raise(errors)
    with transaction.atomic():
        referral.panel_notified_on = submitted_on
        referral.panel_reference = panel_reference.strip()
        referral.save(update_fields=["panel_notified_on", "panel_reference"])
        steps.step_take(referral, step)
        clocks_sync(referral=referral)
        referral_audit(
            actor,
            referral,
            "panel_notification.recorded",
            submitted_on=submitted_on.isoformat(),
            panel_reference=panel_reference,
        )
    return referral


def sos_ofsted_notification_record(
    *, actor: Actor, referral: Referral, notified_on: datetime.date | None
) -> Referral:
    permissions.require_notifier(actor)
    errors: dict[str, list[str]] = {}
    event_date_check(errors, "notified_on", notified_on, referral.aware_date, "they were told")
    errors_raise(errors)
    with transaction.atomic():
        referral.sos_ofsted_notified_on = notified_on
        referral.save(update_fields=["sos_ofsted_notified_on"])
        clocks_sync(referral=referral)
        referral_audit(
            actor, referral, "sos_ofsted_notification.recorded", notified_on=notified_on.isoformat()
        )
    return referral
