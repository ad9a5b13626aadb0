"""Lead reviewers (DESIGN §2 step 5): their declared affiliations, the independence check
against the partnership and every organisation involved in the case, and their appointment (a
conflict only by the chair, with a written reason)."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from rapidfuzz import fuzz, process, utils

from casework import permissions
from casework.audit import review_audit
from casework.joint import selectors as joint_selectors
from casework.models import (
    Affiliation,
    Review,
    ReviewerAppointment,
    ReviewerProfile,
)
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency
from tenants.agencies.selectors import agency_register, name_key
from tenants.clock import today
from tenants.models import Membership, Role
from tenants.selectors import partnership_get
from tenants.validation import error_add, errors_raise

OVERRIDE_HINT = "The chair can appoint them anyway with a written reason."
CONFIRM_HINT = "The chair must confirm their independence, with a reason, before appointing them."
INDEPENDENCE_LOOKBACK_YEARS = 5


@dataclass
class AffiliationInput:
    """One declared affiliation: an agency chosen from the register (``agency_uuid``), or an
    organisation named in free text (a partnership, an agency the register does not know)."""

    organisation: str
    started_on: datetime.date | None
    ended_on: datetime.date | None = None
    role: str = ""
    agency_uuid: str | None = None


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
    register = {str(agency.uuid): agency for agency in Agency.objects.own()}
    chosen = []
    for index, item in enumerate(affiliations):
        agency = register.get(str(item.agency_uuid)) if item.agency_uuid else None
        chosen.append(agency)
        if item.agency_uuid and agency is None:
            error_add(errors, f"affiliations.{index}.agency", "Choose an agency from the register.")
        elif agency is None and not item.organisation.strip():
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
                agency=agency,
                organisation=agency.name if agency else " ".join(item.organisation.split()),
                role=item.role.strip(),
                started_on=item.started_on,
                ended_on=item.ended_on,
            )
            for item, agency in zip(affiliations, chosen, strict=True)
        )
        audit_event_record(
            actor=actor,
            action="reviewer.saved" if not created else "reviewer.added",
            object_type="reviewer",
            object_ref=str(profile.uuid),
            detail={"name": profile.name, "affiliations": len(affiliations)},
        )
    return profile


# A free-text affiliation this alike (rapidfuzz's token-set ratio, 0 to 100) to a name on the case
# is a near match: a warning the chair answers, not a block.
NEAR_MATCH_SCORE = 88


@dataclass
class Independence:
    """What the check found: ``conflicts`` block the appointment (an exact match, through the
    register's aliases) unless the chair overrides them; ``warnings`` (near matches of free
    text) need the chair to confirm the reviewer's independence with a reason."""

    conflicts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _case_names(review: Review) -> dict[str, str]:
    """Every name, as ``name_key`` compares them, of the agencies on the case, each to the name
    the case knows it by: their register names and aliases, a joint review's mirrors by their
    home names, and the agencies the referrer named that the register did not know (with the
    register's names for them when one is an alias)."""
    names: dict[str, str] = {}
    for agency in _agencies_on_the_case(review):
        for name in agency.names:
            names.setdefault(name_key(name), agency.name)
        if agency.is_mirror:
            # "Met Police (Lewisham)" is Lewisham's Met Police: a reviewer declares "Met Police".
            names.setdefault(name_key(agency.name.rsplit(" (", 1)[0]), agency.name)
    if review.referral_id:
        for name in review.referral.other_agencies_involved:
            names.setdefault(name_key(name), name)
    register = agency_register()
    for key, shown in list(names.items()):
        if key in register:
            for name in register[key].names:
                names.setdefault(name_key(name), shown)
    return names


def _affiliation_keys(affiliation: Affiliation, register: dict) -> set[str]:
    """The names an affiliation stands for: the register agency's names when it was chosen from
    the register, or its free text matches one of them; else the text alone."""
    agency = affiliation.agency
    if agency is None:
        agency = register.get(name_key(affiliation.organisation))
    keys = {name_key(affiliation.organisation)}
    if agency is not None:
        keys |= {name_key(name) for name in agency.names}
    return keys


def _near_match(text: str, names: dict[str, str]) -> tuple[str, int] | None:
    """The name on the case the text is nearly (punctuation ignored), with how alike. Only
    names of two words or more: a one-word name (a partnership's key, "croydon") is in every
    local organisation's name."""
    candidates = [name for name in names if len(name.split()) > 1]
    found = process.extractOne(
        text,
        candidates,
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
        score_cutoff=NEAR_MATCH_SCORE,
    )
    return (names[found[0]], round(found[1])) if found else None


