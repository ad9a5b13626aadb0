"""Changes to casework. Each action checks who may do it, keeps the clocks right and writes its
audit row in the same transaction (the audit details name objects by reference, never a child).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction

from casework.clocks import PROCESSES, add_working_days, is_due_soon, plan_clocks
from casework.criteria import screening_criteria
from casework.models import (
    REVIEW_OUTCOMES,
    AbuseOrNeglect,
    Attachment,
    Child,
    Circumstance,
    Clock,
    ContributionRequest,
    Decision,
    Harm,
    Outcome,
    RapidReview,
    Referral,
    ReferralStatus,
    Reminder,
    Review,
    Screening,
    Sex,
)
from tenants.actors import Actor
from tenants.addresses import partnership_url
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency
from tenants.clock import now, today
from tenants.files import (
    DOCUMENTS_AND_IMAGES,
    UploadedFile,
    stored_file_keep,
    upload_problem,
)
from tenants.models import Membership, Role
from tenants.roles import MANAGERS, REVIEW_GROUP
from tenants.validation import error_add, errors_raise

MAX_CHILDREN = 4
# Bounds on what one referral may carry, so that no request can make a page or a row huge
# (100,000 agencies gave a 2.3 MB page): more agencies than any case involves, and a summary
# of some 3,000 words; the full account belongs in attachments.
MAX_AGENCIES_INVOLVED = 50
SUMMARY_MAX_LENGTH = 20_000
CONTRIBUTION_MAX_LENGTH = 20_000  # each of a rapid-review contribution's three answers
CONTRIBUTION_WORKING_DAYS = 5
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


# --- Clocks ------------------------------------------------------------------------------------


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
    decision = getattr(referral, "decision", None)
    if decision is not None:
        events["decided"] = decision.decided_on
        if decision.panel_told_on and decision.ofsted_told_on:
            events["decision_notified"] = max(decision.panel_told_on, decision.ofsted_told_on)
    # The publication clock stops when the review's report (or, withheld, its improvements) is
    # published; publishing keeps the date on the review's publication.
    review = getattr(referral, "review", None)
    publication = getattr(review, "publication", None) if review is not None else None
    if (
        publication is not None
        and publication.published_on
        and publication.state
        in (
            "published",
            "on_request",
            "not_published",
        )
    ):
        events["published"] = publication.published_on
    return events


def referral_facts(referral: Referral, children=None, *, fresh: bool = False) -> dict:
    children = list(children if children is not None else referral.children.all())
    decision = None if fresh else getattr(referral, "decision", None)
    died = referral.harm == Harm.DIED
    return {
        "looked_after_died": died and any(child.looked_after for child in children),
        "care_leaver_died": died and Circumstance.CARE_LEAVER_UNDER_25 in referral.circumstances,
        "decision_outcome": decision.outcome if decision else None,
    }


def clocks_sync(*, referral: Referral, children=None, fresh: bool = False) -> list[Clock]:
    """Bring the referral's clocks in line with its recorded dates: a clock starts when the event
    it counts from is recorded and stops (keeping that date) when its stopping event is."""
    plans = plan_clocks(
        referral.regime,
        referral_events(referral, fresh=fresh),
        referral_facts(referral, children, fresh=fresh),
    )
    existing = {} if fresh else {clock.name: clock for clock in referral.clocks.all()}
    review = None if fresh else getattr(referral, "review", None)
    to_create, kept = [], []
    for plan in plans:
        clock = existing.pop(plan.name, None)
        values = {
            "label": plan.label,
            "counted_from": plan.counted_from,
            "due": plan.due,
            "length": plan.length,
            "unit": plan.unit,
            "source": plan.source,
            "stopped_on": plan.stopped_on,
            "review": review if plan.name == "publication" else None,
        }
        if clock is None:
            to_create.append(Clock(referral=referral, name=plan.name, **values))
            continue
        changed = [field for field, value in values.items() if getattr(clock, field) != value]
        if changed:
            for field in changed:
                setattr(clock, field, values[field])
            clock.save(update_fields=changed)
        kept.append(clock)
    created = Clock.objects.bulk_create(to_create)
    if existing:
        Clock.objects.filter(pk__in=[clock.pk for clock in existing.values()]).delete()
    return sorted(kept + created, key=lambda clock: (clock.due, clock.name))


# --- Referral ----------------------------------------------------------------------------------


@dataclass
class ChildInput:
    given_name: str
    family_name: str
    date_of_birth: datetime.date | None
    sex: str
    ethnicity: str = ""
    looked_after: bool = False
    child_protection_plan: bool = False


def _validate_attachments(files, errors) -> list[tuple[UploadedFile, str]]:
    accepted = []
    for index, upload in enumerate(files):
        content_type, problem = upload_problem(
            upload,
            accepted=DOCUMENTS_AND_IMAGES,
            described="PDF, Word document (.docx) or image (PNG, JPEG)",
            max_bytes=ATTACHMENT_MAX_BYTES,
        )
        if problem:
            error_add(errors, f"attachments.{index}", problem)
        else:
            accepted.append((upload, content_type))
    return accepted


def _referring_agency(actor: Actor, agency: Agency | None, active: list[Agency]) -> Agency:
    if actor.is_agency:
        found = next((a for a in active if a.uuid == actor.agency_uuid), None)
        if found is None:
            raise PermissionDenied("Your agency cannot refer here.")
        return found
    if actor.has_role(Role.BUSINESS_MANAGER):
        if agency is None:
            raise ValidationError({"agency": ["Choose the agency that is referring."]})
        return agency
    raise PermissionDenied("Only agencies (and the business manager for them) refer cases.")


def referral_create(
    *,
    actor: Actor,
    incident_date: datetime.date | None,
    aware_date: datetime.date | None,
    harm: str,
    abuse_or_neglect: str,
    children: list[ChildInput],
    summary: str,
    circumstances: list[str] = (),
    agencies_involved: list[str] = (),
    regime: str = "wt2023",
    agency: Agency | None = None,
    attachments: list[UploadedFile] = (),
) -> Referral:
    """Refer a serious incident (DESIGN §2 step 1). The referral, its children, clocks,
    attachments and audit row are saved together or not at all. The referral comes back with
    the clocks just started as ``created_clocks``."""
    active = list(Agency.objects.own().filter(is_active=True))
    referring = _referring_agency(actor, agency, active)
    now = today()
    errors: dict[str, list[str]] = {}
    if incident_date is None:
        error_add(errors, "incident_date", "Enter the date of the incident.")
    elif incident_date > now:
        error_add(errors, "incident_date", "The date of the incident cannot be in the future.")
    if aware_date is None:
        error_add(errors, "aware_date", "Enter the date the partnership became aware.")
    elif aware_date > now:
        error_add(errors, "aware_date", "The date you became aware cannot be in the future.")
    elif incident_date is not None and aware_date < incident_date:
        error_add(errors, "aware_date", "The date you became aware cannot be before the incident.")
    if harm not in Harm.values:
        error_add(errors, "harm", "Say whether the child died or was seriously harmed.")
    if abuse_or_neglect not in AbuseOrNeglect.values:
        error_add(errors, "abuse_or_neglect", "Say whether abuse or neglect is known or suspected.")
    unknown = [c for c in circumstances if c not in Circumstance.values]
    if unknown:
        error_add(errors, "circumstances", f"Unknown circumstances: {', '.join(unknown)}.")
    if regime not in PROCESSES:
        error_add(errors, "regime", "Unknown regime.")
    if not (summary or "").strip():
        error_add(errors, "summary", "Describe what happened.")
    elif len(summary) > SUMMARY_MAX_LENGTH:
        error_add(errors, "summary", f"Keep the summary to {SUMMARY_MAX_LENGTH:,} characters.")
    if len(agencies_involved) > MAX_AGENCIES_INVOLVED:
        error_add(
            errors,
            "agencies_involved",
            f"Name at most {MAX_AGENCIES_INVOLVED} agencies involved.",
        )
    if not children:
        error_add(errors, "children", "Name at least one child.")
    elif len(children) > MAX_CHILDREN:
        error_add(errors, "children", f"One referral covers at most {MAX_CHILDREN} children.")
    for index, child in enumerate(children):
        prefix = f"children.{index}"
        for field, label in (("given_name", "given name"), ("family_name", "family name")):
            value = getattr(child, field).strip()
            if not value:
                error_add(errors, f"{prefix}.{field}", f"Enter child {index + 1}'s {label}.")
            elif len(value) > 100:
                error_add(errors, f"{prefix}.{field}", f"Child {index + 1}'s {label} is too long.")
        if len(child.ethnicity.strip()) > 100:
            error_add(errors, f"{prefix}.ethnicity", "Describe the ethnicity in 100 characters.")
        if child.sex not in Sex.values:
            error_add(errors, f"{prefix}.sex", f"Choose child {index + 1}'s sex.")
        if child.date_of_birth is None:
            error_add(
                errors, f"{prefix}.date_of_birth", f"Enter child {index + 1}'s date of birth."
            )
        elif child.date_of_birth > now:
            error_add(errors, f"{prefix}.date_of_birth", "A date of birth cannot be in the future.")
        elif incident_date is not None and child.date_of_birth > incident_date:
            error_add(
                errors,
                f"{prefix}.date_of_birth",
                f"Child {index + 1} was born after the incident: check both dates.",
            )
    accepted = _validate_attachments(attachments, errors)
    errors_raise(errors)

    known = {agency.name.lower(): agency for agency in active}
    involved, others = [], []
    for name in dict.fromkeys(" ".join(n.split()) for n in agencies_involved if n.strip()):
        if name.lower() in known:
            involved.append(known[name.lower()])
        elif len(name) > 200:
            raise ValidationError({"agencies_involved": [f"'{name[:40]}…' is too long."]})
        else:
            others.append(name)

    # No savepoint: a caller inside its own transaction (the API's idempotency record) rolls
    # back whole when this fails; two statements fewer per referral.
    with transaction.atomic(savepoint=False):
        referral = Referral.objects.create(
            reference=reference_next(actor, "casework_referral_number", now),
            regime=regime,
            referring_agency=referring,
            referred_by=actor.label,
            referred_by_uuid=actor.uuid,
            incident_date=incident_date,
            aware_date=aware_date,
            harm=harm,
            abuse_or_neglect=abuse_or_neglect,
            circumstances=list(dict.fromkeys(circumstances)),
            other_agencies_involved=others,
            summary=summary.strip(),
        )
        created_children = Child.objects.bulk_create(
            Child(
                referral=referral,
                position=index + 1,
                given_name=child.given_name.strip(),
                family_name=child.family_name.strip(),
                date_of_birth=child.date_of_birth,
                sex=child.sex,
                ethnicity=child.ethnicity.strip(),
                looked_after=child.looked_after,
                child_protection_plan=child.child_protection_plan,
            )
            for index, child in enumerate(children)
        )
        if involved:
            referral.agencies_involved.add(*involved)
        for upload, content_type in accepted:
            _store_attachment(actor, referral, upload, content_type)
        referral.created_clocks = clocks_sync(
            referral=referral, children=created_children, fresh=True
        )
        audit_event_record(
            actor=actor,
            action="referral.created",
            object_type="referral",
            object_ref=referral.reference,
            detail={
                "agency": referring.name,
                "children": len(created_children),
                "attachments": len(accepted),
                "regime": regime,
            },
        )
    return referral


def reference_next(actor: Actor, sequence: str, day: datetime.date, infix: str = "") -> str:
    """The next human reference from a partnership's sequence: its prefix, the year, the number
    (``CRO-2026-0042``, with ``infix`` ``R-`` for reviews: ``CRO-R-2026-0001``); never reused."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        number = cursor.fetchone()[0]
    return f"{actor.partnership.reference_prefix}-{infix}{day.year}-{number:04d}"


