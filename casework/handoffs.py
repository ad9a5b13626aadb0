"""Casework's hand-offs (issue 13): for each audit action that makes it someone's turn, who is
told and what, and which agency's webhooks hear of it.

``HANDOFFS`` is the one table from audit actions to handlers, registered with
``tenants.handoffs`` by ``CaseworkConfig.ready()``: an action renamed in a service is one line
here. A handler runs in a task after the change committed, in the schema it was recorded in; it
reads who holds which role now and writes nothing of the case into a message: the reference,
what is asked, the due date and a link (email leaves the platform; DESIGN §5).
"""

import datetime

from celery import shared_task
from django.db import transaction

from casework.models import (
    Action,
    ActionStatus,
    ContributionRequest,
    InformationRequest,
    Referral,
    Review,
    ReviewerAppointment,
)
from casework.working_days import add_working_days
from safeguard.celery import PartnershipTask
from tenants.agencies.audit import audit_event_record
from tenants.handoffs import Handoff, HandoffContext, Notice, WebhookEvent
from tenants.models import Membership, Partnership, Role, User

# An action is "due soon" this many working days before its due date (the daily job tells its
# owner and the owner agency's webhooks once).
ACTION_DUE_SOON_WORKING_DAYS = 5


# --- Who --------------------------------------------------------------------------------------


