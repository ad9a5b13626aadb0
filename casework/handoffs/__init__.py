"""Casework's hand-offs (issue 13): for each audit action that makes it someone's turn, who is
told and what, and which agency's webhooks hear of it.

``HANDOFFS`` is the one table from audit actions to handlers, registered with
``tenants.handoffs`` by ``CaseworkConfig.ready()``: an action renamed in a service is one line
here. A handler runs in a task after the change committed, in the schema it was recorded in; it
reads who holds which role now and writes nothing of the case into a message: the reference,
what is asked, the due date and a link (email leaves the platform; DESIGN §5).
"""

from casework.handoffs.actions import (
    action_assigned,
    action_due_soon,
    action_overdue,
    actions_due_soon_note,
    actions_due_soon_task,
)
from casework.handoffs.referrals import (
    contribution_received,
    contribution_requested,
    decision_awaited,
    referral_received,
    referral_status_changed,
)
from casework.handoffs.reviews import (
    information_answered,
    information_requested,
    joint_review_answered,
    joint_review_invited,
    reviewer_appointed,
    sign_off_awaited,
)

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

__all__ = ["HANDOFFS", "actions_due_soon_note", "actions_due_soon_task"]
