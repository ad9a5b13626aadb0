"""Joint reviews on the web, on each partnership's own host.

- ``through_the_door(view)`` serves a review workspace view (the very same views and templates as
  a single review's) at ``/joint-reviews/<uuid>/…`` for a participant's people: the view runs
  inside ``casework.joint.door.through``, in the lead's schema, with the participant's actor
  bound to that review. A request the door refuses — also from a page opened before the
  partnership's part ended — is a 404.
- The joint review list (reviews led by others that the partnership takes part in), and the
  invitations page: invitations received (answered by the business manager or chair) and sent
  (the joint reviews the partnership leads).
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from casework import permissions
from casework.joint import door
from casework.joint import selectors as joint_selectors
from casework.joint import services as joint_services
from casework.joint.models import ParticipantState
from casework.selectors import lists
from frontend.decorators import allowed_if, member_required
from frontend.forms.base import ReasonForm


def _settled(response):
    """Everything a page reads happens inside the door: a streamed answer (the chronology's CSV)
    is read to the end here, before the connection goes back to the participant's schema. A
    file's handle is already open, so a file streams as it is."""
    if getattr(response, "streaming", False) and not isinstance(response, FileResponse):
        response.streaming_content = [b"".join(response.streaming_content)]
    return response


def through_the_door(view, *, under_the_review: bool = True):
    """A workspace view, served on a participant's host through the joint-review door.
    ``under_the_review``: the view takes the review's reference first (its tabs); otherwise only
    its own arguments (an action's page, an information request's page)."""

    @wraps(view)
    @member_required
    def door_view(request, review_uuid, *args, **kwargs):
        home = request.actor

        def work(passage):
            request.actor, request.joint = passage.actor, passage
            try:
                if under_the_review:
                    response = view(request, passage.review_reference, *args, **kwargs)
                else:
                    response = view(request, *args, **kwargs)
                return _settled(response)
            finally:
                request.actor, request.joint = home, None

        try:
            return door.through(
                actor=home,
                review_uuid=review_uuid,
                purpose=f"{request.method} {request.path}"[:200],
                work=work,
            )
        except door.LedHere as led:
            # The lead's own people use the review's own pages on their own host.
            if request.method != "GET":
                raise Http404("No such page.") from None
            return redirect("frontend:review", led.grant.review_reference)

    return door_view


def _require_reader(actor) -> None:
    if not permissions.may_see_reviews(actor):
        raise PermissionDenied("Joint reviews are for the review group and the lead reviewers.")


@member_required
@require_GET
def joint_review_list(request):
    actor = request.actor
    _require_reader(actor)
    return render(
        request,
        "joint/list.html",
        {
            "reviews": lists.joint_reviews_for_page(actor=actor),
            "waiting": joint_selectors.live_part_count(actor=actor),
            "may_manage_joint_reviews": permissions.may_manage_joint_reviews(actor),
        },
    )


def _invitations_context(request, forms=None) -> dict:
    actor = request.actor
    forms = forms or {}
    invitations = joint_selectors.invitations_for_page(actor=actor)
    received = invitations["received"]
    for part in received:
        key = part.uuid.hex[:8]
        part.may_end = permissions.may_end_part(actor, part) and part.state != "invited"
        if part.state == ParticipantState.INVITED:
            part.decline_form = forms.get(("decline", part.uuid)) or ReasonForm(
                submit="Decline", prefix=f"decline-{key}", label="Why? (optional)"
            )
        if part.may_end:
            part.end_form = forms.get(("end", part.uuid)) or ReasonForm(
                submit="End our part", prefix=f"end-{key}", label="Why does your part end?"
            )
    return {
        "received": received,
        "sent": invitations["sent"],
        "page_error": bool(forms),
    }


@member_required
@require_GET
@allowed_if(
    permissions.may_manage_joint_reviews, "The business manager or the chair answers invitations."
)
def invitations(request):
    """Invitations received (to answer) and sent (the joint reviews this partnership leads), for
    the business manager and the chair."""
    return render(request, "joint/invitations.html", _invitations_context(request))


def _answer(request, participant_uuid, do, *, kind: str, done: str):
    """Answer an invitation or end a part: ``do`` is the service, called with the actor, the
    part and (when ``kind`` names a form with a reason) the reason."""
    actor = request.actor
    part = joint_selectors.access_invitation(actor=actor, participant_uuid=participant_uuid)
    key = part.uuid.hex[:8]
    form = ReasonForm(request.POST, submit="", prefix=f"{kind}-{key}") if kind else None
    try:
        reason = {"reason": form.cleaned_data["reason"] if form.is_valid() else ""} if form else {}
        do(actor=actor, part=part, **reason)
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("frontend:joint-invitations")
        form.add_service_errors(error)
        context = _invitations_context(request, {(kind, part.uuid): form})
        return render(request, "joint/invitations.html", context)
    messages.success(request, done.format(review=part.grant.review_reference))
    if part.state == ParticipantState.ACTIVE:
        return redirect("frontend:joint-review", part.grant.review_uuid)
    return redirect(reverse("frontend:joint-invitations") + f"#part-{part.uuid}")


def _answering(service, *, kind: str, done: str):
    """The POST view that answers with ``service`` (``_answer``)."""

    @member_required
    @require_POST
    def view(request, participant_uuid):
        return _answer(request, participant_uuid, service, kind=kind, done=done)

    return view


invitation_accept = _answering(
    joint_services.joint_review_accept,
    kind="",
    done="You have accepted: your partnership takes part in {review}.",
)
invitation_decline = _answering(
    joint_services.joint_review_decline,
    kind="decline",
    done="You have declined the invitation to {review}.",
)
# A participant's chair ends their partnership's part, on their own host.
part_end = _answering(
    joint_services.joint_review_part_end,
    kind="end",
    done="Your partnership's part in {review} has ended.",
)
