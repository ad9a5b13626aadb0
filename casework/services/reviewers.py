"""Lead reviewers (DESIGN §2 step 5): their declared affiliations, the independence check
against the partnership and every organisation involved in the case, and their appointment (a
conflict only by the chair, with a written reason)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from casework import permissions
from casework.joint import selectors as joint_selectors
from casework.models import (
    Affiliation,
    Review,
    ReviewerAppointment,
    ReviewerProfile,
)
from casework.services.reviews import review_audit
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency
from tenants.clock import today
from tenants.models import Membership, Role
from tenants.selectors import partnership_get
from tenants.validation import error_add, errors_raise

OVERRIDE_HINT = "The chair can appoint them anyway with a written reason."
INDEPENDENCE_LOOKBACK_YEARS = 5


@dataclass
class AffiliationInput:
    organisation: str
    started_on: datetime.date | None
    ended_on: datetime.date | None = None
    role: str = ""


def reviewer_profile_save(
    *,
    actor: Actor,
    user_uuid,
    name: str,
    organisation: str,
    affiliations: list[AffiliationInput],
) -> ReviewerProfile:
    """Record a lead reviewer and the affiliations they declare (replacing earlier ones). The
    person must be a lead reviewer in this partnership."""
    permissions.require_reviewer_manager(actor, "The lead partnership records its reviewers.")
    errors: dict[str, list[str]] = {}
    if not Membership.objects.filter(
        user__uuid=user_uuid, partnership=actor.partnership, role=Role.LEAD_REVIEWER
    ).exists():
        error_add(
            errors, "user", "Only someone with the lead reviewer role here can be a reviewer."
        )
    if not (name or "").strip():
        error_add(errors, "name", "Enter the reviewer's name.")
    for index, item in enumerate(affiliations):
        if not item.organisation.strip():
            error_add(errors, f"affiliations.{index}.organisation", "Name the organisation.")
        if item.started_on is None:
            error_add(errors, f"affiliations.{index}.started_on", "Enter when it began.")
        elif item.ended_on and item.ended_on < item.started_on:
            error_add(errors, f"affiliations.{index}.ended_on", "It cannot end before it began.")
    errors_raise(errors)
    with transaction.atomic():
        profile, created = ReviewerProfile.objects.update_or_create(
            user_uuid=user_uuid,
            defaults={"name": name.strip(), "organisation": (organisation or "").strip()},
        )
        profile.affiliations.all().delete()
        Affiliation.objects.bulk_create(
            Affiliation(
                profile=profile,
                organisation=" ".join(item.organisation.split()),
                role=item.role.strip(),
                started_on=item.started_on,
                ended_on=item.ended_on,
            )
            for item in affiliations
        )
        audit_event_record(
            actor=actor,
            action="reviewer.saved" if not created else "reviewer.added",
            object_type="reviewer",
            object_ref=str(profile.uuid),
            detail={"name": profile.name, "affiliations": len(affiliations)},
        )
    return profile


def _normalise(name: str) -> str:
    return " ".join(name.lower().replace("'", "").split())


def independence_conflicts(*, review: Review, profile: ReviewerProfile) -> list[str]:
    """DESIGN §2 step 5 (Working Together 2023 ch. 5: reviewers independent of the case): a
    declared affiliation with this partnership or with any agency involved in the case, current
    or within the last 5 years before the review was commissioned (or during the period under
    review), is a conflict. Organisations are matched by name, ignoring case and spacing."""
    partnership = review_partnership_names(review)
    agencies = {}
    for agency in _agencies_on_the_case(review):
        agencies.setdefault(_normalise(agency.name), agency.name)
        if agency.is_mirror:
            # "Met Police (Lewisham)" is Lewisham's Met Police: a reviewer declares "Met Police".
            home_name = agency.name.rsplit(" (", 1)[0]
            agencies.setdefault(_normalise(home_name), agency.name)
    if review.referral_id:
        for name in review.referral.other_agencies_involved:
            agencies.setdefault(_normalise(name), name)
    terms = review.terms.order_by("-version").first()
    since = review.commissioned_on.replace(
        year=review.commissioned_on.year - INDEPENDENCE_LOOKBACK_YEARS
    )
    if terms is not None:
        since = min(since, terms.period_start)
    conflicts = []
    for affiliation in profile.affiliations.all():
        if affiliation.ended_on is not None and affiliation.ended_on < since:
            continue
        when = (
            f"{affiliation.started_on.isoformat()} to "
            f"{affiliation.ended_on.isoformat() if affiliation.ended_on else 'now'}"
        )
        key = _normalise(affiliation.organisation)
        if key in partnership:
            conflicts.append(
                f"{profile.name} worked for {affiliation.organisation} ({when}), the "
                "partnership commissioning the review."
            )
        elif key in agencies:
            conflicts.append(
                f"{profile.name} worked for {agencies[key]} ({when}), an agency involved in "
                "the case."
            )
    return conflicts


def _agencies_on_the_case(review: Review):
    """The review's agencies, and in a joint review the participants' agencies (their mirrors
    here) the review has asked for information, has in its chronology or gave actions."""
    mirrors = Agency.objects.exclude(home_partnership_key="").filter(
        Q(information_requests__review=review)
        | Q(chronology__review=review)
        | Q(actions__review=review)
    )
    return [*review.agencies.all(), *mirrors.distinct()]


def review_partnership_names(review: Review | None = None) -> set[str]:
    """The names a reviewer must be independent of: the commissioning partnership's, and in a
    joint review every partnership taking part."""
    from django.db import connection

    partnerships = [connection.tenant]
    if review is not None:
        keys = joint_selectors.participant_keys(review_uuid=review.uuid)
        partnerships += [p for p in (partnership_get(key=k) for k in sorted(keys)) if p]
    names = set()
    for tenant in partnerships:
        names |= {
            getattr(tenant, "name", ""),
            getattr(tenant, "former_name", ""),
            getattr(tenant, "key", ""),
        }
    return {_normalise(name) for name in names if name}


def reviewer_appoint(
    *,
    actor: Actor,
    review: Review,
    profile: ReviewerProfile,
    appointed_on: datetime.date | None = None,
    override_reason: str = "",
) -> ReviewerAppointment:
    """Appoint a lead reviewer after checking their independence. A conflict blocks the
    appointment unless the chair overrides it with a written reason, shown on the review."""
    permissions.require_reviewer_manager(
        actor, "The lead partnership appoints the review's lead reviewers."
    )
    appointed_on = appointed_on or today()
    if review.appointments.filter(profile=profile, ended_on__isnull=True).exists():
        raise ValidationError({"reviewer": [f"{profile.name} is already appointed."]})
    conflicts = independence_conflicts(review=review, profile=profile)
    reason = (override_reason or "").strip()
    if conflicts:
        if not reason:
            raise ValidationError(
                {
                    "reviewer": [
                        *conflicts,
                        "The chair can appoint them anyway with a written reason.",
                    ]
                }
            )
        permissions.require_conflict_overrider(actor)
    with transaction.atomic():
        appointment = ReviewerAppointment.objects.create(
            review=review,
            profile=profile,
            appointed_on=appointed_on,
            appointed_by=actor.label,
            conflicts=conflicts,
            override_reason=reason if conflicts else "",
            override_by=actor.label if conflicts else "",
        )
        review_audit(
            actor,
            review,
            "reviewer.appointed",
            reviewer=profile.name,
            conflicts=len(conflicts),
            overridden=bool(conflicts),
        )
    return appointment


def reviewer_appointment_end(
    *, actor: Actor, appointment: ReviewerAppointment
) -> ReviewerAppointment:
    permissions.require_reviewer_manager(
        actor, "The lead partnership appoints the review's lead reviewers."
    )
    with transaction.atomic():
        appointment.ended_on = today()
        appointment.save(update_fields=["ended_on"])
        review_audit(
            actor,
            appointment.review,
            "reviewer.appointment_ended",
            reviewer=appointment.profile.name,
        )
    return appointment
