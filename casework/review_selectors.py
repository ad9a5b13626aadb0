"""Reads of reviews. A lead reviewer sees only the reviews they are appointed to, from their
appointment on; the review group sees every review; agencies reach only the information requests
and actions addressed to them. Missing and not-yours are the same 404."""

import datetime
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

# The action plan's reads live in casework.action_selectors; callers find them here too.
from casework.action_selectors import (  # noqa: F401
    OPEN_STATUSES,
    access_action,
    action_evidence_for_download,
    action_for_page,
    action_tracker,
    action_updates,
)
from casework.joint import selectors as joint_selectors
from casework.joint.models import ParticipantState
from casework.models import (
    Action,
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
from casework.review_access import visible_reviews
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency
from tenants.agencies.selectors import agency_list
from tenants.roles import REVIEW_GROUP
from tenants.spreadsheets import csv_lines
from tenants.validation import reference_parse, uuid_or_404

CHRONOLOGY_PAGE_SIZE = 100


def access_review(*, actor: Actor, reference: str) -> Review:
    review = visible_reviews(actor).filter(reference=reference_parse(reference)).first()
    if review is None:
        raise Http404("No such review.")
    return review


def review_for_page(*, actor: Actor, reference: str, tab: str = "overview") -> Review:
    """The review with what its workspace shows; the read of its ``tab`` is audited."""
    review = (
        visible_reviews(actor)
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
        .filter(reference=reference_parse(reference))
        .first()
    )
    if review is None:
        raise Http404("No such review.")
    audit_event_record(
        actor=actor,
        action="review.viewed",
        object_type="review",
        object_ref=review.reference,
        detail={"tab": tab},
    )
    return review


def review_list(*, actor: Actor) -> QuerySet[Review]:
    """Every review for the review group; a lead reviewer's own reviews."""
    return (
        visible_reviews(actor)
        .annotate(
            open_actions=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES[:2])),
        )
        .order_by("-commissioned_on", "-id")
    )


def review_list_for_page(*, actor: Actor) -> list[Review]:
    """The list of reviews (``review_list``); the read is audited."""
    reviews = list(review_list(actor=actor))
    audit_event_record(
        actor=actor, action="reviews.listed", object_type="review", detail={"count": len(reviews)}
    )
    return reviews


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
        entries = entries.filter(agency__uuid=uuid_or_404(agency_uuid))
    if start:
        entries = entries.filter(occurred_on__gte=start)
    if end:
        entries = entries.filter(occurred_on__lte=end)
    if key_only:
        entries = entries.filter(key_episode=True)
    return entries.order_by("occurred_on", "occurred_at", "id")


def _filters_read(filters: dict) -> dict:
    """The chronology's filters as an audit row records them: identifiers and dates only."""
    return {
        key: value if isinstance(value, bool) else str(value)
        for key, value in filters.items()
        if value
    }


def chronology_page(
    *,
    actor: Actor,
    review: Review,
    page: int = 1,
    page_size: int = CHRONOLOGY_PAGE_SIZE,
    printed: bool = False,
    **filters,
) -> dict:
    """One page of the chronology with each entry's outside-the-period flag (``printed``: the
    whole of it on the printable page); the read is audited with its filters."""
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
        actor=actor,
        action="chronology.printed" if printed else "chronology.viewed",
        object_type="review",
        object_ref=review.reference,
        detail={**_filters_read(filters), **({} if printed else {"page": page})},
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
    entry = review.chronology.select_related("agency").filter(uuid=uuid_or_404(entry_uuid)).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


def chronology_entry_for_page(*, actor: Actor, review: Review, entry_uuid) -> ChronologyEntry:
    """An entry of the review's chronology, for its page, its row or the form correcting it;
    the read is audited."""
    entry = access_chronology_entry(review=review, entry_uuid=entry_uuid)
    audit_event_record(
        actor=actor,
        action="chronology_entry.viewed",
        object_type="review",
        object_ref=review.reference,
        detail={"entry": str(entry.uuid)},
    )
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
        detail=_filters_read(filters),
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
        .filter(uuid=uuid_or_404(request_uuid))
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
    if not visible_reviews(actor).filter(pk=request.review_id).exists():
        raise Http404("No such request.")
    return request


def information_request_for_page(*, actor: Actor, request_uuid) -> InformationRequest:
    """The request its page shows, to the agency asked or the review's workers; the read is
    audited."""
    request = access_information_request(actor=actor, request_uuid=request_uuid)
    audit_event_record(
        actor=actor,
        action="information_request.viewed",
        object_type="review",
        object_ref=request.review.reference,
        detail={"request": str(request.uuid)},
    )
    return request


def review_documents(*, review: Review) -> QuerySet[ReviewDocument]:
    return review.documents.order_by("title", "-version")


def review_document_for_download(*, actor: Actor, review: Review, document_uuid) -> ReviewDocument:
    """A document of a review the actor may open; the download is audited."""
    document = review.documents.filter(uuid=uuid_or_404(document_uuid)).first()
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
    appointing them; None when none is recorded yet. A joint review's participant sees the
    review and who leads it, but the lead records and appoints its reviewers (DESIGN §3): a
    403, as ``reviewer_profile_save`` and ``reviewer_appoint`` answer it."""
    if actor.is_joint:
        raise PermissionDenied("The lead partnership records and appoints its reviewers.")
    if not actor.has_role(*REVIEW_GROUP):
        raise Http404("No such reviewer.")
    return (
        ReviewerProfile.objects.prefetch_related("affiliations")
        .filter(user_uuid=uuid_or_404(user_uuid))
        .first()
    )


def findings_of_review(*, review: Review) -> QuerySet[Finding]:
    """The review's numbered findings with the chronology entries that support them."""
    return review.findings.prefetch_related(
        Prefetch("evidence", queryset=ChronologyEntry.objects.select_related("agency"))
    ).order_by("number")


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
        .filter(uuid=uuid_or_404(agency_uuid))
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
        visible_reviews(actor)
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
