"""A referral's statutory clocks, kept in line with what has been recorded (the regimes are
data: ``casework.regimes``), and the daily reminders of those close or overdue. A clock stops
once: when its own event is recorded, or when the referral is closed (screened as not
notifiable, or no review decided); a stopped clock keeps its date and never reminds."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from casework.models import (
    Circumstance,
    Clock,
    Harm,
    Outcome,
    Referral,
    Reminder,
)
from casework.processes import review_clock_rule
from casework.regimes import REGIMES, plan_clocks
from casework.working_days import is_due_soon
from tenants.actors import Actor
from tenants.addresses import partnership_url
from tenants.agencies.audit import audit_event_record
from tenants.clock import today
from tenants.models import Membership, Role
from tenants.validation import error_add


def referral_events(referral: Referral, *, fresh: bool = False) -> dict[str, datetime.date]:
    """The dates the clocks count from and stop on, from what has been recorded. A ``fresh``
    referral (being created) has nothing recorded but its dates."""
    events: dict[str, datetime.date] = {"aware": referral.aware_date}
    if fresh:
        return events
    if referral.panel_notified_on:
        events["panel_notified"] = referral.panel_notified_on
    if referral.sos_ofsted_notified_on:
        events["sos_ofsted_notified"] = referral.sos_ofsted_notified_on
    rapid_review = getattr(referral, "rapid_review", None)
    if rapid_review is not None and rapid_review.sent_to_panel_on:
        events["rapid_review_sent"] = rapid_review.sent_to_panel_on
    screening = getattr(referral, "screening", None)
    if screening is not None and not screening.view_met and screening.screened_on:
        events["closed"] = screening.screened_on
    decision = getattr(referral, "decision", None)
    if decision is not None:
        events["decided"] = decision.decided_on
        if decision.outcome == Outcome.NO_REVIEW:
            events.setdefault("closed", decision.decided_on)
        told = decision_told_dates(referral.regime, decision)
        if all(told):
            events["decision_notified"] = max(told)
    return events


def decision_told_dates(regime: str, decision) -> list:
    """The dates the decision was communicated to those the regime names: the Panel (under 2015
    the National Panel of Independent Experts) and Ofsted, and from 2018 the Department."""
    told = [decision.panel_told_on, decision.ofsted_told_on]
    if REGIMES[regime].rapid_review:
        told.append(decision.department_told_on)
    return told


def referral_facts(referral: Referral, children=None, *, fresh: bool = False) -> dict:
    children = list(children if children is not None else referral.children.all())
    decision = None if fresh else getattr(referral, "decision", None)
    died = referral.harm == Harm.DIED
    screening = None if fresh else getattr(referral, "screening", None)
    closed_because = ""
    if screening is not None and not screening.view_met:
        closed_because = "Screened as not notifiable"
    elif decision is not None and decision.outcome == Outcome.NO_REVIEW:
        closed_because = "Decided: no review"
    return {
        "looked_after_died": died and any(child.looked_after for child in children),
        "care_leaver_died": died and Circumstance.CARE_LEAVER_UNDER_25 in referral.circumstances,
        "decision_outcome": decision.outcome if decision else None,
        "notified": bool(referral.panel_notified_on),
        "closed_because": closed_because,
    }


def clocks_sync(*, referral: Referral, children=None, fresh: bool = False) -> list[Clock]:
    """Bring the referral's clocks in line with its recorded dates: a clock starts when the event
    it counts from is recorded and stops (keeping that date) when its stopping event is, or the
    referral is closed. A stopped clock is never changed again: it stops exactly once. (The
    publication clock is the review's: ``casework.services.review_clocks``.)"""
    plans = plan_clocks(
        referral.regime,
        referral_events(referral, fresh=fresh),
        referral_facts(referral, children, fresh=fresh),
    )
    existing = {} if fresh else {clock.name: clock for clock in referral.clocks.all()}
    return clock_rows_sync(plans, existing, referral=referral)


def clock_rows_sync(plans, existing: dict[str, Clock], reopening=(), **owner) -> list[Clock]:
    """Make the clock rows of one referral or review (``owner``) match its plans: a new plan a
    new row, a changed one saved. A stopped clock is never changed again, but for those named
    in ``reopening`` (whose stopping event can be undone); a row no plan names any more is
    removed unless it has stopped. ``existing`` is its rows by name."""
    to_create, kept = [], []
    for plan in plans:
        clock = existing.pop(plan.name, None)
        if clock is not None and clock.stopped_on is not None and plan.name not in reopening:
            kept.append(clock)
            continue
        values = {
            "label": plan.label,
            "counted_from": plan.counted_from,
            "due": plan.due,
            "length": plan.length,
            "unit": plan.unit,
            "source": plan.source,
            "stopped_on": plan.stopped_on,
            "stopped_because": plan.stopped_because,
        }
        if clock is None:
            to_create.append(Clock(name=plan.name, **owner, **values))
            continue
        changed = [field for field, value in values.items() if getattr(clock, field) != value]
        if changed:
            for field in changed:
                setattr(clock, field, values[field])
            clock.save(update_fields=changed)
        kept.append(clock)
    created = Clock.objects.bulk_create(to_create)
    # A clock no longer planned goes, unless it has stopped: its record stays.
    gone = [clock.pk for clock in existing.values() if clock.stopped_on is None]
    if gone:
        Clock.objects.filter(pk__in=gone).delete()
    kept += [clock for clock in existing.values() if clock.stopped_on is not None]
    return sorted(kept + created, key=lambda clock: (clock.due, clock.name))


def event_date_check(
    errors, field: str, day: datetime.date | None, after: datetime.date, what: str
):
    if day is None:
        error_add(errors, field, f"Enter the date {what}.")
    elif day > today():
        error_add(errors, field, "The date cannot be in the future.")
    elif day < after:
        error_add(errors, field, f"The date cannot be before {after.isoformat()}.")


def clock_reminders_send(*, actor: Actor, day: datetime.date | None = None) -> int:
    """The daily job: every open clock due within 2 working days, or overdue, is emailed to the
    people responsible for it (its rule names their roles). At most one reminder per clock per
    day, however often the job runs: the Reminder row's unique (clock, day) is the guarantee, and
    the row and the email go together. Emails name the reference and the clock, never a child."""
    day = day or today()
    clocks = Clock.objects.filter(stopped_on__isnull=True).select_related("referral", "review")
    members = list(
        Membership.objects.filter(partnership=actor.partnership, user__is_active=True)
        .select_related("user")
        .values_list("role", "user__email")
    )
    sent = 0
    for clock in clocks:
        overdue = clock.due < day
        if not overdue and not is_due_soon(due=clock.due, today=day):
            continue
        if clock.referral_id is None:  # a review's own clock
            rule = review_clock_rule(clock.review.review_type, clock.name)
        else:
            rule = next(
                (r for r in REGIMES[clock.referral.regime].clocks if r.name == clock.name), None
            )
        roles = rule.responsible if rule else (Role.BUSINESS_MANAGER,)
        recipients = sorted({email for role, email in members if role in roles})
        kind = "overdue" if overdue else "due_soon"
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    clock=clock, sent_on=day, kind=kind, recipients=len(recipients)
                )
                if recipients:
                    link = partnership_url(partnership=actor.partnership, path=clock.subject_path)
                    state = (
                        f"was due on {clock.due.isoformat()} and is overdue"
                        if overdue
                        else f"is due on {clock.due.isoformat()}"
                    )
                    send_mail(
                        subject=f"{clock.subject_reference}: {clock.label} {state}",
                        message=(
                            f"{clock.label} for {clock.subject_type} "
                            f"{clock.subject_reference} {state}.\n"
                            f"Counted from {clock.counted_from.isoformat()}, "
                            f"{clock.length_label} ({clock.source}).\n\n{link}\n"
                        ),
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=recipients,
                    )
                audit_event_record(
                    actor=actor,
                    action="clock.reminder_sent",
                    object_type=clock.subject_type,
                    object_ref=clock.subject_reference,
                    detail={"clock": clock.name, "kind": kind, "recipients": len(recipients)},
                )
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent
