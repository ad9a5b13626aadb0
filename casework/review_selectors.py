"""Reads of reviews. A lead reviewer sees only the reviews they are appointed to, from their
appointment on; the review group sees every review; agencies reach only the information requests
and actions addressed to them. Missing and not-yours are the same 404."""

import datetime
import uuid as uuid_module
from collections.abc import Iterator

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.http import Http404

from casework.clocks import add_working_days
from casework.joint import selectors as joint_selectors
from casework.joint.models import ParticipantState
from casework.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    ChronologyEntry,
    Finding,
    InformationRequest,
    PartnershipSignOff,
    Recommendation,
    Review,
    ReviewDocument,
    ReviewerAppointment,
    ReviewerProfile,
)
from casework.review_services import REVIEW_GROUP
from casework.services import today
from tenants.actors import Actor
from tenants.models import Role
from tenants.spreadsheets import csv_lines
from tenants.workspace.models import Agency
from tenants.workspace.selectors import agency_list
from tenants.workspace.services import audit_event_record

CHRONOLOGY_PAGE_SIZE = 100
OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETE)


def _uuid(value) -> uuid_module.UUID:
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404("No such record.") from None


def _visible_reviews(actor: Actor) -> QuerySet[Review]:
    reviews = Review.objects.all()
    if actor.is_joint:
        # Through the joint-review door: the grant's review, nothing else of the lead's.
        reviews = reviews.filter(uuid__in=list(actor.review_uuids))
    if actor.has_role(*REVIEW_GROUP):
        return reviews
    if actor.has_role(Role.LEAD_REVIEWER):
        live = ReviewerAppointment.objects.filter(
            review=OuterRef("pk"),
            profile__user_uuid=actor.user.uuid,
            ended_on__isnull=True,
            appointed_on__lte=today(),
        )
        return reviews.filter(Exists(live))
    return reviews.none()


def access_review(*, actor: Actor, reference: str) -> Review:
    review = _visible_reviews(actor).filter(reference=str(reference).upper()).first()
    if review is None:
        raise Http404("No such review.")
    return review


def review_for_page(*, actor: Actor, reference: str) -> Review:
    """The review with what its overview shows; the read is audited."""
    review = (
        _visible_reviews(actor)
        .select_related("referral")
        .prefetch_related(
            "agencies",
            "children",
            "clocks",
            Prefetch(
                "appointments",
                queryset=ReviewerAppointment.objects.select_related("profile").filter(
                    ended_on__isnull=True
                ),
                to_attr="live_appointments",
            ),
        )
        .filter(reference=str(reference).upper())
        .first()
    )
    if review is None:
        raise Http404("No such review.")
    audit_event_record(
        actor=actor, action="review.viewed", object_type="review", object_ref=review.reference
    )
    return review


def review_list(*, actor: Actor) -> QuerySet[Review]:
    """Every review for the review group; a lead reviewer's own reviews."""
    return (
        _visible_reviews(actor)
        .annotate(
            open_actions=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES[:2])),
        )
        .order_by("-commissioned_on", "-id")
    )


def terms_versions(*, review: Review):
    return review.terms.order_by("-version")


def information_requests_of_review(*, review: Review) -> QuerySet[InformationRequest]:
    return review.information_requests.select_related("agency").prefetch_related("responses")


# --- The chronology ----------------------------------------------------------------------------


def chronology_entries(
    *,
    review: Review,
    agency_uuid=None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    key_only: bool = False,
) -> QuerySet[ChronologyEntry]:
    """The merged chronology, in the order things happened: current entries only (corrections
    replace what they correct; the originals stay, see ``chronology_history``)."""
    entries = review.chronology.filter(is_current=True).select_related("agency", "supersedes")
    if agency_uuid:
        entries = entries.filter(agency__uuid=_uuid(agency_uuid))
    if start:
        entries = entries.filter(occurred_on__gte=start)
    if end:
        entries = entries.filter(occurred_on__lte=end)
    if key_only:
        entries = entries.filter(key_episode=True)
    return entries.order_by("occurred_on", "occurred_at", "id")


def chronology_page(
    *, actor: Actor, review: Review, page: int = 1, page_size: int = CHRONOLOGY_PAGE_SIZE, **filters
) -> dict:
    """One page of the chronology with each entry's outside-the-period flag; the read is
    audited."""
    entries = chronology_entries(review=review, **filters)
    total = entries.count()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = list(entries[(page - 1) * page_size : page * page_size])
    terms = review.terms.order_by("-version").first()
    for row in rows:
        row.outside_period = bool(
            terms and not terms.period_start <= row.occurred_on <= terms.period_end
        )
    audit_event_record(
        actor=actor, action="chronology.viewed", object_type="review", object_ref=review.reference
    )
    return {"entries": rows, "total": total, "page": page, "pages": pages, "terms": terms}


