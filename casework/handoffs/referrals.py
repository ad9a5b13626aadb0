"""Hand-offs of a referral and its rapid review: a new referral, contributions asked and sent,
the chair's decision awaited, and the referring agency's status changes."""

from casework.handoffs.recipients import agency_recipients, role_emails, webhook_for
from casework.models import ContributionRequest, Referral
from tenants.handoffs import Handoff, HandoffContext, Notice
from tenants.models import Role


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
        webhook_events=webhook_for(
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
        webhook_events=webhook_for(
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
        webhook_events=webhook_for(
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
