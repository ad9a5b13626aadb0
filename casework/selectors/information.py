"""Reads of agency information requests: a review's, an agency's (open ones first), and one
request for the agency asked or the review's workers (the same 404 otherwise)."""

from django.db.models import QuerySet
from django.http import Http404

from casework.audit import review_audit
from casework.models import (
    InformationRequest,
    Review,
)
from casework.selectors.reviews import visible_reviews
from tenants.actors import Actor
from tenants.validation import found_or_404, uuid_or_404


def information_requests_of_review(*, review: Review) -> QuerySet[InformationRequest]:
    return review.information_requests.select_related("agency").prefetch_related("responses")


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
    request = found_or_404(
        InformationRequest.objects.select_related("agency", "review")
        .filter(uuid=uuid_or_404(request_uuid))
        .first(),
        "No such request.",
    )
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
    review_audit(actor, request.review, "information_request.viewed", request=str(request.uuid))
    return request