def chronology_history(*, entry: ChronologyEntry) -> list[ChronologyEntry]:
    """An entry and every version it replaced, newest first."""
    history = [entry]
    while history[-1].supersedes_id:
        history.append(
            ChronologyEntry.objects.select_related("agency").get(pk=history[-1].supersedes_id)
        )
    return history


def access_chronology_entry(*, review: Review, entry_uuid) -> ChronologyEntry:
    entry = review.chronology.select_related("agency").filter(uuid=_uuid(entry_uuid)).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


CSV_HEADER = [
    "date",
    "time",
    "agency",
    "what happened",
    "who",
    "source",
    "key practice episode",
    "entered by",
    "entered at",
]


def chronology_csv(*, actor: Actor, review: Review, **filters) -> Iterator[str]:
    """The chronology as CSV lines, streamed; the export is audited."""
    audit_event_record(
        actor=actor,
        action="chronology.exported",
        object_type="review",
        object_ref=review.reference,
    )
    rows = chronology_entries(review=review, **filters).values_list(
        "occurred_on",
        "occurred_at",
        "agency__name",
        "what_happened",
        "who",
        "source_document",
        "key_episode",
        "entered_by",
        "entered_at",
    )
    yield from csv_lines([CSV_HEADER])
    yield from csv_lines(
        [
            on.isoformat(),
            at.strftime("%H:%M") if at else "",
            agency,
            what,
            who,
            source,
            "yes" if key else "",
            by,
            entered.isoformat(timespec="seconds"),
        ]
        for on, at, agency, what, who, source, key, by, entered in rows.iterator(chunk_size=2000)
    )


# --- Findings, recommendations, actions --------------------------------------------------------


def recommendations_of_review(*, review: Review) -> QuerySet[Recommendation]:
    return review.recommendations.prefetch_related(
        "agencies",
        "findings",
        Prefetch("actions", queryset=Action.objects.select_related("owner_agency")),
    )


def _rag_annotation(day: datetime.date):
    """The same rule as ``review_services.action_rag``, in SQL, so the tracker filters and counts
    by RAG without loading every action (a test holds the two to the same answers)."""
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
    if actor.has_role(*REVIEW_GROUP):
        return actions
    if actor.has_role(Role.LEAD_REVIEWER):
        return actions.filter(review__in=_visible_reviews(actor))
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
        actions = actions.filter(owner_agency__home_agency_uuid=_uuid(agency_uuid))
    elif agency_uuid:
        actions = actions.filter(owner_agency__uuid=_uuid(agency_uuid))
    if review_reference:
        actions = actions.filter(review__reference=review_reference.upper())
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
    action = (
        _visible_actions(actor)
        .select_related("owner_agency", "review", "recommendation")
        .filter(uuid=_uuid(action_uuid))
        .first()
    )
    if action is None:
        raise Http404("No such action.")
    return action


def information_requests_for_agency(*, actor: Actor) -> QuerySet[InformationRequest]:
    """The requests to the actor's agency, open ones first."""
    if not actor.is_agency:
        return InformationRequest.objects.none()
    requests = InformationRequest.objects.all()
    if actor.is_joint:
        requests = requests.filter(review__uuid__in=list(actor.review_uuids))
    return (
        requests.filter(agency__uuid=actor.agency_uuid)
        .select_related("agency", "review")
        .order_by("status", "due", "id")
    )


