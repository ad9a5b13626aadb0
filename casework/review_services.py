"""Changes to reviews (DESIGN §2 steps 5 and 6): lead reviewers and their independence, terms
of reference, agency information, the chronology, findings, recommendations, actions and
documents. Referrals' services are in ``casework.services``; the same rules apply: each action
checks who may do it and writes its audit row in the same transaction.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from casework.clocks import add_working_days, working_days_between
from casework.joint import selectors as joint_selectors
from casework.joint.models import ParticipantPermission
from casework.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Affiliation,
    ChronologyEntry,
    Finding,
    InformationRequest,
    InformationResponse,
    PartnershipSignOff,
    Recommendation,
    Review,
    ReviewDocument,
    ReviewerAppointment,
    ReviewerProfile,
    TermsOfReference,
)
from casework.review_types import INFORMATION_REQUEST_WORKING_DAYS, REVIEW_TYPES
from casework.services import reference_next
from tenants.actors import Actor
from tenants.addresses import partnership_url
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency
from tenants.clock import now, today
from tenants.files import (
    DOCUMENTS,
    DOCUMENTS_AND_IMAGES,
    UploadedFile,
    stored_file_keep,
    stored_file_save,
    upload_problem,
    version_next,
)
from tenants.models import Membership, Role
from tenants.roles import MANAGERS, REVIEW_GROUP
from tenants.selectors import partnership_get
from tenants.validation import error_add, errors_raise

OVERRIDE_HINT = "The chair can appoint them anyway with a written reason."
INDEPENDENCE_LOOKBACK_YEARS = 5
DOCUMENT_MAX_BYTES = 25 * 1024 * 1024
ASKS = {
    "chronology": "A chronology of the agency's involvement",
    "single_agency_report": "A single-agency report",
    "documents": "Documents (records, assessments, plans)",
}
DOCUMENT_KINDS = {
    "draft_report": "Draft report",
    "final_report": "Final report",
    "paper": "Paper",
}


def _audit(actor: Actor, review: Review, what: str, **detail) -> None:
    audit_event_record(
        actor=actor,
        action=what,
        object_type="review",
        object_ref=review.reference,
        detail=detail,
    )


def is_appointed(actor: Actor, review: Review, *, on: datetime.date | None = None) -> bool:
    """Whether the actor is a lead reviewer appointed to this review (and the appointment has
    begun)."""
    if not actor.has_role(Role.LEAD_REVIEWER):
        return False
    day = on or today()
    return review.appointments.filter(
        profile__user_uuid=actor.user.uuid, ended_on__isnull=True, appointed_on__lte=day
    ).exists()


def require_review_worker(actor: Actor, review: Review) -> None:
    """The review group, and the lead reviewers appointed to this review, do its work. In a
    joint review, so do the participants' review groups and appointed reviewers, through the
    door and on that review only."""
    if actor.is_joint and review.uuid not in actor.review_uuids:
        raise PermissionDenied("This is not the joint review you came through the door for.")
    if actor.has_role(*REVIEW_GROUP) or is_appointed(actor, review):
        return
    raise PermissionDenied("Only the review group and the appointed reviewer can do this.")


# --- Joint reviews: what a participant may do in the lead's review ----------------------------


def require_lead_side(actor: Actor, what: str) -> None:
    """Some of a joint review stays with the lead partnership: its stages, its lead reviewers,
    its terms of reference and its documents (DESIGN §3: the review is the lead's)."""
    if actor.is_joint:
        raise PermissionDenied(what)


def require_permission(actor: Actor, permission: str) -> None:
    """What the grant lets a participant do (a partnership at home may do all of it)."""
    if not actor.may(permission):
        raise PermissionDenied(
            "The lead partnership has not given your partnership this part of the review: "
            + ParticipantPermission(permission).label.lower()
            + "."
        )


def agency_in_reach(actor: Actor, review: Review, agency: Agency) -> bool:
    """Which agencies a review may name. A participant names only its own agencies (their
    mirrors in the lead's schema); the lead its own, and those of the partnerships taking part
    in this review; a single review only the partnership's own."""
    if actor.is_joint:
        return agency.home_partnership_key == actor.partnership.key
    if not agency.home_partnership_key:
        return True
    return agency.home_partnership_key in joint_selectors.participant_keys(review_uuid=review.uuid)


def _check_agency(actor: Actor, review: Review, agency, errors: dict, field: str) -> None:
    if agency is not None and not agency_in_reach(actor, review, agency):
        error_add(errors, field, "Choose one of your partnership's agencies.")


def action_owner_key(action: Action) -> str:
    """The key of the partnership an action belongs to in a joint review; empty for the
    partnership whose schema holds the review (the lead)."""
    if action.owner_agency_id:
        return action.owner_agency.home_partnership_key
    return action.owner_partnership_key


def owns_action(actor: Actor, action: Action) -> bool:
    """Whether the action is the actor's partnership's (its own agency's, or its own)."""
    return action_owner_key(action) == (actor.partnership.key if actor.is_joint else "")


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


def may_move_stage(actor: Actor, review: Review, stage) -> bool:
    """Whether the actor may move the review into ``stage``: the stage's own list of who may
    (a lead reviewer only when appointed to this review); never a joint review's participant."""
    if actor.is_joint:
        return False
    others = [role for role in stage.moved_by if role != Role.LEAD_REVIEWER]
    return actor.has_role(*others) or (
        Role.LEAD_REVIEWER in stage.moved_by and is_appointed(actor, review)
    )


def review_stage_move(*, actor: Actor, review: Review, to_stage: str) -> Review:
    """Move the review to its next stage, if the actor's role may and the stage's prerequisites
    are met (the review type's process definition names both)."""
    require_lead_side(actor, "The lead partnership moves the review from stage to stage.")
    definition = review.definition
    following = definition.next_stage(review.stage)
    if following is None or following.key != to_stage:
        raise ValidationError({"stage": [f"The review cannot move to '{to_stage}' from here."]})
    if not may_move_stage(actor, review, following):
        raise PermissionDenied(f"Your role cannot move a review to '{following.label}'.")
    missing = stage_missing(review, to_stage)
    if missing:
        raise ValidationError({"stage": missing})
    with transaction.atomic():
        before = review.stage
        review.stage = to_stage
        review.save(update_fields=["stage"])
        _audit(actor, review, "review.stage_moved", before=before, after=to_stage)
    return review


def review_chair_sign_off(*, actor: Actor, review: Review, statement: str = "") -> Review:
    """The chair signs the report off: the last step before a review is completed. In a joint
    review each participant's chair signs off for their partnership too (through the door), with
    the chair's statement that goes with the published report."""
    actor.require_role(Role.CHAIR)
    if actor.is_joint:
        require_review_worker(actor, review)
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
            _audit(actor, review, "review.signed_off", partnership=actor.partnership.key)
        return review
    with transaction.atomic():
        review.chair_signed_off_by = actor.label
        review.chair_signed_off_at = now()
        review.save(update_fields=["chair_signed_off_by", "chair_signed_off_at"])
        _audit(actor, review, "review.signed_off")
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
    require_lead_side(actor, "A partnership commissions its reviews on its own host.")
    actor.require_role(*MANAGERS)
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
        _audit(
            actor,
            review,
            "review.commissioned",
            type=review_type,
            referrals=[r.reference for r in referrals],
        )
    return review


# --- Lead reviewers and independence -----------------------------------------------------------


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
    require_lead_side(actor, "The lead partnership records its reviewers.")
    actor.require_role(*MANAGERS)
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
    require_lead_side(actor, "The lead partnership appoints the review's lead reviewers.")
    actor.require_role(*MANAGERS)
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
        if not actor.has_role(Role.CHAIR):
            raise PermissionDenied("Only the chair can override a conflict of interest.")
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
        _audit(
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
    require_lead_side(actor, "The lead partnership appoints the review's lead reviewers.")
    actor.require_role(*MANAGERS)
    with transaction.atomic():
        appointment.ended_on = today()
        appointment.save(update_fields=["ended_on"])
        _audit(
            actor,
            appointment.review,
            "reviewer.appointment_ended",
            reviewer=appointment.profile.name,
        )
    return appointment


# --- Terms of reference ------------------------------------------------------------------------


def terms_write(
    *,
    actor: Actor,
    review: Review,
    scope: str,
    lines_of_enquiry: str,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
) -> TermsOfReference:
    """A new version of the terms of reference (earlier versions, signed off or not, stay)."""
    require_lead_side(actor, "The lead partnership writes the terms of reference.")
    require_review_worker(actor, review)
    errors: dict[str, list[str]] = {}
    if not (scope or "").strip():
        error_add(errors, "scope", "Describe the review's scope.")
    if not [line for line in (lines_of_enquiry or "").splitlines() if line.strip()]:
        error_add(errors, "lines_of_enquiry", "Give at least one key line of enquiry.")
    if period_start is None:
        error_add(errors, "period_start", "Enter when the period under review starts.")
    if period_end is None:
        error_add(errors, "period_end", "Enter when the period under review ends.")
    elif period_start and period_end < period_start:
        error_add(errors, "period_end", "The period cannot end before it starts.")
    errors_raise(errors)
    with transaction.atomic():
        version = (review.terms.aggregate(last=Max("version"))["last"] or 0) + 1
        terms = TermsOfReference.objects.create(
            review=review,
            version=version,
            scope=scope.strip(),
            lines_of_enquiry=lines_of_enquiry.strip(),
            period_start=period_start,
            period_end=period_end,
            written_by=actor.label,
        )
        _audit(actor, review, "terms.written", version=version)
    return terms


def terms_sign_off(*, actor: Actor, terms: TermsOfReference) -> TermsOfReference:
    """The chair signs off the latest version (the lead's chair, in a joint review)."""
    require_lead_side(actor, "The lead partnership's chair signs off the terms of reference.")
    actor.require_role(Role.CHAIR)
    latest = terms.review.terms.order_by("-version").first()
    if latest.pk != terms.pk:
        raise ValidationError(["Only the latest version can be signed off."])
    if terms.signed_off_at:
        raise ValidationError(["This version is already signed off."])
    with transaction.atomic():
        terms.signed_off_by = actor.label
        terms.signed_off_at = now()
        terms.save(update_fields=["signed_off_by", "signed_off_at"])
        _audit(actor, terms.review, "terms.signed_off", version=terms.version)
    return terms


# --- Agency information ------------------------------------------------------------------------


def information_request_create(
    *,
    actor: Actor,
    review: Review,
    agency: Agency,
    asks: list[str],
    details: str = "",
    due: datetime.date | None = None,
) -> InformationRequest:
    """Ask an agency for its information, due by default 20 working days from today. In a joint
    review a participant asks its own agencies."""
    require_review_worker(actor, review)
    require_permission(actor, ParticipantPermission.CONTRIBUTE)
    errors: dict[str, list[str]] = {}
    _check_agency(actor, review, agency, errors, "agency")
    unknown = [ask for ask in asks if ask not in ASKS]
    if not asks or unknown:
        error_add(errors, "asks", "Choose what you are asking for.")
    now = today()
    due = due or add_working_days(now, INFORMATION_REQUEST_WORKING_DAYS)
    if due <= now:
        error_add(errors, "due", "The due date must be in the future.")
    if not agency.is_active:
        error_add(errors, "agency", "This agency is no longer active.")
    errors_raise(errors)
    with transaction.atomic():
        request = InformationRequest.objects.create(
            review=review,
            agency=agency,
            asks=list(dict.fromkeys(asks)),
            details=(details or "").strip(),
            requested_on=now,
            due=due,
            requested_by=actor.label,
        )
        review.agencies.add(agency)
        _audit(actor, review, "information.requested", agency=agency.name, due=due.isoformat())
    return request


def information_response_submit(
    *, actor: Actor, request: InformationRequest, text: str
) -> InformationResponse:
    """The agency's answer, by its users or its system. Answering marks the request answered;
    further answers add to it."""
    if not actor.is_agency or request.agency.uuid != actor.agency_uuid:
        raise PermissionDenied("Only the agency asked can answer.")
    if request.status == InformationRequest.Status.CLOSED:
        raise ValidationError(["This request is closed."])
    if not (text or "").strip():
        raise ValidationError({"text": ["Write your agency's answer."]})
    with transaction.atomic():
        response = InformationResponse.objects.create(
            request=request, text=text.strip(), submitted_by=actor.label
        )
        request.status = InformationRequest.Status.ANSWERED
        request.save(update_fields=["status"])
        _audit(
            actor,
            request.review,
            "information.answered",
            agency=request.agency.name,
            request=str(request.uuid),
        )
    return response


def may_close_request(actor: Actor, request: InformationRequest) -> bool:
    """The review's workers close requests; a participant only those to its own agencies."""
    return not actor.is_joint or (
        actor.may(ParticipantPermission.CONTRIBUTE)
        and agency_in_reach(actor, request.review, request.agency)
    )


def information_request_close(*, actor: Actor, request: InformationRequest) -> InformationRequest:
    require_review_worker(actor, request.review)
    if not may_close_request(actor, request):
        raise PermissionDenied("Only the lead closes a request to another partnership's agency.")
    with transaction.atomic():
        request.status = InformationRequest.Status.CLOSED
        request.save(update_fields=["status"])
        _audit(actor, request.review, "information.closed", agency=request.agency.name)
    return request


def _agency_emails(actor: Actor, agency: Agency) -> list[str]:
    """The agency's users; a joint review participant's agency (a mirror here) has its users
    in its own partnership (memberships are in the public schema: nothing crosses)."""
    if agency.home_partnership_key:
        memberships = Membership.objects.filter(
            partnership__key=agency.home_partnership_key, agency_uuid=agency.home_agency_uuid
        )
    else:
        memberships = Membership.objects.filter(
            partnership=actor.partnership, agency_uuid=agency.uuid
        )
    return sorted(
        memberships.filter(role=Role.AGENCY_USER, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def _home_of(actor: Actor, key: str):
    """The partnership whose people act on something: this one, or a joint review's
    participant."""
    return (partnership_get(key=key) if key else None) or actor.partnership


def information_requests_chase(*, actor: Actor, day: datetime.date | None = None) -> int:
    """The daily job: each overdue open request is chased once a day (the conditional update
    of ``last_chased_on`` is the guarantee, so a second run the same day sends nothing)."""
    day = day or today()
    chased = 0
    overdue = InformationRequest.objects.filter(
        status=InformationRequest.Status.OPEN, due__lt=day
    ).filter(Q(last_chased_on__isnull=True) | Q(last_chased_on__lt=day))
    for request in overdue.select_related("agency", "review"):
        with transaction.atomic():
            claimed = (
                InformationRequest.objects.filter(pk=request.pk)
                .filter(Q(last_chased_on__isnull=True) | Q(last_chased_on__lt=day))
                .update(last_chased_on=day)
            )
            if not claimed:
                continue
            recipients = _agency_emails(actor, request.agency)
            if recipients:
                days = working_days_between(request.due, day)
                send_mail(
                    subject=f"{request.review.reference}: information overdue",
                    message=(
                        f"The review {request.review.reference} asked {request.agency.name} for "
                        f"information due on {request.due.isoformat()}, {days} working day"
                        f"{'s' if days != 1 else ''} ago.\n\n"
                        + partnership_url(
                            partnership=_home_of(actor, request.agency.home_partnership_key),
                            path="/dashboard/",
                        )
                    ),
                    from_email=None,
                    recipient_list=recipients,
                )
            _audit(
                actor,
                request.review,
                "information.chased",
                agency=request.agency.name,
                recipients=len(recipients),
            )
            chased += 1
    return chased


# --- The chronology ----------------------------------------------------------------------------


@dataclass
class EntryInput:
    occurred_on: datetime.date | None
    agency: Agency | None
    what_happened: str
    who: str
    occurred_at: datetime.time | None = None
    source_document: str = ""
    key_episode: bool = False


def _check_entry(actor: Actor, review: Review, data: EntryInput) -> None:
    errors: dict[str, list[str]] = {}
    _check_agency(actor, review, data.agency, errors, "agency")
    if data.occurred_on is None:
        error_add(errors, "occurred_on", "Enter the date.")
    elif data.occurred_on > today():
        error_add(errors, "occurred_on", "The date cannot be in the future.")
    if data.agency is None:
        error_add(errors, "agency", "Choose the agency.")
    if not (data.what_happened or "").strip():
        error_add(errors, "what_happened", "Say what happened.")
    if not (data.who or "").strip():
        error_add(errors, "who", "Say who, by role (for example 'health visitor').")
    errors_raise(errors)


def entry_outside_period(review: Review, entry: ChronologyEntry) -> bool:
    """Allowed, but flagged: an entry dated outside the period under review."""
    terms = review.terms.order_by("-version").first()
    if terms is None:
        return False
    return not terms.period_start <= entry.occurred_on <= terms.period_end


def chronology_entry_add(*, actor: Actor, review: Review, data: EntryInput) -> ChronologyEntry:
    """An entry in the merged chronology; in a joint review a participant enters its own
    agencies' entries."""
    require_review_worker(actor, review)
    require_permission(actor, ParticipantPermission.CONTRIBUTE)
    _check_entry(actor, review, data)
    with transaction.atomic():
        entry = ChronologyEntry.objects.create(
            review=review,
            occurred_on=data.occurred_on,
            occurred_at=data.occurred_at,
            agency=data.agency,
            what_happened=data.what_happened.strip(),
            who=data.who.strip(),
            source_document=(data.source_document or "").strip(),
            key_episode=data.key_episode,
            entered_by=actor.label,
        )
        _audit(actor, review, "chronology.added", entry=str(entry.uuid))
    return entry


def may_correct_entry(actor: Actor, entry: ChronologyEntry) -> bool:
    """Whether to offer a correction: a participant corrects only its own agencies' entries (the
    service checks the whole rule again)."""
    if not actor.may(ParticipantPermission.CONTRIBUTE):
        return False
    return not actor.is_joint or entry.agency.home_partnership_key == actor.partnership.key


def chronology_entry_correct(
    *, actor: Actor, entry: ChronologyEntry, data: EntryInput
) -> ChronologyEntry:
    """A correction is a new entry that supersedes the old one, which is kept as it was: the
    chronology shows who entered what and when."""
    require_review_worker(actor, entry.review)
    require_permission(actor, ParticipantPermission.CONTRIBUTE)
    if not agency_in_reach(actor, entry.review, entry.agency):
        raise PermissionDenied("Only the lead corrects another partnership's agency's entries.")
    _check_entry(actor, entry.review, data)
    with transaction.atomic():
        # Claimed in the database, so two people correcting the same entry cannot both win.
        if not ChronologyEntry.objects.filter(pk=entry.pk, is_current=True).update(
            is_current=False
        ):
            raise ValidationError(
                ["This entry has already been corrected; correct the latest one."]
            )
        corrected = ChronologyEntry.objects.create(
            review=entry.review,
            occurred_on=data.occurred_on,
            occurred_at=data.occurred_at,
            agency=data.agency,
            what_happened=data.what_happened.strip(),
            who=data.who.strip(),
            source_document=(data.source_document or "").strip(),
            key_episode=data.key_episode,
            entered_by=actor.label,
            supersedes=entry,
        )
        _audit(
            actor,
            entry.review,
            "chronology.corrected",
            entry=str(corrected.uuid),
            supersedes=str(entry.uuid),
        )
    return corrected


# --- Findings and recommendations --------------------------------------------------------------


def finding_add(*, actor: Actor, review: Review, text: str, evidence=()) -> Finding:
    require_review_worker(actor, review)
    require_permission(actor, ParticipantPermission.FINDINGS)
    if not (text or "").strip():
        raise ValidationError({"text": ["Write the finding."]})
    foreign = [entry for entry in evidence if entry.review_id != review.pk or not entry.is_current]
    if foreign:
        raise ValidationError({"evidence": ["Link only current entries of this chronology."]})
    with transaction.atomic():
        number = (review.findings.aggregate(last=Max("number"))["last"] or 0) + 1
        finding = Finding.objects.create(
            review=review, number=number, text=text.strip(), written_by=actor.label
        )
        finding.evidence.set(evidence)
        _audit(actor, review, "finding.added", number=number, evidence=len(evidence))
    return finding


def recommendation_add(
    *,
    actor: Actor,
    review: Review,
    text: str,
    to_partnership: bool,
    agencies=(),
    findings=(),
) -> Recommendation:
    """A numbered recommendation, addressed to the partnership or to named agencies."""
    require_review_worker(actor, review)
    require_permission(actor, ParticipantPermission.FINDINGS)
    errors: dict[str, list[str]] = {}
    for agency in agencies:
        _check_agency(actor, review, agency, errors, "agencies")
    if not (text or "").strip():
        error_add(errors, "text", "Write the recommendation.")
    if not to_partnership and not agencies:
        error_add(errors, "agencies", "Address it to the partnership or to one or more agencies.")
    errors_raise(errors)
    with transaction.atomic():
        number = (review.recommendations.aggregate(last=Max("number"))["last"] or 0) + 1
        recommendation = Recommendation.objects.create(
            review=review, number=number, text=text.strip(), to_partnership=to_partnership
        )
        recommendation.agencies.set(agencies)
        recommendation.findings.set(findings)
        _audit(actor, review, "recommendation.added", number=number)
    return recommendation


# --- Actions -----------------------------------------------------------------------------------


def action_rag(action: Action, day: datetime.date) -> str:
    """Red, amber or green from progress and the due date: green when complete or verified;
    red when overdue; amber when due within 10 working days, or not started with less than half
    its time left; green otherwise."""
    if action.status in (ActionStatus.COMPLETE, ActionStatus.VERIFIED):
        return "green"
    if action.due < day:
        return "red"
    if working_days_between(day, action.due) <= 10:
        return "amber"
    if action.status == ActionStatus.NOT_STARTED:
        started = timezone.localdate(action.created_at) if action.created_at else day
        if (action.due - day) * 2 < (action.due - started):
            return "amber"
    return "green"


def action_add(
    *,
    actor: Actor,
    recommendation: Recommendation,
    description: str,
    owner_agency: Agency | None,
    due: datetime.date | None,
) -> Action:
    """An action on a recommendation, owned by an agency (or, with none, by the partnership). In
    a joint review a participant agrees actions its own agencies, or it itself, will carry out:
    it owns them and tracks them with its own."""
    review = recommendation.review
    require_review_worker(actor, review)
    require_permission(actor, ParticipantPermission.CONTRIBUTE)
    errors: dict[str, list[str]] = {}
    _check_agency(actor, review, owner_agency, errors, "owner")
    if not (description or "").strip():
        error_add(errors, "description", "Describe the action.")
    if due is None:
        error_add(errors, "due", "Enter the due date.")
    elif due < today():
        error_add(errors, "due", "The due date cannot be in the past.")
    errors_raise(errors)
    with transaction.atomic():
        action = Action.objects.create(
            recommendation=recommendation,
            review=review,
            description=description.strip(),
            owner_agency=owner_agency,
            owner_partnership_key=actor.partnership.key
            if actor.is_joint and owner_agency is None
            else "",
            due=due,
        )
        _audit(
            actor,
            review,
            "action.added",
            action=str(action.uuid),
            owner=owner_agency.name
            if owner_agency
            else (action.owner_partnership_key or "partnership"),
            due=due.isoformat(),
        )
    return action


def may_update_action(actor: Actor, action: Action) -> bool:
    """Its owner agency, and the review group; in a joint review a participant's review group
    only for its own actions (each participant owns its actions)."""
    if actor.is_agency:
        return action.owner_agency_id is not None and action.owner_agency.uuid == actor.agency_uuid
    if not actor.has_role(*REVIEW_GROUP):
        return False
    return not actor.is_joint or owns_action(actor, action)


def may_verify_action(actor: Actor, action: Action) -> bool:
    return actor.has_role(*REVIEW_GROUP) and (not actor.is_joint or owns_action(actor, action))


def action_update_add(
    *,
    actor: Actor,
    action: Action,
    status: str,
    note: str,
    evidence: UploadedFile | None = None,
) -> ActionUpdate:
    """Progress from the owner, with evidence. A verified action cannot change."""
    if not may_update_action(actor, action):
        raise PermissionDenied("Only the action's owner can update it.")
    if Action.objects.filter(pk=action.pk, status=ActionStatus.VERIFIED).exists():
        raise ValidationError(["This action has been verified by the review group and is closed."])
    errors: dict[str, list[str]] = {}
    if status not in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETE):
        error_add(errors, "status", "Choose not started, in progress or complete.")
    if not (note or "").strip():
        error_add(errors, "note", "Describe the progress.")
    content_type = ""
    if evidence is not None:
        content_type, problem = upload_problem(
            evidence,
            accepted=DOCUMENTS_AND_IMAGES,
            described="PDF, Word document or image",
            max_bytes=DOCUMENT_MAX_BYTES,
        )
        if problem:
            error_add(errors, "evidence", problem)
    errors_raise(errors)
    with transaction.atomic():
        update = ActionUpdate(
            action=action,
            status=status,
            note=note.strip(),
            written_by=actor.label,
            evidence_name=evidence.name[:255] if evidence else "",
            evidence_type=content_type,
        )
        if evidence is not None:
            stored_file_save(update.evidence, name=update.uuid, upload=evidence)
        update.save()
        Action.objects.filter(pk=action.pk).update(status=status)
        action.status = status
        _audit(
            actor,
            action.review,
            "action.updated",
            action=str(action.uuid),
            status=status,
            evidence=bool(evidence),
        )
    return update


def action_verify(*, actor: Actor, action: Action) -> Action:
    """The review group verifies a completed action; it is then closed. A joint review's
    participant verifies its own actions."""
    actor.require_role(*REVIEW_GROUP)
    if not may_verify_action(actor, action):
        raise PermissionDenied("Each partnership verifies its own actions.")
    moment = now()
    with transaction.atomic():
        # Decided in the database: the action must be complete now, not when it was read.
        if not Action.objects.filter(pk=action.pk, status=ActionStatus.COMPLETE).update(
            status=ActionStatus.VERIFIED, verified_by=actor.label, verified_at=moment
        ):
            raise ValidationError(["Only a completed action can be verified."])
        action.status, action.verified_by, action.verified_at = (
            ActionStatus.VERIFIED,
            actor.label,
            moment,
        )
        _audit(actor, action.review, "action.verified", action=str(action.uuid))
    return action


def actions_chase(*, actor: Actor, day: datetime.date | None = None) -> int:
    """The daily job: each overdue open action is chased with its owner once a day."""
    day = day or today()
    chased = 0
    overdue = Action.objects.filter(
        status__in=(ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS), due__lt=day
    ).filter(Q(last_chased_on__isnull=True) | Q(last_chased_on__lt=day))
    for action in overdue.select_related("owner_agency", "review"):
        with transaction.atomic():
            claimed = (
                Action.objects.filter(pk=action.pk)
                .filter(Q(last_chased_on__isnull=True) | Q(last_chased_on__lt=day))
                .update(last_chased_on=day)
            )
            if not claimed:
                continue
            owner_key = action_owner_key(action)
            if action.owner_agency is not None:
                recipients = _agency_emails(actor, action.owner_agency)
            else:
                recipients = sorted(
                    Membership.objects.filter(
                        partnership=_home_of(actor, owner_key), role=Role.BUSINESS_MANAGER
                    ).values_list("user__email", flat=True)
                )
            if recipients:
                send_mail(
                    subject=f"{action.review.reference}: an action is overdue",
                    message=(
                        f"An action from review {action.review.reference} was due on "
                        f"{action.due.isoformat()}.\n\n"
                        + partnership_url(partnership=_home_of(actor, owner_key), path="/actions/")
                    ),
                    from_email=None,
                    recipient_list=recipients,
                )
            _audit(
                actor,
                action.review,
                "action.chased",
                action=str(action.uuid),
                recipients=len(recipients),
            )
            chased += 1
    return chased


# --- Documents ---------------------------------------------------------------------------------


def review_document_upload(
    *, actor: Actor, review: Review, title: str, kind: str, upload: UploadedFile
) -> ReviewDocument:
    """A new version of a review document (a draft report, a paper). PDF or Word only, stored
    in the partnership's folder under a random name; each version kept."""
    require_lead_side(actor, "The lead partnership keeps the review's documents.")
    require_review_worker(actor, review)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        error_add(errors, "title", "Give the document a title.")
    if kind not in DOCUMENT_KINDS:
        error_add(errors, "kind", "Choose what kind of document it is.")
    content_type, problem = upload_problem(
        upload,
        accepted=DOCUMENTS,
        described="PDF or Word (.docx) document",
        max_bytes=DOCUMENT_MAX_BYTES,
    )
    if problem:
        error_add(errors, "file", problem)
    errors_raise(errors)
    title = title.strip()
    with transaction.atomic():
        version = version_next(review.documents.filter(title=title))
        document = stored_file_keep(
            ReviewDocument(
                review=review, title=title, kind=kind, version=version, uploaded_by=actor.label
            ),
            upload=upload,
            content_type=content_type,
        )
        _audit(
            actor,
            review,
            "document.uploaded",
            document=str(document.uuid),
            title=title,
            version=version,
        )
    return document