def role_emails(partnership: Partnership, *roles: str) -> tuple[str, ...]:
    """The active people holding ``roles`` in ``partnership`` (memberships: public schema)."""
    return tuple(
        sorted(
            Membership.objects.filter(
                partnership=partnership, role__in=roles, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def agency_recipients(partnership: Partnership, agency) -> tuple[tuple[str, ...], Partnership]:
    """An agency's users, and the partnership whose host they use: a joint review's
    participant agency (a mirror here) has its people at home."""
    home = partnership
    agency_uuid = agency.uuid
    if agency.home_partnership_key:
        home = Partnership.objects.filter(key=agency.home_partnership_key).first() or partnership
        agency_uuid = agency.home_agency_uuid
    emails = Membership.objects.filter(
        partnership=home, agency_uuid=agency_uuid, role=Role.AGENCY_USER, user__is_active=True
    ).values_list("user__email", flat=True)
    return tuple(sorted(emails)), home


def _webhook(agency, event_type: str, data: dict) -> list[WebhookEvent]:
    """Only an agency of this partnership has webhooks here (a mirror's are at home)."""
    if agency is None or agency.home_partnership_key:
        return []
    return [WebhookEvent(agency_uuid=agency.uuid, type=event_type, data=data)]


# --- Referrals and rapid reviews --------------------------------------------------------------


def _referral(context: HandoffContext) -> Referral | None:
    return (
        Referral.objects.select_related("referring_agency")
        .filter(reference=context.event.object_ref)
        .first()
    )


def referral_received(context: HandoffContext) -> Handoff:
    """A new referral, on the web or by the API: the business managers screen it; the referring
    agency's systems hear of it with its clocks."""
    referral = _referral(context)
    if referral is None:
        return Handoff()
    clocks = [
        {
            "name": clock.name,
            "counted_from": clock.counted_from.isoformat(),
            "due": clock.due.isoformat(),
            "length": clock.length_label,
            "source": clock.source,
            "state": clock.state_on(context.day),
        }
        for clock in referral.clocks.all()
    ]
    return Handoff(
        notices=[
            Notice(
                kind="referral",
                recipients=role_emails(context.partnership, Role.BUSINESS_MANAGER),
                reference=referral.reference,
                what="A new referral is waiting to be screened",
                path=f"/referrals/{referral.reference}/",
            )
        ],
        webhook_events=_webhook(
            referral.referring_agency,
            "referral.received",
            {"reference": referral.reference, "status": referral.status, "clocks": clocks},
        ),
    )


def referral_status_changed(context: HandoffContext) -> Handoff:
    """The referring agency's systems hear each change of its referral's status."""
    referral = _referral(context)
    if referral is None:
        return Handoff()
    return Handoff(
        webhook_events=_webhook(
            referral.referring_agency,
            "referral.status_changed",
            {"reference": referral.reference, "status": referral.status},
        )
    )


def contribution_requested(context: HandoffContext) -> Handoff:
    """The rapid review asks an agency for its contribution: its users and its systems."""
    request = (
        ContributionRequest.objects.select_related("agency", "rapid_review__referral")
        .filter(
            rapid_review__referral__reference=context.event.object_ref,
            agency__name=context.event.detail.get("agency", ""),
        )
        .first()
    )
    if request is None:
        return Handoff()
    reference = request.rapid_review.referral.reference
    recipients, home = agency_recipients(context.partnership, request.agency)
    return Handoff(
        notices=[
            Notice(
                kind="request",
                recipients=recipients,
                reference=reference,
                what="Your agency's contribution to a rapid review is asked for",
                due=request.due,
                path=f"/referrals/{reference}/contribution/",
                partnership=home,
            )
        ],
        webhook_events=_webhook(
            request.agency,
            "contribution.requested",
            {"reference": reference, "request": str(request.uuid), "due": request.due.isoformat()},
        ),
    )


def contribution_received(context: HandoffContext) -> Handoff:
    """An agency answered the rapid review: the business managers, who run it, are told."""
    return Handoff(
        notices=[
            Notice(
                kind="answer",
                recipients=role_emails(context.partnership, Role.BUSINESS_MANAGER),
                reference=context.event.object_ref,
                what="An agency has sent its contribution to the rapid review",
                path=f"/referrals/{context.event.object_ref}/",
            )
        ]
    )


def decision_awaited(context: HandoffContext) -> Handoff:
    """The rapid review has gone to the Panel: the chair's decision is next."""
    return Handoff(
        notices=[
            Notice(
                kind="decision",
                recipients=role_emails(context.partnership, Role.CHAIR),
                reference=context.event.object_ref,
                what="The rapid review is complete and your decision is awaited",
                path=f"/referrals/{context.event.object_ref}/",
            )
        ]
    )


# --- Reviews ----------------------------------------------------------------------------------


def _review(context: HandoffContext) -> Review | None:
    return Review.objects.filter(reference=context.event.object_ref).first()


def sign_off_awaited(context: HandoffContext) -> Handoff:
    """A review moved to sign-off: its chairs (the lead's, and each taking part) sign it."""
    review = _review(context)
    if review is None or context.event.detail.get("after") != "sign_off":
        return Handoff()
    from casework.joint.selectors import review_partnerships

    return Handoff(
        notices=[
            Notice(
                kind="decision",
                recipients=role_emails(partnership, Role.CHAIR),
                reference=review.reference,
                what="A review's report is waiting for your sign-off",
                path=f"/case-reviews/{review.reference}/"
                if partnership == context.partnership
                else f"/joint-reviews/{review.uuid}/",
                partnership=partnership,
            )
            for partnership in review_partnerships(review)
        ]
    )


def reviewer_appointed(context: HandoffContext) -> Handoff:
    """A lead reviewer is told of their appointment."""
    review = _review(context)
    appointment = (
        ReviewerAppointment.objects.select_related("profile")
        .filter(review=review, ended_on__isnull=True)
        .order_by("-pk")
        .first()
    )
    if appointment is None:
        return Handoff()
    emails = tuple(
        User.objects.filter(uuid=appointment.profile.user_uuid, is_active=True).values_list(
            "email", flat=True
        )
    )
    return Handoff(
        notices=[
            Notice(
                kind="appointment",
                recipients=emails,
                reference=review.reference,
                what="You have been appointed lead reviewer",
                path=f"/case-reviews/{review.reference}/",
            )
        ]
    )


def _information_request(context: HandoffContext) -> InformationRequest | None:
    return (
        InformationRequest.objects.select_related("agency", "review")
        .filter(
            review__reference=context.event.object_ref,
            agency__name=context.event.detail.get("agency", ""),
        )
        .order_by("-pk")
        .first()
    )


def information_requested(context: HandoffContext) -> Handoff:
    """A review asks an agency for information: its users and its systems."""
    request = _information_request(context)
    if request is None:
        return Handoff()
    recipients, home = agency_recipients(context.partnership, request.agency)
    review = request.review
    at_home = home == context.partnership
    return Handoff(
        notices=[
            Notice(
                kind="request",
                recipients=recipients,
                reference=review.reference,
                what="A review asks your agency for information",
                due=request.due,
                path=f"/case-reviews/{review.reference}/information/"
                if at_home
                else f"/joint-reviews/{review.uuid}/information/",
                partnership=home,
            )
        ],
        webhook_events=_webhook(
            request.agency,
            "information_request.created",
            {
                "reference": review.reference,
                "id": str(request.uuid),
                "due": request.due.isoformat(),
            },
        ),
    )


def information_answered(context: HandoffContext) -> Handoff:
    """An agency answered: the review's lead reviewers (else its business managers) read it."""
    review = _review(context)
    if review is None:
        return Handoff()
    profiles = review.appointments.filter(ended_on__isnull=True).values_list(
        "profile__user_uuid", flat=True
    )
    leads = tuple(
        User.objects.filter(uuid__in=list(profiles), is_active=True).values_list("email", flat=True)
    )
    return Handoff(
        notices=[
            Notice(
                kind="answer",
                recipients=leads or role_emails(context.partnership, Role.BUSINESS_MANAGER),
                reference=review.reference,
                what="An agency has answered a request for information",
                path=f"/case-reviews/{review.reference}/information/",
            )
        ]
    )


# --- Actions ----------------------------------------------------------------------------------


def _action(context: HandoffContext) -> Action | None:
    return (
        Action.objects.select_related("owner_agency", "review")
        .filter(uuid=context.event.detail.get("action"))
        .first()
    )


def _action_owners(context: HandoffContext, action: Action) -> tuple[tuple[str, ...], object]:
    if action.owner_agency is not None:
        return agency_recipients(context.partnership, action.owner_agency)
    home = (
        Partnership.objects.filter(key=action.owner_partnership_key).first() or context.partnership
    )
    return role_emails(home, Role.BUSINESS_MANAGER), home


def _action_handoff(
    context: HandoffContext, *, what: str, kind: str, event_type: str, once_a_day: bool
) -> Handoff:
    action = _action(context)
    if action is None:
        return Handoff()
    recipients, home = _action_owners(context, action)
    return Handoff(
        notices=[
            Notice(
                kind=kind,
                recipients=recipients,
                reference=action.review.reference,
                what=what,
                due=action.due,
                path="/actions/",
                partnership=home,
                once_a_day=once_a_day,
                item=f"action:{action.uuid}",
            )
        ],
        webhook_events=_webhook(
            action.owner_agency,
            event_type,
            {
                "id": str(action.uuid),
                "reference": action.review.reference,
                "due": action.due.isoformat(),
                "status": action.status,
            },
        )
        if event_type
        else [],
    )


def action_assigned(context: HandoffContext) -> Handoff:
    return _action_handoff(
        context,
        what="An action from a review has been assigned to you",
        kind="action",
        event_type="action.assigned",
        once_a_day=False,
    )


def action_due_soon(context: HandoffContext) -> Handoff:
    return _action_handoff(
        context,
        what="An action is due soon",
        kind="reminder",
        event_type="action.due_soon",
        once_a_day=True,
    )


def action_overdue(context: HandoffContext) -> Handoff:
    return _action_handoff(
        context, what="An action is overdue", kind="reminder", event_type="", once_a_day=True
    )


def actions_due_soon_note(*, actor, day: datetime.date) -> int:
    """The daily job: each open action falling due within ``ACTION_DUE_SOON_WORKING_DAYS``
    working days is noted in the trail once (the hand-off tells its owner; the sending layer
    keeps it to once a day per person and action, however often the job runs)."""
    horizon = add_working_days(day, ACTION_DUE_SOON_WORKING_DAYS)
    noted = 0
    due_soon = Action.objects.filter(
        status__in=(ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS),
        due__gte=day,
        due__lte=horizon,
    ).select_related("review")
    for action in due_soon:
        with transaction.atomic():
            audit_event_record(
                actor=actor,
                action="action.due_soon",
                object_type="review",
                object_ref=action.review.reference,
                detail={"action": str(action.uuid), "due": action.due.isoformat()},
            )
        noted += 1
    return noted


@shared_task(base=PartnershipTask, bind=True)
def actions_due_soon_task(self) -> int:
    """Daily, per partnership: actions due soon are told to their owners."""
    from tenants.clock import today

    return actions_due_soon_note(actor=self.platform_actor("daily actions due soon"), day=today())


# --- Joint reviews ----------------------------------------------------------------------------


def _here(context: HandoffContext, key: str) -> bool:
    """A joint-review row is written in both partnerships' trails: act on the one copy."""
    return context.partnership.key == key


def joint_review_invited(context: HandoffContext) -> Handoff:
    """The invited partnership's business managers answer the invitation."""
    detail = context.event.detail
    if not _here(context, detail.get("partnership", "")):
        return Handoff()
    return Handoff(
        notices=[
            Notice(
                kind="joint_review",
                recipients=role_emails(context.partnership, Role.BUSINESS_MANAGER),
                reference=detail.get("review", ""),
                what="Your partnership is invited to a joint review",
                path="/joint-reviews/invitations/",
            )
        ]
    )


def joint_review_answered(context: HandoffContext) -> Handoff:
    """Whoever invited hears that the invitation was accepted or declined (at the lead)."""
    from casework.joint.models import JointReviewParticipant

    detail = context.event.detail
    if not _here(context, detail.get("lead", "")):
        return Handoff()
    part = (
        JointReviewParticipant.objects.filter(
            grant__review_uuid=context.event.object_ref,
            partnership__key=context.event.actor_partnership_key,
        )
        .only("invited_by")
        .first()
    )
    if part is None:
        return Handoff()
    answer = "accepted" if context.event.action.endswith("accepted") else "declined"
    return Handoff(
        notices=[
            Notice(
                kind="joint_review",
                recipients=tuple(
                    User.objects.filter(email=part.invited_by, is_active=True).values_list(
                        "email", flat=True
                    )
                ),
                reference=detail.get("review", ""),
                what=f"Your invitation to a joint review was {answer}",
                path=f"/case-reviews/{detail.get('review', '')}/",
            )
        ]
    )


# The one table: audit action (as the services record it) -> handler.
HANDOFFS = {
    "referral.created": referral_received,
    "screening.recorded": referral_status_changed,
    "rapid_review.started": referral_status_changed,
    "decision.recorded": referral_status_changed,
    "contribution.requested": contribution_requested,
    "contribution.submitted": contribution_received,
    "rapid_review.sent": decision_awaited,
    "review.stage_moved": sign_off_awaited,
    "reviewer.appointed": reviewer_appointed,
    "information.requested": information_requested,
    "information.answered": information_answered,
    "action.added": action_assigned,
    "action.due_soon": action_due_soon,
    "action.chased": action_overdue,
    "joint_review.invited": joint_review_invited,
    "joint_review.accepted": joint_review_answered,
    "joint_review.declined": joint_review_answered,
}
