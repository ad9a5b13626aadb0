"""The information requests tab: the review's requests to agencies with their answers, a new
request and closing one (``casework.permissions.may_contribute_to_review``,
``may_close_request``; the services check them again). An agency's side is
``frontend.views.information``."""

from django.http import Http404

from casework import permissions, selectors, services
from casework.models import InformationRequest
from casework.services import ASKS
from frontend.forms.reviews import InformationRequestForm
from frontend.views.reviews.workspace import Tab, review_agencies, review_view
from tenants.clock import today


def _shows(request, review) -> dict:
    day = today()
    requests = list(selectors.information_requests_of_review(review=review))
    context = {
        "requests": [
            {
                "request": r,
                "asks": [ASKS.get(ask, ask) for ask in r.asks],
                "overdue": r.status == InformationRequest.Status.OPEN and r.due < day,
                "responses": list(r.responses.all()),
                "may_close": permissions.may_close_request(request.actor, r),
            }
            for r in requests
        ],
        "request_form": InformationRequestForm(agencies=review_agencies(request, review)),
    }
    return context


TAB = Tab("information", "reviews/information.html", _shows)


information = TAB.view()


@review_view("POST")
def information_request_create(request, review):
    actor = request.actor
    form = InformationRequestForm(request.POST, agencies=review_agencies(request, review))

    every = form.asks_every_involved_agency()

    def create(data):
        asked = {"asks": data["asks"], "details": data["details"], "due": data["due"]}
        if every:
            services.information_requests_create_for_involved(actor=actor, review=review, **asked)
            return
        services.information_request_create(
            actor=actor,
            review=review,
            agency=selectors.access_review_agency(
                actor=actor, review=review, agency_uuid=data["agency"]
            ),
            **asked,
        )

    return TAB.answer(
        request,
        review,
        "requests",
        form=form,
        form_key="request_form",
        perform=create,
        done="A request is sent to each agency involved in the review."
        if every
        else "The request is sent to the agency.",
    )


@review_view("POST")
def information_request_close(request, review, request_uuid):
    actor = request.actor
    information_request = selectors.access_information_request(
        actor=actor, request_uuid=request_uuid
    )
    if information_request.review_id != review.pk:
        raise Http404("No such request.")
    services.information_request_close(actor=actor, request=information_request)
    return TAB.answer(
        request,
        review,
        "requests",
        done=f"The request to {information_request.agency.name} is closed.",
    )
