"""Hand-offs of a review: sign-off awaited, a lead reviewer appointed, information asked and
answered, and a joint review's invitation and its answer."""

from casework.handoffs.recipients import agency_recipients, role_emails, webhook_for
from casework.models import InformationRequest, Review, ReviewerAppointment
from tenants.handoffs import Handoff, HandoffContext, Notice
from tenants.models import Role, User


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
        webhook_events=webhook_for(
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
