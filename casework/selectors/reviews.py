"""Reads of reviews: who sees which (``visible_reviews``), the review for its workspace, the
list, its terms, findings, recommendations, documents and agencies, and a participant's joint
reviews. Missing and not-yours are the same 404; a page or a download is audited."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from casework import permissions
from casework.audit import review_audit
from casework.joint import selectors as joint_selectors
from casework.joint.models import ParticipantState
from casework.models import (
    Action,
    ActionStatus,
    ChronologyEntry,
    Finding,
    PartnershipSignOff,
    Recommendation,
    Review,
    ReviewDocument,
    ReviewerAppointment,
    ReviewerProfile,
)
from tenants.actors import Actor
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import Agency
from tenants.agencies.selectors import agency_list
from tenants.clock import today
from tenants.validation import found_or_404, reference_parse, uuid_or_404

# The actions a list counts as open: not yet complete (a completed one awaits verification).
ACTIONS_IN_HAND = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


def visible_reviews(actor: Actor) -> QuerySet[Review]:
    """Who sees which reviews: the one rule the review, chronology, information and action
    selectors share. A lead reviewer sees only the reviews they are appointed to, from their
    appointment on; the review group sees every review; through the joint-review door, only the
    grant's review."""
    reviews = Review.objects.all()
    if actor.is_joint:
        # Through the joint-review door: the grant's review, nothing else of the lead's.
        reviews = reviews.filter(uuid__in=list(actor.review_uuids))
    if permissions.may_see_every_case(actor):
        return reviews
    if permissions.is_reviewer(actor):
        live = ReviewerAppointment.objects.filter(
            review=OuterRef("pk"),
            profile__user_uuid=actor.user.uuid,
            ended_on__isnull=True,
            appointed_on__lte=today(),
        )
        return reviews.filter(Exists(live))
    return reviews.none()


def access_review(*, actor: Actor, reference: str) -> Review:
    return found_or_404(
        visible_reviews(actor).filter(reference=reference_parse(reference)).first(),
        "No such review.",
    )


def review_for_page(*, actor: Actor, reference: str, tab: str = "overview") -> Review:
    """The review with what its workspace shows; the read of its ``tab`` is audited."""
    review = found_or_404(
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
        .first(),
        "No such review.",
    )
    review_audit(actor, review, "review.viewed", tab=tab)
    return review


def review_list(*, actor: Actor) -> QuerySet[Review]:
    """Every review for the review group; a lead reviewer's own reviews."""
    return (
        visible_reviews(actor)
        .annotate(
            open_actions=Count("actions", filter=Q(actions__status__in=ACTIONS_IN_HAND)),
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


def recommendations_of_review(*, review: Review) -> QuerySet[Recommendation]:
    return review.recommendations.prefetch_related(
        "agencies",
        "findings",
        Prefetch("actions", queryset=Action.objects.select_related("owner_agency")),
    )


def findings_of_review(*, review: Review) -> QuerySet[Finding]:
    """The review's numbered findings with the chronology entries that support them."""
    return review.findings.prefetch_related(
        Prefetch("evidence", queryset=ChronologyEntry.objects.select_related("agency"))
    ).order_by("number")


def review_documents(*, review: Review) -> QuerySet[ReviewDocument]:
    return review.documents.order_by("title", "-version")


def review_document_for_download(*, actor: Actor, review: Review, document_uuid) -> ReviewDocument:
    """A document of a review the actor may open; the download is audited."""
    document = found_or_404(
        review.documents.filter(uuid=uuid_or_404(document_uuid)).first(), "No such document."
    )
    review_audit(
        actor, review, "document.downloaded", document=str(document.uuid), version=document.version
    )
    return document


def reviewer_profile_for(*, actor: Actor, user_uuid) -> ReviewerProfile | None:
    """A lead reviewer's profile (with the affiliations they declared), for the review group
    appointing them; None when none is recorded yet. A joint review's participant sees the
    review and who leads it, but the lead records and appoints its reviewers (DESIGN §3): a
    403, as ``reviewer_profile_save`` and ``reviewer_appoint`` answer it."""
    if actor.is_joint:
        raise PermissionDenied("The lead partnership records and appoints its reviewers.")
    if not permissions.may_see_every_case(actor):
        raise Http404("No such reviewer.")
    return (
        ReviewerProfile.objects.prefetch_related("affiliations")
        .filter(user_uuid=uuid_or_404(user_uuid))
        .first()
    )


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
    return found_or_404(
        review_agency_choices(actor=actor, review=review, include_inactive=True)
        .filter(uuid=uuid_or_404(agency_uuid))
        .first(),
        "No such agency.",
    )


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
                "actions", filter=owned & Q(actions__status__in=ACTIONS_IN_HAND)
            ),
        )
        .order_by("-commissioned_on", "-id")
    )


def sign_offs_of_review(*, review: Review) -> dict[str, PartnershipSignOff]:
    """Each participant's chair's sign-off (and statement) by partnership key."""
    return {s.partnership_key: s for s in review.partnership_sign_offs.all()}
