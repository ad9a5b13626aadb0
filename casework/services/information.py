"""Agency information for a review (DESIGN §2 step 5: "agency information requests with deadlines
and chasing"): asking, answering, closing and the daily chase. ``agency_emails`` and
``home_partnership`` say whom a chase reaches."""

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from casework import permissions
from casework.models import (
    InformationRequest,
    InformationResponse,
    Review,
)
from casework.processes import (
    INFORMATION_REQUEST_WORKING_DAYS,
)
from casework.services.reviews import agency_check, review_audit
from casework.working_days import add_working_days, working_days_between
from tenants.actors import Actor
from tenants.addresses import partnership_url
from tenants.agencies.models import Agency
from tenants.clock import today
from tenants.models import Membership, Role
from tenants.selectors import partnership_get
from tenants.validation import error_add, errors_raise

ASKS = {
    "chronology": "A chronology of the agency's involvement",
    "single_agency_report": "A single-agency report",
    "documents": "Documents (records, assessments, plans)",
}


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
    permissions.require_review_contributor(actor, review)
    errors: dict[str, list[str]] = {}
    agency_check(actor, review, agency, errors, "agency")
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
        review_audit(
            actor, review, "information.requested", agency=agency.name, due=due.isoformat()
        )
    return request


def information_requests_create_for_involved(
    *,
    actor: Actor,
    review: Review,
    asks: list[str],
    details: str = "",
    due: datetime.date | None = None,
) -> list[InformationRequest]:
    """Ask every agency involved in the review (those active and in the asker's reach: a joint
    review's participant its own) in one step: a request to each, each audited, all or none."""
    permissions.require_review_contributor(actor, review)
    agencies = [
        agency
        for agency in review.agencies.filter(is_active=True).order_by("name")
        if permissions.agency_in_reach(actor, review, agency)
    ]
    if not agencies:
        raise ValidationError({"agency": ["No agency is involved in this review yet."]})
    with transaction.atomic():
        return [
            information_request_create(
                actor=actor, review=review, agency=agency, asks=asks, details=details, due=due
            )
            for agency in agencies
        ]


def information_response_submit(
    *, actor: Actor, request: InformationRequest, text: str
) -> InformationResponse:
    """The agency's answer, by its users or its system. Answering marks the request answered;
    further answers add to it."""
    permissions.require_information_answerer(actor, request)
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
        review_audit(
            actor,
            request.review,
            "information.answered",
            agency=request.agency.name,
            request=str(request.uuid),
        )
    return response


def information_request_close(*, actor: Actor, request: InformationRequest) -> InformationRequest:
    permissions.require_request_closer(actor, request)
    with transaction.atomic():
        request.status = InformationRequest.Status.CLOSED
        request.save(update_fields=["status"])
        review_audit(actor, request.review, "information.closed", agency=request.agency.name)
    return request


def agency_emails(actor: Actor, agency: Agency) -> list[str]:
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


def home_partnership(actor: Actor, key: str):
    """The partnership whose people act on something: this one, or a joint review's
    participant."""
    return (partnership_get(key=key) if key else None) or actor.partnership


def each_chased_once_a_day(overdue, day: datetime.date, chase) -> int:
    """Run ``chase(item)`` for each of ``overdue`` not yet chased on ``day``, each claimed first
    in the same transaction: the conditional update of ``last_chased_on`` is the guarantee, so
    a second run the same day (or one alongside) sends nothing. How many were chased."""
    not_yet = Q(last_chased_on__isnull=True) | Q(last_chased_on__lt=day)
    chased = 0
    for item in overdue.filter(not_yet):
        with transaction.atomic():
            if type(item).objects.filter(pk=item.pk).filter(not_yet).update(last_chased_on=day):
                chase(item)
                chased += 1
    return chased


def information_requests_chase(*, actor: Actor, day: datetime.date | None = None) -> int:
    """The daily job: each overdue open request is chased once a day (the conditional update
    of ``last_chased_on`` is the guarantee, so a second run the same day sends nothing)."""
    day = day or today()
    overdue = InformationRequest.objects.filter(
        status=InformationRequest.Status.OPEN, due__lt=day
    ).select_related("agency", "review")

    def chase(request):
        recipients = agency_emails(actor, request.agency)
        if recipients:
            days = working_days_between(request.due, day)
            send_mail(
                subject=f"{request.review.reference}: information overdue",
                message=(
                    f"The review {request.review.reference} asked {request.agency.name} for "
                    f"information due on {request.due.isoformat()}, {days} working day"
                    f"{'s' if days != 1 else ''} ago.\n\n"
                    + partnership_url(
                        partnership=home_partnership(actor, request.agency.home_partnership_key),
                        path="/dashboard/",
                    )
                ),
                from_email=None,
                recipient_list=recipients,
            )
        review_audit(
            actor,
            request.review,
            "information.chased",
            agency=request.agency.name,
            recipients=len(recipients),
        )

    return each_chased_once_a_day(overdue, day, chase)
