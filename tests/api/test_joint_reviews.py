"""The agency API in joint reviews (DESIGN §4): a participant's agency key, on its own host,
lists and answers its own agency's information requests and actions in the joint review next to
its own partnership's; each item's review names the lead and every partnership. Croydon's Met
Police never sees Lewisham's Met Police's, nor the other way round; Bexley's key nothing."""

import datetime

import pytest

from casework import services
from casework.joint import services as joint_services
from casework.joint.models import ParticipantPermission
from casework.models import ActionUpdate, InformationResponse
from tenants.agencies.models import Agency, AuditEvent, IdempotencyRecord
from tenants.clock import today
from tests.support.clients import api_client, issue_key, problem
from tests.support.world import inside

pytestmark = pytest.mark.django_db

BOTH = [
    {"key": "croydon", "name": "Croydon Safeguarding Children Partnership"},
    {"key": "lewisham", "name": "Lewisham Safeguarding Children Partnership"},
]


@pytest.fixture
def plan(joint):
    """Lewisham taking part; a request to and an action for each partnership's Met Police, and
    one of Lewisham's own actions in its own single review."""
    joint.joined()
    joint.through("lena", lambda passage: None)  # Lewisham's agencies mirrored in Croydon
    with inside(joint.croydon):
        police = Agency.objects.get(home_agency_uuid=joint.world.met_lewisham.uuid)
        alice = joint.actor("alice")
        theirs = services.information_request_create(
            actor=alice, review=joint.review, agency=police, asks=["chronology"]
        )
        ours = services.information_request_create(
            actor=alice, review=joint.review, agency=joint.world.met_croydon, asks=["chronology"]
        )
        recommendation = services.recommendation_add(
            actor=alice, review=joint.review, text="Share referrals", to_partnership=True
        )
        lewisham_action = services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Lewisham police audit",
            owner_agency=police,
            due=today() + datetime.timedelta(days=90),
        )
        croydon_action = services.action_add(
            actor=alice,
            recommendation=recommendation,
            description="Croydon police audit",
            owner_agency=joint.world.met_croydon,
            due=today() + datetime.timedelta(days=60),
        )
    with inside(joint.lewisham):
        charlie = joint.actor("charlie")
        own_review = services.thematic_review_commission(
            actor=charlie, title="Lewisham's own review", commissioned_on=today()
        )
        own_recommendation = services.recommendation_add(
            actor=charlie, review=own_review, text="Own", to_partnership=True
        )
        own_action = services.action_add(
            actor=charlie,
            recommendation=own_recommendation,
            description="Lewisham police, own review",
            owner_agency=joint.world.met_lewisham,
            due=today() + datetime.timedelta(days=30),
        )
    return {
        "theirs": theirs,
        "ours": ours,
        "lewisham_action": lewisham_action,
        "croydon_action": croydon_action,
        "own_action": own_action,
        "police": police,
        "lewisham_key": issue_key(joint.lewisham, joint.world.met_lewisham),
        "croydon_key": issue_key(joint.croydon, joint.world.met_croydon),
    }


def test_a_participants_agency_lists_its_joint_and_own_actions(joint, plan):
    client = api_client(joint.lewisham, plan["lewisham_key"])
    results = client.get("/api/v1/actions/").json()["results"]
    by_description = {item["description"]: item for item in results}
    assert set(by_description) == {"Lewisham police, own review", "Lewisham police audit"}
    joint_item = by_description["Lewisham police audit"]
    assert joint_item["id"] == str(plan["lewisham_action"].uuid)
    assert joint_item["review"]["reference"] == joint.review.reference
    assert joint_item["review"]["lead_partnership"] == BOTH[0]
    assert joint_item["review"]["partnerships"] == BOTH
    # Its owner is the agency the key is for, as whoami names it.
    assert joint_item["owner"]["id"] == str(joint.world.met_lewisham.uuid)
    whoami = client.get("/api/v1/whoami/").json()
    assert whoami["agency"]["id"] == joint_item["owner"]["id"]
    own = by_description["Lewisham police, own review"]
    assert own["review"]["lead_partnership"]["key"] == "lewisham"
    assert [p["key"] for p in own["review"]["partnerships"]] == ["lewisham"]
    # Filters apply to both.
    assert client.get("/api/v1/actions/?status=complete").json()["results"] == []


def test_the_leads_agency_sees_its_joint_action_named_with_every_partnership(joint, plan):
    client = api_client(joint.croydon, plan["croydon_key"])
    (item,) = client.get("/api/v1/actions/").json()["results"]
    assert item["description"] == "Croydon police audit"
    assert item["review"]["partnerships"] == BOTH
    requests = client.get("/api/v1/information-requests/").json()["results"]
    assert [r["id"] for r in requests] == [str(plan["ours"].uuid)]