def independence_check(*, review: Review, profile: ReviewerProfile) -> Independence:
    """DESIGN §2 step 5 (Working Together 2023 ch. 5: reviewers independent of the case): a
    declared affiliation with this partnership or with any agency involved in the case, current
    or within the last 5 years before the review was commissioned (or during the period under
    review), is a conflict. Organisations match through the agencies register: an affiliation
    chosen from it, or typed as any of an agency's names or aliases ("MPS", "Met Police",
    "Metropolitan Police Service"), matches exactly; other free text that is nearly a name on
    the case (rapidfuzz, ``NEAR_MATCH_SCORE``) is a warning the chair must answer."""
    partnership = {key: key for key in review_partnership_names(review)}
    agencies = _case_names(review)
    register = agency_register()
    terms = review.terms.order_by("-version").first()
    since = review.commissioned_on.replace(
        year=review.commissioned_on.year - INDEPENDENCE_LOOKBACK_YEARS
    )
    if terms is not None:
        since = min(since, terms.period_start)
    found = Independence()
    for affiliation in profile.affiliations.select_related("agency"):
        if affiliation.ended_on is not None and affiliation.ended_on < since:
            continue
        when = (
            f"{affiliation.started_on.isoformat()} to "
            f"{affiliation.ended_on.isoformat() if affiliation.ended_on else 'now'}"
        )
        keys = _affiliation_keys(affiliation, register)
        if keys & set(partnership):
            found.conflicts.append(
                f"{profile.name} worked for {affiliation.organisation} ({when}), the "
                "partnership commissioning the review."
            )
        elif keys & set(agencies):
            shown = agencies[sorted(keys & set(agencies))[0]]
            as_shown = {name_key(shown), name_key(shown.rsplit(" (", 1)[0])}
            declared = (
                ""
                if name_key(affiliation.organisation) in as_shown
                # Matched through the register's aliases: say how the reviewer put it.
                else f", declared as '{affiliation.organisation}'"
            )
            found.conflicts.append(
                f"{profile.name} worked for {shown} ({when}){declared}, an agency involved in "
                "the case."
            )
        elif affiliation.agency_id is None:
            text = name_key(affiliation.organisation)
            near = _near_match(text, partnership) or _near_match(text, agencies)
            if near:
                found.warnings.append(
                    f"{profile.name} declared '{affiliation.organisation}' ({when}), which is "
                    f"close to {near[0]} on this case ({near[1]}% alike): the chair must "
                    "confirm their independence."
                )
    return found


def independence_conflicts(*, review: Review, profile: ReviewerProfile) -> list[str]:
    """The exact conflicts of ``independence_check``."""
    return independence_check(review=review, profile=profile).conflicts


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
    return {name_key(name) for name in names if name}


def reviewer_appoint(
    *,
    actor: Actor,
    review: Review,
    profile: ReviewerProfile,
    appointed_on: datetime.date | None = None,
    override_reason: str = "",
    independence_reason: str = "",
) -> ReviewerAppointment:
    """Appoint a lead reviewer after checking their independence (``independence_check``). A
    conflict blocks the appointment unless the chair overrides it with a written reason; a near
    match is a warning the chair answers, confirming independence with a reason (the override's
    reason answers it too). Both are shown on the review and audited."""
    permissions.require_reviewer_manager(
        actor, "The lead partnership appoints the review's lead reviewers."
    )
    appointed_on = appointed_on or today()
    if review.appointments.filter(profile=profile, ended_on__isnull=True).exists():
        raise ValidationError({"reviewer": [f"{profile.name} is already appointed."]})
    found = independence_check(review=review, profile=profile)
    conflicts, warnings = found.conflicts, found.warnings
    reason = (override_reason or "").strip()
    confirmation = reason if conflicts else (independence_reason or "").strip()
    if conflicts:
        if not reason:
            raise ValidationError({"reviewer": [*conflicts, OVERRIDE_HINT]})
        permissions.require_conflict_overrider(actor)
    elif warnings:
        if not confirmation:
            raise ValidationError({"independence": [*warnings, CONFIRM_HINT]})
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
            warnings=warnings,
            independence_reason=confirmation if warnings else "",
            independence_confirmed_by=actor.label if warnings else "",
        )
        review_audit(
            actor,
            review,
            "reviewer.appointed",
            reviewer=profile.name,
            conflicts=len(conflicts),
            overridden=bool(conflicts),
            warnings=len(warnings),
        )
        if warnings:
            review_audit(
                actor,
                review,
                "reviewer.independence_confirmed",
                reviewer=profile.name,
                warnings=len(warnings),
                reason=confirmation,
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
