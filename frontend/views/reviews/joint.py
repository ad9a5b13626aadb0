"""The overview's joint-review section, the lead's side: invite a partnership to hold the review
jointly, let an accepted one in, end a part or the whole. Who may is
``casework.permissions`` (``may_manage_joint_reviews``, ``may_open_part``, ``may_end_part``);
the joint-review services check it again. A participant's side is ``frontend.views.joint``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from casework import selectors
from casework.joint import selectors as joint_selectors
from casework.joint import services as joint_services
from frontend.decorators import member_required
from frontend.forms.base import ReasonForm
from frontend.forms.joint import JointInviteForm
from frontend.views.reviews.overview import end_part_form, end_part_key, overview_answer
from frontend.views.reviews.workspace import review_view, tab_url


def _part(request, reference, participant_uuid):
    review = selectors.access_review(actor=request.actor, reference=reference)
    part = joint_selectors.access_participant(
        actor=request.actor, review=review, participant_uuid=participant_uuid
    )
    return review, part


@review_view("POST")
def joint_invite(request, review):
    """The lead's business manager or chair invites a partnership to hold the review jointly."""
    actor = request.actor
    form = JointInviteForm(
        request.POST,
        partnerships=joint_selectors.invitable_partnerships(actor=actor, review=review),
    )
    return overview_answer(
        request,
        review,
        "joint",
        form=form,
        form_key="invite_form",
        perform=lambda data: joint_services.joint_review_invite(
            actor=actor,
            review=review,
            partnership_key=data["partnership"],
            permissions=data["permissions"],
            open_on_acceptance=data["open_on_acceptance"],
        ),
        done=lambda part: f"{part.partnership.name} is invited to the review.",
    )


@member_required
@require_POST
def joint_part_open(request, reference, participant_uuid):
    review, part = _part(request, reference, participant_uuid)
    try:
        joint_services.joint_review_open(actor=request.actor, part=part)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(tab_url(request, review, "overview", "joint"))
    return overview_answer(
        request, review, "joint", done=f"The review is open to {part.partnership.name}."
    )


@member_required
@require_POST
def joint_part_end(request, reference, participant_uuid):
    """The lead's chair ends a partnership's part (its business manager or chair withdraws an
    invitation not yet answered)."""
    review, part = _part(request, reference, participant_uuid)
    return overview_answer(
        request,
        review,
        "joint",
        form=end_part_form(part, request.POST),
        form_key=end_part_key(part),
        perform=lambda data: joint_services.joint_review_part_end(
            actor=request.actor, part=part, reason=data["reason"]
        ),
        done=f"The part of {part.partnership.name} has ended.",
    )


@review_view("POST")
def joint_end(request, review):
    """The lead's business manager or chair ends the joint review for everyone."""
    actor = request.actor
    form = ReasonForm(
        request.POST, submit="End the joint review", prefix="end-joint", label="Why does it end?"
    )
    return overview_answer(
        request,
        review,
        "joint",
        form=form,
        form_key="end_joint_form",
        perform=lambda data: joint_services.joint_review_end(
            actor=actor, review=review, reason=data["reason"]
        ),
        done="The joint review has ended.",
    )