def test_a_participants_agency_answers_and_updates_through_its_own_host(joint, plan):
    client = api_client(joint.lewisham, plan["lewisham_key"])
    (listed,) = client.get("/api/v1/information-requests/").json()["results"]
    assert listed["id"] == str(plan["theirs"].uuid)
    assert listed["review"]["partnerships"] == BOTH
    response = client.post(
        f"/api/v1/information-requests/{plan['theirs'].uuid}/responses/",
        {"text": "Our records"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="joint-answer",
    )
    assert response.status_code == 201, response.content
    again = client.post(
        f"/api/v1/information-requests/{plan['theirs'].uuid}/responses/",
        {"text": "Our records"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="joint-answer",
    )
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    response = client.post(
        f"/api/v1/actions/{plan['lewisham_action'].uuid}/updates/",
        {"status": "in_progress", "note": "Audit started"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    with inside(joint.croydon):
        # The system by the name it was issued under, then its key (tenants.actors).
        assert "(API key " in InformationResponse.objects.get().submitted_by
        assert ActionUpdate.objects.get().note == "Audit started"
        rows = AuditEvent.objects.filter(action="action.updated")
        assert [r.partnership_key for r in rows] == ["lewisham"]
    with inside(joint.lewisham):
        # The idempotency record is the key's, in the key's own partnership.
        assert IdempotencyRecord.objects.filter(key="joint-answer").count() == 1
        assert not InformationResponse.objects.exists()


def test_another_agencys_items_in_the_joint_review_are_404(joint, plan):
    lewisham = api_client(joint.lewisham, plan["lewisham_key"])
    for path in (
        f"/api/v1/actions/{plan['croydon_action'].uuid}/updates/",
        f"/api/v1/information-requests/{plan['ours'].uuid}/responses/",
    ):
        response = lewisham.post(
            path, {"status": "complete", "note": "x", "text": "x"}, content_type="application/json"
        )
        assert problem(response)["status"] == 404
    croydon = api_client(joint.croydon, plan["croydon_key"])
    response = croydon.post(
        f"/api/v1/actions/{plan['lewisham_action'].uuid}/updates/",
        {"status": "complete", "note": "x"},
        content_type="application/json",
    )
    assert problem(response)["status"] == 404


def test_keys_of_other_partnerships_get_nothing(joint, plan):
    bexley_key = issue_key(joint.bexley, _bexley_police(joint))
    client = api_client(joint.bexley, bexley_key)
    assert client.get("/api/v1/actions/").json()["results"] == []
    assert client.get("/api/v1/information-requests/").json()["results"] == []
    response = client.post(
        f"/api/v1/actions/{plan['lewisham_action'].uuid}/updates/",
        {"status": "complete", "note": "x"},
        content_type="application/json",
    )
    assert problem(response)["status"] == 404
    # Lewisham's key on Croydon's host does not exist there.
    elsewhere = api_client(joint.croydon, plan["lewisham_key"]).get("/api/v1/actions/")
    assert elsewhere.status_code == 401


def _bexley_police(joint):
    with inside(joint.bexley):
        return Agency.objects.get(name="Met Police")


def test_without_the_agencies_permission_the_participants_agencies_see_nothing(joint):
    joint.joined(permissions=[ParticipantPermission.CONTRIBUTE])
    key = issue_key(joint.lewisham, joint.world.met_lewisham)
    assert api_client(joint.lewisham, key).get("/api/v1/actions/").json()["results"] == []


def test_a_revoked_grant_closes_the_api_at_once(joint, plan):
    client = api_client(joint.lewisham, plan["lewisham_key"])
    assert len(client.get("/api/v1/actions/").json()["results"]) == 2
    with inside(joint.croydon):
        joint_services.joint_review_end(
            actor=joint.actor("carol"), review=joint.review, reason="Revoked"
        )
    results = client.get("/api/v1/actions/").json()["results"]
    assert [item["description"] for item in results] == ["Lewisham police, own review"]
    response = client.post(
        f"/api/v1/actions/{plan['lewisham_action'].uuid}/updates/",
        {"status": "complete", "note": "x"},
        content_type="application/json",
    )
    assert problem(response)["status"] == 404


def test_the_door_looks_here_first_then_in_the_joint_reviews_it_opens(joint, plan):
    """``door.here_or_through``, the API's one fallback: what is found on the host's own
    partnership is answered there; what is not, in a joint review another partnership leads
    that lets the actor in; what is nowhere, a 404."""
    from django.http import Http404

    from casework import selectors
    from casework.joint import door

    def review_named(reference):
        return lambda actor: (
            selectors.access_review(actor=actor, reference=reference),
            actor.is_joint,
        )

    with inside(joint.lewisham):
        charlie = joint.actor("charlie")
        own = services.thematic_review_commission(
            actor=charlie, title="Lewisham's own review", commissioned_on=today()
        )
        here, through_door = door.here_or_through(
            actor=charlie, purpose="test", work=review_named(own.reference)
        )
        assert (here.uuid, through_door) == (own.uuid, False)
        there, through_door = door.here_or_through(
            actor=charlie, purpose="test", work=review_named(joint.review.reference)
        )
        assert (there.uuid, through_door) == (joint.review.uuid, True)
        with pytest.raises(Http404):
            door.here_or_through(
                actor=charlie, purpose="test", work=review_named("CRO-R-2099-9999")
            )