def _store_attachment(actor: Actor, referral: Referral, upload: UploadedFile, content_type: str):
    return stored_file_keep(
        Attachment(referral=referral, uploaded_by=actor.label),
        upload=upload,
        content_type=content_type,
    )


def attachment_add(*, actor: Actor, referral: Referral, upload: UploadedFile) -> Attachment:
    """Add a file to a referral: its referring agency or the review group."""
    if not (
        actor.has_role(*REVIEW_GROUP)
        or (actor.is_agency and referral.referring_agency.uuid == actor.agency_uuid)
    ):
        raise PermissionDenied("You cannot add files to this referral.")
    errors: dict[str, list[str]] = {}
    accepted = _validate_attachments([upload], errors)
    if errors:
        raise ValidationError({"attachment": errors["attachments.0"]})
    with transaction.atomic():
        attachment = _store_attachment(actor, referral, upload, accepted[0][1])
        audit_event_record(
            actor=actor,
            action="attachment.added",
            object_type="referral",
            object_ref=referral.reference,
            detail={"attachment": str(attachment.uuid), "type": attachment.content_type},
        )
    return attachment


# --- Screening ---------------------------------------------------------------------------------


def screening_record(
    *, actor: Actor, referral: Referral, view_met: bool, rationale: str, override_reason: str = ""
) -> Screening:
    """The review group's view against the criteria, with its rationale. Departing from what the
    rules say needs a written reason."""
    actor.require_role(*REVIEW_GROUP)
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


