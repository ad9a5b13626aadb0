"""The chair's sign-off of the report, on the overview: the lead's chair's, and through the
door each participant's chair's with their statement (``casework.permissions.
may_sign_off_review``; the service checks it again)."""

from casework import services
from frontend.forms.base import ButtonForm
from frontend.forms.joint import ParticipantSignOffForm
from frontend.views.reviews.overview import overview_answer
from frontend.views.reviews.workspace import review_view


@review_view("POST")
def chair_sign_off(request, review):
    if request.actor.is_joint:
        form = ParticipantSignOffForm(request.POST)
    else:
        form = ButtonForm(request.POST, submit="Sign the report off", prefix="sign-off")
    return overview_answer(
        request,
        review,
        "sign_off",
        form=form,
        form_key="sign_off_form",
        perform=lambda data: services.review_chair_sign_off(
            actor=request.actor, review=review, statement=data.get("statement", "")
        ),
        done="You have signed the report off.",
    )
