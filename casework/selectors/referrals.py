"""Reads of casework. Objects are reached through ``access_<thing>`` helpers that give the same
404 for "missing" and "not yours"; page-level reads are recorded in the audit trail."""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from casework import permissions
from casework.audit import referral_audit
from casework.criteria import screening_criteria
from casework.models import Attachment, Clock, ContributionRequest, Referral
from casework.regimes import regime_disagreement
from casework.selectors.waiting import with_waiting_work
from casework.working_days import add_working_days
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency, AuditEvent
from tenants.clock import today
from tenants.validation import found_or_404, reference_parse, uuid_or_404

DUE_SOON_WORKING_DAYS = 2


def _visible_referrals(actor: Actor) -> QuerySet[Referral]:
    """The review group sees every referral; an agency (its users and its system) sees the
    referrals it made; anyone else, none (lead reviewers reach reviews, not referrals)."""
    referrals = Referral.objects.all()
    if permissions.may_see_every_case(actor):
        return referrals
    if actor.is_agency:
        return referrals.filter(referring_agency__uuid=actor.agency_uuid)
    return referrals.none()


def visible_referrals(actor: Actor) -> QuerySet[Referral]:
    """The referrals this actor sees (``_visible_referrals``), for other topics' reads."""
    return _visible_referrals(actor)


def access_referral(*, actor: Actor, reference: str) -> Referral:
    """The referral, if this actor may see it; the same 404 otherwise."""
    return found_or_404(
        _visible_referrals(actor)
        .select_related("referring_agency")
        .filter(reference=reference_parse(reference))
        .first(),
        "No such referral.",
    )


def referral_for_page(*, actor: Actor, reference: str) -> Referral:
    """The referral with everything its page or API answer shows; the read is audited."""
    referral = found_or_404(
        _visible_referrals(actor)
        .select_related("referring_agency", "screening", "rapid_review", "decision", "review")
        .prefetch_related(
            "children",
            "clocks",
            "agencies_involved",
            "attachments",
            Prefetch(
                "rapid_review__contribution_requests",
                queryset=ContributionRequest.objects.select_related("agency"),
            ),
        )
        .filter(reference=reference_parse(reference))
        .first(),
        "No such referral.",
    )
    referral_audit(actor, referral, "referral.viewed")
    return referral


def referral_list(
    *,
    actor: Actor,
    status: str = "",
    agency_uuid=None,
    due_soon: bool = False,
    overdue: bool = False,
    audit: bool = True,
) -> QuerySet[Referral]:
    """The triage list, newest first, with each referral's agency, clocks and what it waits for
    (``casework.selectors.waiting``) in a fixed number of queries whatever the number of
    referrals."""
    referrals = _visible_referrals(actor).select_related("referring_agency")
    if status:
        referrals = referrals.filter(status=status)
    if agency_uuid:
        referrals = referrals.filter(referring_agency__uuid=agency_uuid)
    now = today()
    open_clocks = Clock.objects.filter(referral=OuterRef("pk"), stopped_on__isnull=True)
    if overdue:
        referrals = referrals.filter(Exists(open_clocks.filter(due__lt=now)))
    if due_soon:
        horizon = add_working_days(now, DUE_SOON_WORKING_DAYS)
        referrals = referrals.filter(Exists(open_clocks.filter(due__gte=now, due__lte=horizon)))
    if audit:
        audit_event_record(
            actor=actor,
            action="referrals.listed",
            object_type="referral",
            detail={
                k: v
                for k, v in {
                    "status": status,
                    "agency": str(agency_uuid or ""),
                    "due_soon": due_soon,
                    "overdue": overdue,
                }.items()
                if v
            },
        )
    return with_waiting_work(referrals.prefetch_related("clocks")).order_by("-created_at", "-id")


def clocks_needing_attention(*, actor: Actor, limit: int = 50) -> list[Clock]:
    """Open clocks, overdue first then by due date, of the referrals this actor sees."""
    visible = _visible_referrals(actor).values("pk")
    return list(
        Clock.objects.filter(referral__in=visible, stopped_on__isnull=True)
        .select_related("referral")
        .order_by("due", "id")[:limit]
    )


def contribution_requests_for_agency(*, actor: Actor) -> QuerySet[ContributionRequest]:
    """Rapid-review contributions asked of the actor's agency."""
    if not actor.is_agency:
        return ContributionRequest.objects.none()
    return (
        ContributionRequest.objects.filter(agency__uuid=actor.agency_uuid)
        .select_related("agency", "rapid_review__referral")
        .order_by(F("submitted_at").asc(nulls_first=True), "due")
    )


def access_contribution_request(*, actor: Actor, reference: str) -> ContributionRequest:
    """The request to the actor's agency on that referral; 404 for anyone else. An agency asked
    for a contribution need not be the one that referred."""
    return found_or_404(
        contribution_requests_for_agency(actor=actor)
        .filter(rapid_review__referral__reference=reference_parse(reference))
        .first(),
        "No such request.",
    )


def contribution_request_for_page(*, actor: Actor, reference: str) -> ContributionRequest:
    """The request, with the referral's children so the agency can find its records; the read
    is audited like any read of the referral."""
    request = access_contribution_request(actor=actor, reference=reference)
    referral = request.rapid_review.referral
    request.children = list(referral.children.all())
    referral_audit(actor, referral, "contribution_request.viewed")
    return request


def referral_agency_choices() -> QuerySet[Agency]:
    """Every active agency of the partnership, for a referrer to name those involved (an agency
    user sees the others' names here, nothing of their casework)."""
    return Agency.objects.own().filter(is_active=True).order_by("name")


def attachment_for_download(*, actor: Actor, reference: str, attachment_uuid) -> Attachment:
    """A referral's file for someone who may see the referral; the download is audited."""
    referral = access_referral(actor=actor, reference=reference)
    attachment = found_or_404(
        referral.attachments.filter(uuid=uuid_or_404(attachment_uuid, "No such file.")).first(),
        "No such file.",
    )
    referral_audit(actor, referral, "attachment.downloaded", attachment=str(attachment.uuid))
    return attachment


def referral_screening_rules(referral: Referral) -> tuple[bool, list[str]]:
    return screening_criteria(referral)


def referral_timeline(*, referral: Referral) -> QuerySet[AuditEvent]:
    """Everything that happened to the referral, oldest first (reads left out)."""
    return (
        AuditEvent.objects.filter(
            Q(object_type="referral", object_ref=referral.reference)
            | Q(object_type="review", detail__referral=referral.reference)
        )
        .exclude(action__endswith=".viewed")
        .order_by("occurred_at", "id")
    )


def referrals_with_regime_disagreeing() -> list[tuple[str, str]]:
    """Each referral (by reference) whose recorded rules were not in force on its awareness
    date, and why: for a person to look at; nothing is changed."""
    rows = Referral.objects.values_list("reference", "regime", "aware_date").order_by("reference")
    found = [(reference, regime_disagreement(regime, aware)) for reference, regime, aware in rows]
    return [(reference, why) for reference, why in found if why]


def agencies_involved_besides_referrer(referral: Referral) -> list[str]:
    """The agencies named as involved, each once, without the referring agency, which the
    Panel's notification form names on its own (issue 14: it was listed twice)."""
    names = [a.name for a in referral.agencies_involved.all()]
    names += list(referral.other_agencies_involved)
    referrer = referral.referring_agency.name.casefold()
    seen: set[str] = set()
    besides = []
    for name in names:
        key = name.strip().casefold()
        if key and key != referrer and key not in seen:
            seen.add(key)
            besides.append(name)
    return besides
