"""An agency's side of a review's information request: what is asked, by when, and the
agency's answers. The agency's users answer here (their systems through the API); the review's
own page lists the requests for the review group and the reviewer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from casework import permissions, selectors, services
from casework.models import InformationRequest
from casework.services import ASKS
from frontend.decorators import member_required
from frontend.forms.reviews import InformationResponseForm
from frontend.links import review_path
from tenants.clock import today


@member_required
@require_http_methods(["GET", "POST"])
def information_request(request, request_uuid):
    actor = request.actor
    read = (
        selectors.information_request_for_page
        if request.method == "GET"
        else selectors.access_information_request
    )
    information_request = read(actor=actor, request_uuid=request_uuid)
    form = InformationResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.information_response_submit(
                actor=actor, request=information_request, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"Your answer to {information_request.review.reference} is sent.",
            )
            return redirect(
                review_path(
                    request,
                    "information-request",
                    information_request.review,
                    information_request.uuid,
                )
            )
    status = information_request.status
    return render(
        request,
        "information/request.html",
        {
            "information_request": information_request,
            "review": information_request.review,
            "asks": [ASKS.get(ask, ask) for ask in information_request.asks],
            "responses": list(information_request.responses.all()),
            "overdue": status == InformationRequest.Status.OPEN
            and information_request.due < today(),
            "may_answer": permissions.may_answer_information_request(actor, information_request)
            and status != InformationRequest.Status.CLOSED,
            "form": form,
            "page_error": bool(form.errors),
        },
    )
