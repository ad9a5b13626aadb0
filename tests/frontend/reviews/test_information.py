"""The information requests tab on the web: the reviewer asks, the agency answers on its own side,
and a request needs an agency and what is asked."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from casework import services
from casework.models import InformationRequest
from tenants.agencies.models import AuditEvent
from tenants.clock import today
from tests.support.actors import actor
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


class TestAskingEveryInvolvedAgency:
    """Issue 14: "ask every involved agency" in one step, one request and one audit row each."""

    def _ask_every(self, world, who: str, review, **data):
        return htmx(
            client(world, who),
            f"/case-reviews/{review.reference}/information/new/",
            {"request-agency": "every", **data},
        )

    def test_one_step_asks_each_agency_involved_each_audited(self, world, appointed):
        with inside(world.croydon):
            involved = sorted(agency.name for agency in appointed.agencies.all())
        assert involved == ["Met Police", "NHS Croydon Health Services"]
        response = self._ask_every(
            world, "erin", appointed, **{"request-asks": ["chronology"], "request-details": "All."}
        )
        assert "A request is sent to each agency involved in the review." in body(response)
        with inside(world.croydon):
            requests = InformationRequest.objects.order_by("agency__name")
            assert [r.agency.name for r in requests] == involved
            assert {(tuple(r.asks), r.details) for r in requests} == {(("chronology",), "All.")}
            audited = AuditEvent.objects.filter(action="information.requested")
            assert sorted(row.detail["agency"] for row in audited) == involved

    def test_all_or_none_and_as_permitted_as_one_request(self, world, appointed):
        response = self._ask_every(world, "erin", appointed)
        assert "Choose what you are asking for." in error_summary(body(response))
        # Whoever may not ask one agency may not ask them all.
        single = client(world, "bob").post(
            f"/case-reviews/{appointed.reference}/information/new/",
            {"request-agency": str(world.met_croydon.uuid), "request-asks": ["chronology"]},
        )
        every = self._ask_every(world, "bob", appointed, **{"request-asks": ["chronology"]})
        assert every.status_code == single.status_code != 200
        with inside(world.croydon):
            # A refusal part-way (a date already past) leaves no request behind.
            with pytest.raises(ValidationError):
                services.information_requests_create_for_involved(
                    actor=actor(world, "erin"),
                    review=appointed,
                    asks=["chronology"],
                    due=today() - datetime.timedelta(days=1),
                )
            assert not InformationRequest.objects.exists()
            assert not AuditEvent.objects.filter(action="information.requested").exists()
            # Only active agencies are asked; none involved: the service says so.
            world.nhs_croydon.is_active = False
            world.nhs_croydon.save(update_fields=["is_active"])
            made = services.information_requests_create_for_involved(
                actor=actor(world, "erin"), review=appointed, asks=["documents"]
            )
            assert [r.agency.name for r in made] == ["Met Police"]
            appointed.agencies.clear()
            with pytest.raises(ValidationError, match="No agency is involved"):
                services.information_requests_create_for_involved(
                    actor=actor(world, "erin"), review=appointed, asks=["documents"]
                )
