"""The agency API for reviews: information requests and actions, the key's own agency only."""

import base64
import datetime

import pytest

from casework import services
from casework.models import ActionUpdate, InformationResponse
from tests.support.actors import actor
from tests.support.clients import api_client, issue_key, problem
from tests.support.world import inside

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%evidence\n"


@pytest.fixture
def plan(world, review):
    """An information request to Met Police and an action each for Met and NHS Croydon."""
    alice = actor(world, "alice")
    with inside(world.croydon):
        request = services.information_request_create(
            actor=alice, review=review, agency=world.met_croydon, asks=["chronology"]
        )
        recommendation = services.recommendation_add(
            actor=alice, review=review, text="Share records", to_partnership=True
        )
        met = services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Train call handlers",
            owner_agency=world.met_croydon,
            due=datetime.date(2027, 3, 1),
        )
        nhs = services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Update the injury pathway",
            owner_agency=world.nhs_croydon,
            due=datetime.date(2027, 3, 1),
        )
    return {"request": request, "met": met, "nhs": nhs, "review": review}


def test_an_agency_lists_and_answers_its_information_requests(world, plan):
    key = issue_key(world.croydon, world.met_croydon)
    client = api_client(world.croydon, key)
    listed = client.get("/api/v1/information-requests/").json()
    assert [item["id"] for item in listed["results"]] == [str(plan["request"].uuid)]
    assert listed["results"][0]["review"]["reference"] == plan["review"].reference
    response = client.post(
        f"/api/v1/information-requests/{plan['request'].uuid}/responses/",
        {"text": "Our chronology follows."},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="answer-1",
    )
    assert response.status_code == 201 and response.json()["status"] == "answered"
    again = client.post(
        f"/api/v1/information-requests/{plan['request'].uuid}/responses/",
        {"text": "Our chronology follows."},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="answer-1",
    )
    assert again.json() == response.json()
    with inside(world.croydon):
        assert InformationResponse.objects.count() == 1


def test_another_agency_cannot_see_or_answer_the_request(world, plan):
    nhs = api_client(world.croydon, issue_key(world.croydon, world.nhs_croydon))
    assert nhs.get("/api/v1/information-requests/").json()["results"] == []
    response = nhs.post(
        f"/api/v1/information-requests/{plan['request'].uuid}/responses/",
        {"text": "x"},
        content_type="application/json",
    )
    assert problem(response)["status"] == 404


def test_actions_carry_the_contract_fields_and_only_the_agencys_own(world, plan):
    client = api_client(world.croydon, issue_key(world.croydon, world.met_croydon))
    results = client.get("/api/v1/actions/").json()["results"]
    assert [item["id"] for item in results] == [str(plan["met"].uuid)]
    action = results[0]
    assert {"id", "description", "owner", "due", "status", "rag", "review"} <= action.keys()
    assert action["owner"] == {
        "type": "agency",
        "id": str(world.met_croydon.uuid),
        "name": "Met Police",
    }
    assert action["review"]["lead_partnership"]["key"] == "croydon"
    assert [p["key"] for p in action["review"]["partnerships"]] == ["croydon"]
    assert action["rag"] in ("red", "amber", "green")


def test_an_agency_reports_progress_with_evidence(world, plan):
    client = api_client(world.croydon, issue_key(world.croydon, world.met_croydon))
    body = {
        "status": "complete",
        "note": "Done",
        "evidence": {"name": "register.pdf", "content_base64": base64.b64encode(PDF).decode()},
    }
    response = client.post(
        f"/api/v1/actions/{plan['met'].uuid}/updates/", body, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["evidence"] == "register.pdf"
    fake = dict(
        body,
        evidence={"name": "register.pdf", "content_base64": base64.b64encode(b"MZ\x90").decode()},
    )
    rejected = client.post(
        f"/api/v1/actions/{plan['met'].uuid}/updates/", fake, content_type="application/json"
    )
    assert problem(rejected)["status"] == 400
    assert "evidence" in {error["name"] for error in rejected.json()["errors"]}
    with inside(world.croydon):
        assert ActionUpdate.objects.count() == 1
        services.action_verify(actor=actor(world, "dave"), action=plan["met"])
    closed = client.post(
        f"/api/v1/actions/{plan['met'].uuid}/updates/",
        {"status": "in_progress", "note": "x"},
        content_type="application/json",
    )
    assert problem(closed)["status"] == 400
    assert "verified" in closed.json()["detail"] + str(closed.json()["errors"])


def test_another_agencys_action_is_a_404(world, plan):
    client = api_client(world.croydon, issue_key(world.croydon, world.met_croydon))
    response = client.post(
        f"/api/v1/actions/{plan['nhs'].uuid}/updates/",
        {"status": "in_progress", "note": "x"},
        content_type="application/json",
    )
    assert problem(response)["status"] == 404


def test_another_partnerships_key_never_reaches_the_plan(world, plan):
    lewisham_key = issue_key(world.lewisham, world.met_lewisham)
    own = api_client(world.lewisham, lewisham_key)
    assert own.get("/api/v1/actions/").json()["results"] == []
    assert own.get("/api/v1/information-requests/").json()["results"] == []
    response = own.post(
        f"/api/v1/actions/{plan['met'].uuid}/updates/",
        {"status": "in_progress", "note": "x"},
        content_type="application/json",
    )
    assert problem(response)["status"] == 404
    croydon_host = api_client(world.croydon, lewisham_key)
    assert problem(croydon_host.get("/api/v1/actions/"))["status"] == 401
