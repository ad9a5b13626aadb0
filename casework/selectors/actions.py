"""Reads of action plans: the partnership-wide tracker (with RAG ratings counted in SQL), an
action's page, its updates and their evidence. The review group sees every action; a lead
reviewer those of their reviews; an agency (users and system) the actions it owns; through the
joint-review door, only the grant's review's. Missing and not-yours are the same 404; a page
or a download is recorded in the audit trail, the ``access_*`` helpers are not."""

import datetime

from django.db.models import BooleanField, Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from casework import permissions
from casework.audit import review_audit
from casework.models import Action, ActionStatus, ActionUpdate
from casework.selectors.reviews import visible_reviews
from casework.working_days import add_working_days
from tenants.actors import Actor
from tenants.clock import today
from tenants.validation import found_or_404, reference_parse, uuid_or_404

OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETE)


def _rag_annotation(day: datetime.date):
    """The same rule as ``casework.services.actions.action_rag``, in SQL, so the tracker filters
    and counts by RAG without loading every action (a test holds the two to the same answers)."""
    soon = add_working_days(day, 10)
    less_than_half_left = RawSQL(
        '("casework_action"."due" - %s::date) < '
        '(%s::date - ("casework_action"."created_at" AT TIME ZONE \'Europe/London\')::date)',
        (day, day),
        output_field=BooleanField(),
    )
    return Case(
        When(status__in=(ActionStatus.COMPLETE, ActionStatus.VERIFIED), then=Value("green")),
        When(due__lt=day, then=Value("red")),
        When(due__lte=soon, then=Value("amber")),
        When(Q(status=ActionStatus.NOT_STARTED) & Q(less_than_half_left), then=Value("amber")),
        default=Value("green"),
        output_field=CharField(),
    )


def _visible_actions(actor: Actor) -> QuerySet[Action]:
    """The review group sees every action; a lead reviewer those of their reviews; an agency
    (users and system) the actions it owns. Through the joint-review door, only the actions of
    the grant's review."""
    actions = Action.objects.all()
    if actor.is_joint:
        actions = actions.filter(review__uuid__in=list(actor.review_uuids))
    if permissions.may_see_every_case(actor):
        return actions
    if permissions.is_reviewer(actor):
        return actions.filter(review__in=visible_reviews(actor))
    if actor.is_agency:
        return actions.filter(owner_agency__uuid=actor.agency_uuid)
    return actions.none()


def action_tracker(
    *,
    actor: Actor,
    agency_uuid=None,
    review_reference: str = "",
    status: str = "",
    rag: str = "",
    open_only: bool = True,
    day: datetime.date | None = None,
) -> dict:
    """All actions across the partnership's reviews (open ones by default) with their RAG rating,
    filterable by agency, review, status and RAG, with counts by RAG and by status. A fixed
    number of queries, whatever the number of actions."""
    day = day or today()
    actions = _visible_actions(actor).annotate(rag=_rag_annotation(day))
    if actor.is_joint:
        # A participant tracks the actions it owns (the lead tracks them all at home).
        key = actor.partnership.key
        actions = actions.filter(
            Q(owner_agency__home_partnership_key=key)
            | Q(owner_agency__isnull=True, owner_partnership_key=key)
        )
    if open_only:
        actions = actions.exclude(status=ActionStatus.VERIFIED)
    if agency_uuid and actor.is_joint:
        # The participant names its own agency; here it is that agency's mirror.
        actions = actions.filter(owner_agency__home_agency_uuid=uuid_or_404(agency_uuid))
    elif agency_uuid:
        actions = actions.filter(owner_agency__uuid=uuid_or_404(agency_uuid))
    if review_reference:
        actions = actions.filter(review__reference=reference_parse(review_reference))
    counts_by_rag = dict(actions.values_list("rag").annotate(n=Count("id")).order_by())
    counts_by_status = dict(actions.values_list("status").annotate(n=Count("id")).order_by())
    if status:
        actions = actions.filter(status=status)
    if rag:
        actions = actions.filter(rag=rag)
    return {
        "actions": actions.select_related("owner_agency", "review", "recommendation").order_by(
            "due", "id"
        ),
        "counts_by_rag": {key: counts_by_rag.get(key, 0) for key in ("red", "amber", "green")},
        "counts_by_status": {key: counts_by_status.get(key, 0) for key in ActionStatus.values},
        "day": day,
    }


def access_action(*, actor: Actor, action_uuid) -> Action:
    return found_or_404(
        _visible_actions(actor)
        .select_related("owner_agency", "review", "recommendation")
        .filter(uuid=uuid_or_404(action_uuid))
        .first(),
        "No such action.",
    )


def action_for_page(*, actor: Actor, action_uuid) -> Action:
    """The action its page shows, to its owner agency, the review group and the review's
    reviewer; the read is audited."""
    action = access_action(actor=actor, action_uuid=action_uuid)
    review_audit(actor, action.review, "action.viewed", action=str(action.uuid))
    return action


def action_updates(*, action: Action) -> QuerySet[ActionUpdate]:
    return action.updates.order_by("written_at", "id")


def action_evidence_for_download(*, actor: Actor, action_uuid, update_uuid) -> ActionUpdate:
    """The evidence of an update on an action the actor may see (its owner agency, the review
    group, the review's reviewer); the same 404 otherwise. The download is audited."""
    action = access_action(actor=actor, action_uuid=action_uuid)
    update = found_or_404(
        action.updates.filter(uuid=uuid_or_404(update_uuid)).exclude(evidence="").first(),
        "No such file.",
    )
    review_audit(
        actor,
        action.review,
        "evidence.downloaded",
        action=str(action.uuid),
        update=str(update.uuid),
    )
    return update