# --- Notifications -----------------------------------------------------------------------------


def _check_event_date(
    errors, field: str, day: datetime.date | None, after: datetime.date, what: str
):
    if day is None:
        error_add(errors, field, f"Enter the date {what}.")
    elif day > today():
        error_add(errors, field, "The date cannot be in the future.")
    elif day < after:
        error_add(errors, field, f"The date cannot be before {after.isoformat()}.")


def panel_notification_record(
    *, actor: Actor, referral: Referral, submitted_on: datetime.date | None, panel_reference: str
) -> Referral:
    """Record that the notification was submitted to the Panel (its service has no API) and its
    national reference. Stops the notification clock, starts the rapid review's."""
    actor.require_role(Role.BUSINESS_MANAGER)
    errors: dict[str, list[str]] = {}
    _check_event_date(errors, "submitted_on", submitted_on, referral.aware_date, "it was submitted")
    if not (panel_reference or "").strip():
        error_add(errors, "panel_reference", "Enter the reference the Panel's service gave.")
    errors_raise(errors)
    with transaction.atomic():
        referral.panel_notified_on = submitted_on
        referral.panel_reference = panel_reference.strip()
        referral.save(update_fields=["panel_notified_on", "panel_reference"])
        clocks_sync(referral=referral)
        audit_event_record(
            actor=actor,
            action="panel_notification.recorded",
            object_type="referral",
            object_ref=referral.reference,
            detail={"submitted_on": submitted_on.isoformat(), "panel_reference": panel_reference},
        )
    return referral


