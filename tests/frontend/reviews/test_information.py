"""The information requests tab on the web: the reviewer asks, the agency answers on its own side,
and a request needs an agency and what is asked."""

import pytest
from django.utils.html import escape

from casework.models import InformationRequest
from tenants.clock import today
from tests.support.review_pages import HOSTILE, client, error_summary, htmx
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestInformationRequests:
    def test_the_reviewer_asks_and_the_agency_answers_on_the_web(self, world, appointed):
        ref = appointed.reference
        erin = client(world, "erin")
        response = htmx(
            erin,
            f"/case-reviews/{ref}/information/new/",
            {
                "request-agency": str(world.met_croydon.uuid),
                "request-asks": ["chronology", "single_agency_report"],
                "request-details": "From the first call-out.",
            },
        )
        assert "The request is sent to the agency." in body(response)
        with inside(world.croydon):
            request = InformationRequest.objects.get()
        assert request.due > today()

        bob = client(world, "bob")
        dashboard = body(bob.get("/dashboard/"))
        assert f"/information-requests/{request.uuid}/" in dashboard
        page = body(bob.get(f"/information-requests/{request.uuid}/"))
        assert (
            "A chronology of the agency&#x27;s involvement" in page
            and "From the first call-out." in page
        )
        response = bob.post(f"/information-requests/{request.uuid}/", {"response-text": ""})
        assert "Write your agency&#x27;s answer." in error_summary(body(response))
        response = bob.post(
            f"/information-requests/{request.uuid}/",
            {"response-text": f"Three call-outs, listed. {HOSTILE}"},
        )
        assert response.status_code == 302
        assert "Answered" in body(bob.get(response["Location"]))

        page = body(erin.get(f"/case-reviews/{ref}/information/"))
        assert "Answered" in page and escape(HOSTILE) in page and HOSTILE not in page
        # Frank (NHS) cannot see Met's request; the review group cannot answer for the agency.
        assert (
            client(world, "frank").get(f"/information-requests/{request.uuid}/").status_code == 404
        )
        assert (
            client(world, "dave")
            .post(f"/information-requests/{request.uuid}/", {"response-text": "x"})
            .status_code
            == 403
        )

        response = htmx(erin, f"/case-reviews/{ref}/information/{request.uuid}/close/", {})
        assert "The request to Met Police is closed." in body(response)
        assert "This request is closed." in body(bob.get(f"/information-requests/{request.uuid}/"))

    def test_a_request_needs_an_agency_and_what_is_asked(self, world, appointed):
        response = client(world, "erin").post(
            f"/case-reviews/{appointed.reference}/information/new/", {"request-agency": ""}
        )
        summary = error_summary(body(response))
        assert "Choose the agency to ask." in summary
        response = client(world, "erin").post(
            f"/case-reviews/{appointed.reference}/information/new/",
            {"request-agency": str(world.met_croydon.uuid)},
        )
        assert "Choose what you are asking for." in error_summary(body(response))
