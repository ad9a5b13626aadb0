"""Work queues (issue 14, item 1): what waits for whom, as lists a person opens from their
dashboard. Each queue is declared once below: what it holds (a query built on where each
referral waits, ``casework.selectors.waiting``, and on what each person may see), who sees it
(a ``may_*`` of ``casework.permissions``, never a role named here) and which filters it takes.

The dashboard counts every queue the person sees (one query a queue, whatever the data); a
queue's page lists it, filtered and paginated by the caller. Both reads are recorded in the
trail, with the queue and its filters, never a name."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from casework import permissions
from casework.joint import selectors as joint_selectors
from casework.joint.models import ParticipantState
from casework.models import (
    Action,
    ActionStatus,
    Clock,
    ContributionRequest,
    InformationRequest,
    Referral,
    Review,
    TermsOfReference,
)
from casework.models import ReferralStatus as S
from casework.processes import REVIEW_TYPES
from casework.regimes import REGIMES
from casework.selectors import referrals as referral_selectors
from casework.selectors.reviews import visible_reviews
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.clock import today
from tenants.validation import uuid_or_404

# Rules without a rapid review (2015): the chair decides once the notification is made.
DECIDED_AFTER_NOTIFICATION = tuple(
    key for key, regime in REGIMES.items() if not regime.rapid_review
)
OPEN_ACTIONS = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Queue:
    """One queue: its address (``key``), its title and what it is for, the kind of thing it
    lists (the page's columns), who sees it, its rows, and the fields its filters narrow:
    ``agency_field`` (the agency concerned) and ``due_field`` (overdue only)."""

    key: str
    title: str
    about: str
    kind: (
        str  # referral, contribution, information_request, action, review, terms, clock, invitation
    )
    may_see: Callable[[Actor], bool]
    rows: Callable[[Actor], QuerySet]
    agency_field: str = ""
    due_field: str = ""


def _an_agency(actor: Actor) -> bool:
    """An agency's people answer what is asked of their agency: who they act for, not a role
    (``Actor.is_agency``)."""
    return actor.is_agency


def _referrals(actor: Actor) -> QuerySet[Referral]:
    """The referrals the actor sees, oldest first, with where each waits (``referral_list``
    reads it in a fixed number of queries)."""
    return referral_selectors.referral_list(actor=actor, audit=False).order_by("created_at", "id")


def _awaiting_decision(actor: Actor) -> QuerySet[Referral]:
    return _referrals(actor).filter(
        Q(status=S.PANEL_RESPONDED) | Q(status=S.NOTIFIED, regime__in=DECIDED_AFTER_NOTIFICATION)
    )


def _contributions_overdue(actor: Actor) -> QuerySet[ContributionRequest]:
    """Rapid-review contributions not in by their due date, while the rapid review runs."""
    visible = referral_selectors.referral_list(actor=actor, audit=False).order_by().values("pk")
    return (
        ContributionRequest.objects.filter(
            submitted_at__isnull=True,
            due__lt=today(),
            rapid_review__referral__status=S.RAPID_REVIEW,
            rapid_review__referral__in=visible,
        )
        .select_related("agency", "rapid_review__referral")
        .order_by("due", "id")
    )


def _stages_before_sign_off() -> Q:
    """Reviews whose next stage needs the chair's sign-off, by each review type's stages
    (``casework.processes``)."""
    where = Q(pk__in=[])
    for key, process in REVIEW_TYPES.items():
        for stage in process.stages:
            following = process.next_stage(stage.key)
            if following is not None and "chair_signed_off" in following.needs:
                where |= Q(review_type=key, stage=stage.key)
    return where


def _reports_to_sign_off(actor: Actor) -> QuerySet[Review]:
    return (
        visible_reviews(actor)
        .filter(_stages_before_sign_off(), chair_signed_off_at__isnull=True)
        .order_by("commissioned_on", "id")
    )


def _terms_to_sign_off(actor: Actor) -> QuerySet[TermsOfReference]:
    """Each review's newest terms of reference, not yet signed off."""
    newer = TermsOfReference.objects.filter(
        review=OuterRef("review"), version__gt=OuterRef("version")
    )
    return (
        TermsOfReference.objects.filter(
            review__in=visible_reviews(actor), signed_off_at__isnull=True
        )
        .exclude(Exists(newer))
        .select_related("review")
        .order_by("written_at", "id")
    )


def _contributions_asked(actor: Actor) -> QuerySet[ContributionRequest]:
    return (
        referral_selectors.contribution_requests_for_agency(actor=actor)
        .filter(submitted_at__isnull=True)
        .order_by("due", "id")
    )


def _information_asked(actor: Actor) -> QuerySet[InformationRequest]:
    if not actor.is_agency:
        return InformationRequest.objects.none()
    return (
        InformationRequest.objects.filter(
            agency__uuid=actor.agency_uuid, status=InformationRequest.Status.OPEN
        )
        .select_related("agency", "review")
        .order_by("due", "id")
    )


def _actions_due(actor: Actor) -> QuerySet[Action]:
    if not actor.is_agency:
        return Action.objects.none()
    return (
        Action.objects.filter(owner_agency__uuid=actor.agency_uuid, status__in=OPEN_ACTIONS)
        .select_related("owner_agency", "review", "recommendation")
        .order_by("due", "id")
    )


def _review_deadlines(actor: Actor) -> QuerySet[Clock]:
    return (
        Clock.objects.filter(review__in=visible_reviews(actor), stopped_on__isnull=True)
        .select_related("review")
        .order_by("due", "id")
    )


def _information_outstanding(actor: Actor) -> QuerySet[InformationRequest]:
    return (
        InformationRequest.objects.filter(
            review__in=visible_reviews(actor), status=InformationRequest.Status.OPEN
        )
        .select_related("agency", "review")
        .order_by("due", "id")
    )


def _invitations(actor: Actor):
    return joint_selectors.invitations_received(actor=actor).filter(state=ParticipantState.INVITED)


QUEUES = (
    Queue(
        "screening",
        "Awaiting screening",
        "Referrals to screen against the criteria.",
        "referral",
        permissions.may_screen_referral,
        lambda actor: _referrals(actor).filter(status=S.RECEIVED),
        agency_field="referring_agency__uuid",
    ),
    Queue(
        "notification",
        "Awaiting notification",
        "Referrals screened as notifiable whose notification is still to be recorded.",
        "referral",
        permissions.may_notify,
        lambda actor: _referrals(actor).filter(status=S.SCREENED),
        agency_field="referring_agency__uuid",
    ),
    Queue(
        "contributions-overdue",
        "Rapid-review contributions overdue",
        "Agencies' contributions to running rapid reviews not in by their due date.",
        "contribution",
        permissions.may_run_rapid_review,
        _contributions_overdue,
        agency_field="agency__uuid",
    ),
    Queue(
        "decisions",
        "Awaiting decision",
        "Referrals waiting for the chair's decision.",
        "referral",
        permissions.may_decide,
        _awaiting_decision,
        agency_field="referring_agency__uuid",
    ),
    Queue(
        "decision-notices",
        "Decision notices",
        "Decisions still to be told to those the rules name.",
        "referral",
        permissions.may_record_decision_notices,
        lambda actor: _referrals(actor).filter(status=S.DECIDED, panel_notified_on__isnull=False),
        agency_field="referring_agency__uuid",
    ),
    Queue(
        "report-sign-offs",
        "Reports to sign off",
        "Reviews whose report waits for the chair's sign-off.",
        "review",
        permissions.may_sign_off_terms,
        _reports_to_sign_off,
    ),
    Queue(
        "terms-sign-offs",
        "Terms of reference to sign off",
        "Reviews whose newest terms of reference wait for the chair's sign-off.",
        "terms",
        permissions.may_sign_off_terms,
        _terms_to_sign_off,
    ),
    Queue(
        "contribution-requests",
        "Contributions asked of your agency",
        "Rapid reviews waiting for your agency's contribution.",
        "contribution",
        _an_agency,
        _contributions_asked,
        due_field="due",
    ),
    Queue(
        "information-requests",
        "Information asked of your agency",
        "Reviews' requests for your agency's information, still open.",
        "information_request",
        _an_agency,
        _information_asked,
        due_field="due",
    ),
    Queue(
        "actions-due",
        "Your agency's actions",
        "Actions your agency owns that are not yet complete, soonest due first.",
        "action",
        _an_agency,
        _actions_due,
        due_field="due",
    ),
    Queue(
        "review-deadlines",
        "Your reviews' deadlines",
        "The running clocks of the reviews you are appointed to.",
        "clock",
        permissions.is_reviewer,
        _review_deadlines,
        due_field="due",
    ),
    Queue(
        "review-information",
        "Information outstanding for your reviews",
        "Information requests of your reviews the agencies have not answered.",
        "information_request",
        permissions.is_reviewer,
        _information_outstanding,
        agency_field="agency__uuid",
        due_field="due",
    ),
    Queue(
        "invitations",
        "Invitations to joint reviews",
        "Other partnerships' invitations to take part in a joint review, waiting for your answer.",
        "invitation",
        permissions.may_manage_joint_reviews,
        _invitations,
    ),
)
QUEUE_KEYS = tuple(queue.key for queue in QUEUES)


def queues_for(actor: Actor) -> list[Queue]:
    """The queues this person sees."""
    return [queue for queue in QUEUES if queue.may_see(actor)]


def queue_counts(*, actor: Actor) -> list[tuple[Queue, int]]:
    """Each queue the person sees with how many wait in it: one query a queue. Records nothing
    (the dashboard's read is recorded once)."""
    return [(queue, queue.rows(actor).count()) for queue in queues_for(actor)]


@dataclass(frozen=True)
class QueueFilters:
    agency_uuid: object = None
    overdue: bool = False


def _filtered(queue: Queue, rows: QuerySet, filters: QueueFilters, day: datetime.date):
    if filters.agency_uuid and queue.agency_field:
        rows = rows.filter(**{queue.agency_field: uuid_or_404(filters.agency_uuid)})
    if filters.overdue and queue.due_field:
        rows = rows.filter(**{f"{queue.due_field}__lt": day})
    return rows


def queue_named(key: str) -> Queue:
    """The queue with this address; 404 for none."""
    queue = next((q for q in QUEUES if q.key == key), None)
    if queue is None:
        raise Http404("No such list.")
    return queue


def queue_for_page(*, actor: Actor, key: str, filters: QueueFilters) -> tuple[Queue, QuerySet]:
    """The queue ``key`` and its rows, filtered; 404 for no such queue, 403 for a queue the
    person's role does not work on. The read is audited with the queue and its filters."""
    queue = queue_named(key)
    if not queue.may_see(actor):
        raise PermissionDenied("This list is not part of your role's work.")
    rows = _filtered(queue, queue.rows(actor), filters, today())
    detail = {"queue": key}
    if filters.agency_uuid and queue.agency_field:
        detail["agency"] = str(filters.agency_uuid)
    if filters.overdue and queue.due_field:
        detail["overdue"] = True
    audit_event_record(actor=actor, action="queue.listed", object_type=queue.kind, detail=detail)
    return queue, rows