def sos_ofsted_notification_record(
    *, actor: Actor, referral: Referral, notified_on: datetime.date | None
) -> Referral:
    actor.require_role(Role.BUSINESS_MANAGER)
    errors: dict[str, list[str]] = {}
    _check_event_date(errors, "notified_on", notified_on, referral.aware_date, "they were told")
    errors_raise(errors)
    with transaction.atomic():
        referral.sos_ofsted_notified_on = notified_on
        referral.save(update_fields=["sos_ofsted_notified_on"])
        clocks_sync(referral=referral)
        audit_event_record(
            actor=actor,
            action="sos_ofsted_notification.recorded",
            object_type="referral",
            object_ref=referral.reference,
            detail={"notified_on": notified_on.isoformat()},
        )
    return referral


# --- Rapid review ------------------------------------------------------------------------------


def rapid_review_start(*, actor: Actor, referral: Referral, agencies: list[Agency]) -> RapidReview:
    """Start the rapid review and ask each agency for its contribution (facts, involvement,
    immediate safety actions), due in 5 working days or by the rapid review's own due date."""
    actor.require_role(*REVIEW_GROUP)
    if hasattr(referral, "rapid_review"):
        raise ValidationError({"agencies": ["The rapid review has already started."]})
    if hasattr(referral, "decision"):
        raise ValidationError({"agencies": ["A decision has already been made."]})
    with transaction.atomic():
        rapid_review = RapidReview.objects.create(referral=referral, started_on=today())
        referral.status = ReferralStatus.RAPID_REVIEW
        referral.save(update_fields=["status"])
        audit_event_record(
            actor=actor,
            action="rapid_review.started",
            object_type="referral",
            object_ref=referral.reference,
        )
        contribution_requests_add(actor=actor, referral=referral, agencies=agencies)
    return rapid_review