def access_information_request(*, actor: Actor, request_uuid) -> InformationRequest:
    """For the agency asked, or the review's workers; the same 404 otherwise."""
    request = (
        InformationRequest.objects.select_related("agency", "review")
        .filter(uuid=_uuid(request_uuid))
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    if actor.is_agency:
        if request.agency.uuid != actor.agency_uuid:
            raise Http404("No such request.")
        if actor.is_joint and request.review.uuid not in actor.review_uuids:
            raise Http404("No such request.")
        return request
    if not _visible_reviews(actor).filter(pk=request.review_id).exists():
        raise Http404("No such request.")
    return request


def review_documents(*, review: Review) -> QuerySet[ReviewDocument]:
    return review.documents.order_by("title", "-version")


def access_review_document(*, actor: Actor, review: Review, document_uuid) -> ReviewDocument:
    """A document of a review the actor may open; the download is audited."""
    document = review.documents.filter(uuid=_uuid(document_uuid)).first()
    if document is None:
        raise Http404("No such document.")
    audit_event_record(
        actor=actor,
        action="document.downloaded",
        object_type="review",
        object_ref=review.reference,
        detail={"document": str(document.uuid), "version": document.version},
    )
    return document


# --- Added for the review pages on the web -----------------------------------------------------


def reviewer_profile_for(*, actor: Actor, user_uuid) -> ReviewerProfile | None:
    """A lead reviewer's profile (with the affiliations they declared), for the review group
    appointing them; None when none is recorded yet."""
    if not actor.has_role(*REVIEW_GROUP) or actor.is_joint:
        raise Http404("No such reviewer.")
    return (
        ReviewerProfile.objects.prefetch_related("affiliations")
        .filter(user_uuid=_uuid(user_uuid))
        .first()
    )


def findings_of_review(*, review: Review) -> QuerySet[Finding]:
    """The review's numbered findings with the chronology entries that support them."""
    return review.findings.prefetch_related(
        Prefetch("evidence", queryset=ChronologyEntry.objects.select_related("agency"))
    ).order_by("number")


def action_updates(*, action: Action) -> QuerySet[ActionUpdate]:
    return action.updates.order_by("written_at", "id")


def access_action_evidence(*, actor: Actor, action_uuid, update_uuid) -> ActionUpdate:
    """The evidence of an update on an action the actor may see (its owner agency, the review
    group, the review's reviewer); the same 404 otherwise. The download is audited."""
    action = access_action(actor=actor, action_uuid=action_uuid)
    update = action.updates.filter(uuid=_uuid(update_uuid)).exclude(evidence="").first()
    if update is None:
        raise Http404("No such file.")
    audit_event_record(
        actor=actor,
        action="evidence.downloaded",
        object_type="review",
        object_ref=action.review.reference,
        detail={"action": str(action.uuid), "update": str(update.uuid)},
    )
    return update


# --- Joint reviews -----------------------------------------------------------------------------


def review_agency_choices(*, actor: Actor, review: Review, include_inactive: bool = False):
    """The agencies a review's forms offer: a participant (through the door) its own agencies;
    the lead its own and, in a joint review, those of the partnerships taking part (their
    mirrors here); a single review the partnership's own."""
    if actor.is_joint:
        return agency_list(actor=actor, include_inactive=include_inactive)
    keys = joint_selectors.participant_keys(
        review_uuid=review.uuid,
        states=(ParticipantState.ACCEPTED, ParticipantState.ACTIVE, ParticipantState.ENDED),
    )
    agencies = Agency.objects.filter(Q(home_partnership_key="") | Q(home_partnership_key__in=keys))
    if not include_inactive:
        agencies = agencies.filter(is_active=True)
    if actor.is_agency:
        agencies = agencies.filter(uuid=actor.agency_uuid)
    return agencies.order_by("home_partnership_key", "name")


def access_review_agency(*, actor: Actor, review: Review, agency_uuid) -> Agency:
    agency = (
        review_agency_choices(actor=actor, review=review, include_inactive=True)
        .filter(uuid=_uuid(agency_uuid))
        .first()
    )
    if agency is None:
        raise Http404("No such agency.")
    return agency


def joint_review_list(*, actor: Actor) -> list[Review]:
    """The joint reviews an actor reaches through the door (its ``review_uuids``), each with
    how many open actions the actor's partnership owns in it: one query per lead."""
    key = actor.partnership.key
    owned = Q(actions__owner_agency__home_partnership_key=key) | Q(
        actions__owner_agency__isnull=True, actions__owner_partnership_key=key
    )
    return list(
        _visible_reviews(actor)
        .annotate(
            own_open_actions=Count(
                "actions", filter=owned & Q(actions__status__in=OPEN_STATUSES[:2])
            ),
        )
        .order_by("-commissioned_on", "-id")
    )


def sign_offs_of_review(*, review: Review) -> dict[str, PartnershipSignOff]:
    """Each participant's chair's sign-off (and statement) by partnership key."""
    return {s.partnership_key: s for s in review.partnership_sign_offs.all()}


def chronology_agencies(*, review: Review) -> QuerySet[Agency]:
    """The agencies with entries in a review's chronology (to filter it by), whosever they are."""
    return Agency.objects.filter(pk__in=review.chronology.values("agency")).order_by(
        "home_partnership_key", "name"
    )