def _rapid_review_of(referral: Referral) -> RapidReview:
    try:
        return referral.rapid_review
    except RapidReview.DoesNotExist:
        raise ValidationError(["The rapid review has not started."]) from None


def _decision_of(referral: Referral) -> Decision:
    try:
        return referral.decision
    except Decision.DoesNotExist:
        raise ValidationError(["No decision has been recorded yet."]) from None


def contribution_requests_add(
    *, actor: Actor, referral: Referral, agencies: list[Agency]
) -> list[ContributionRequest]:
    actor.require_role(*REVIEW_GROUP)
    rapid_review = _rapid_review_of(referral)
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
            audit_event_record(
                actor=actor,
                action="contribution.requested",
                object_type="referral",
                object_ref=referral.reference,
                detail={"agency": agency.name, "due": due.isoformat()},
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
    if not actor.is_agency or request.agency.uuid != actor.agency_uuid:
        raise PermissionDenied("Only the agency asked can contribute.")
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
        audit_event_record(
            actor=actor,
            action="contribution.submitted" if first else "contribution.changed",
            object_type="referral",
            object_ref=request.rapid_review.referral.reference,
            detail={"agency": request.agency.name},
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
    actor.require_role(*REVIEW_GROUP)
    rapid_review = _rapid_review_of(referral)
    if rapid_review.sent_to_panel_on:
        raise ValidationError(["The rapid review has been sent to the Panel and is closed."])
    if recommended_next_step and recommended_next_step not in Outcome.values:
        raise ValidationError({"recommended_next_step": ["Choose a next step."]})
    with transaction.atomic():
        rapid_review.immediate_actions = (immediate_actions or "").strip()
        rapid_review.potential_improvements = (potential_improvements or "").strip()
        rapid_review.racism_inequality_disability = (racism_inequality_disability or "").strip()
        rapid_review.recommended_next_step = recommended_next_step or ""
        rapid_review.save()
        audit_event_record(
            actor=actor,
            action="rapid_review.changed",
            object_type="referral",
            object_ref=referral.reference,
        )
    return rapid_review


def rapid_review_send(
    *, actor: Actor, referral: Referral, sent_on: datetime.date | None
) -> RapidReview:
    """Record that the completed rapid review went to the Panel. It needs every part written and
    a recommended next step; that stops the rapid review's clock."""
    actor.require_role(*MANAGERS)
    rapid_review = _rapid_review_of(referral)
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
    _check_event_date(errors, "sent_on", sent_on, floor, "it was sent")
    errors_raise(errors)
    with transaction.atomic():
        rapid_review.sent_to_panel_on = sent_on
        rapid_review.save(update_fields=["sent_to_panel_on"])
        clocks_sync(referral=referral)
        missing = [
            r.agency.name for r in rapid_review.contribution_requests.all() if not r.received
        ]
        audit_event_record(
            actor=actor,
            action="rapid_review.sent",
            object_type="referral",
            object_ref=referral.reference,
            detail={"sent_on": sent_on.isoformat(), "contributions_missing": missing},
        )
    return rapid_review


def panel_response_record(
    *, actor: Actor, referral: Referral, response: str, responded_on: datetime.date | None
) -> RapidReview:
    actor.require_role(*REVIEW_GROUP)
    rapid_review = _rapid_review_of(referral)
    errors: dict[str, list[str]] = {}
    if not rapid_review.sent_to_panel_on:
        error_add(errors, "response", "The rapid review has not been sent to the Panel yet.")
    else:
        _check_event_date(
            errors,
            "responded_on",
            responded_on,
            rapid_review.sent_to_panel_on,
            "the Panel answered",
        )
    if not (response or "").strip():
        error_add(errors, "response", "Record what the Panel said.")
    errors_raise(errors)
    with transaction.atomic():
        rapid_review.panel_response = response.strip()
        rapid_review.panel_responded_on = responded_on
        rapid_review.save(update_fields=["panel_response", "panel_responded_on"])
        audit_event_record(
            actor=actor,
            action="panel_response.recorded",
            object_type="referral",
            object_ref=referral.reference,
        )
    return rapid_review


# --- Decision ----------------------------------------------------------------------------------


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
    actor.require_role(Role.CHAIR)
    if hasattr(referral, "decision"):
        raise ValidationError({"outcome": ["A decision has already been recorded."]})
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        error_add(errors, "outcome", "Choose the decision.")
    if not (rationale or "").strip():
        error_add(
            errors, "rationale", "Give the rationale: it is communicated, including to the family."
        )
    _check_event_date(errors, "decided_on", decided_on, referral.aware_date, "of the decision")
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
            audit_event_record(
                actor=actor,
                action="review.commissioned",
                object_type="review",
                object_ref=review.reference,
                detail={"referral": referral.reference, "type": outcome},
            )
        clocks_sync(referral=referral)
    return decision


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
    actor.require_role(*MANAGERS)
    decision = _decision_of(referral)
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


# --- Reminders ---------------------------------------------------------------------------------


def clock_reminders_send(*, actor: Actor, day: datetime.date | None = None) -> int:
    """The daily job: every open clock due within 2 working days, or overdue, is emailed to the
    people responsible for it (its rule names their roles). At most one reminder per clock per
    day, however often the job runs: the Reminder row's unique (clock, day) is the guarantee, and
    the row and the email go together. Emails name the reference and the clock, never a child."""
    day = day or today()
    clocks = Clock.objects.filter(stopped_on__isnull=True).select_related("referral")
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
        rule = next(
            (r for r in PROCESSES[clock.referral.regime].clocks if r.name == clock.name), None
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
                    link = partnership_url(
                        partnership=actor.partnership,
                        path=f"/referrals/{clock.referral.reference}/",
                    )
                    state = (
                        f"was due on {clock.due.isoformat()} and is overdue"
                        if overdue
                        else f"is due on {clock.due.isoformat()}"
                    )
                    send_mail(
                        subject=f"{clock.referral.reference}: {clock.label} {state}",
                        message=(
                            f"{clock.label} for referral {clock.referral.reference} {state}.\n"
                            f"Counted from {clock.counted_from.isoformat()}, "
                            f"{clock.length_label} ({clock.source}).\n\n{link}\n"
                        ),
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=recipients,
                    )
                audit_event_record(
                    actor=actor,
                    action="clock.reminder_sent",
                    object_type="referral",
                    object_ref=clock.referral.reference,
                    detail={"clock": clock.name, "kind": kind, "recipients": len(recipients)},
                )
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent
