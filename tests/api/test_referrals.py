"""The agency API for referrals (DESIGN §4): the contract's body and answer, the clocks across
bank holidays, bad input, reading and isolation, contributions, the audit trail, the schema."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casework.models import ContributionRequest, Referral
from casework.services import ChildInput, referral_create
from tenants.agencies.models import AuditEvent, IdempotencyRecord
from tests.support.actors import actor_of
from tests.support.clients import api_client, issue_key, problem, replay_on, signed_in_client
from tests.support.isolation import assert_api_isolated
from tests.support.referral_api import (
    CONTRACT_BODY,
    CONTRACT_CLOCK,
    CONTRIBUTION,
    URL,
    body,
    child,
    counts,
    post,
)
from tests.support.world import inside

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_contract_body_gets_the_contract_answer(world, frozen_today, met):
    response = post(met, CONTRACT_BODY)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert re.fullmatch(r"CRO-2026-\d{4}", answer["reference"])
    assert answer["status"] == "received"
    [clock] = answer["clocks"]
    assert {name: clock[name] for name in CONTRACT_CLOCK} == CONTRACT_CLOCK
    assert "Working Together" in clock["source"]
    assert clock["days_left"] == 4 and clock["due_soon"] is False and clock["stopped_on"] is None
    assert answer["url"] == f"http://croydon.localhost/api/v1/referrals/{answer['reference']}/"
    with inside(world.croydon):
        referral = Referral.objects.get(reference=answer["reference"])
        assert referral.referring_agency == world.met_croydon
        assert referral.children.get().date_of_birth == D(2026, 6, 1)
        assert set(referral.agencies_involved.values_list("name", flat=True)) == {
            "Met Police",
            "NHS Croydon Health Services",
        }
        event = AuditEvent.objects.get(action="referral.created", object_ref=referral.reference)
    assert event.actor_type == "api_key" and event.host == "croydon.localhost"


@pytest.mark.parametrize(
    ("aware", "today", "due", "why"),
    [
        # Christmas Day (Fri) and Boxing Day's substitute (Mon 28th) are not working days.
        ("2026-12-18", D(2026, 12, 21), "2026-12-29", "Christmas 2026, substitute Boxing Day"),
        ("2025-12-19", D(2025, 12, 22), "2025-12-30", "Christmas 2025 (Thu, Fri)"),
        ("2026-12-23", D(2026, 12, 24), "2027-01-04", "Christmas 2026 and New Year's Day 2027"),
        # Good Friday 3 April and Easter Monday 6 April 2026.
        ("2026-04-01", D(2026, 4, 2), "2026-04-10", "Easter 2026"),
    ],
)
def test_the_clock_skips_bank_holidays(world, frozen_today, met, aware, today, due, why):
    frozen_today(today)
    incident = (D.fromisoformat(aware) - datetime.timedelta(days=1)).isoformat()
    response = post(
        met,
        body(
            incident_date=incident, aware_date=aware, children=[child(date_of_birth="2025-06-01")]
        ),
    )
    assert response.status_code == 201, response.content
    [clock] = response.json()["clocks"]
    assert (clock["counted_from"], clock["due"], clock["state"]) == (aware, due, "running"), why
    assert response.json()["reference"].startswith(f"CRO-{today.year}-")


def test_a_historic_referral_runs_the_2015_clock(world, frozen_today, met):
    # The 2015 rules are those of a 2016 awareness date (tests/api/test_referral_steps.py).
    response = post(
        met,
        body(
            regime="scr2015",
            incident_date="2016-01-20",
            aware_date="2016-01-25",
            children=[child(date_of_birth="2013-02-01")],
        ),
    )
    assert response.status_code == 201, response.content
    [clock] = response.json()["clocks"]
    assert clock["name"] == "ofsted_notification"
    assert clock["source"] == "Working Together to Safeguard Children 2015, ch. 4"
    assert response.json()["regime"] == "scr2015"


def test_a_clock_past_its_due_date_is_overdue(world, frozen_today, met):
    frozen_today(D(2026, 11, 12))
    [clock] = post(met, CONTRACT_BODY).json()["clocks"]
    assert (clock["state"], clock["days_left"]) == ("overdue", -3)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"aware_date": "2026-10-29"}, {"aware_date"}),
        (
            {"incident_date": "2026-11-04", "aware_date": "2026-11-05"},
            {"incident_date", "aware_date"},
        ),
        ({"children": []}, {"children"}),
        ({"children": [child(date_of_birth="2026-10-31")]}, {"children.0.date_of_birth"}),
        ({"children": [child(date_of_birth="2026-11-04")]}, {"children.0.date_of_birth"}),
        ({"children": [child()] * 5}, {"children"}),
        # Everything the service finds wrong, in one answer.
        (
            {
                "harm": "bruised",
                "abuse_or_neglect": "maybe",
                "summary": "  ",
                "aware_date": "2026-10-01",
                "circumstances": ["alien_abduction"],
                "regime": "wt1999",
                "children": [child(), child(given_name="", sex="x", date_of_birth="2026-11-01")],
            },
            {
                "harm",
                "abuse_or_neglect",
                "summary",
                "aware_date",
                "circumstances",
                "regime",
                "children.1.given_name",
                "children.1.sex",
                "children.1.date_of_birth",
            },
        ),
        # What cannot be parsed is named by the serializer.
        (
            {"incident_date": "30/10/2026", "children": [child(date_of_birth="soon")]},
            {"incident_date", "children.0.date_of_birth"},
        ),
        ({"children": [child(looked_after="perhaps")]}, {"children.0.looked_after"}),
        ({"harm": 3, "children": "Amara"}, {"harm", "children"}),
        ({"children": [child(given_name="x" * 101)]}, {"children.0.given_name"}),
    ],
)
def test_bad_input_is_a_400_naming_each_field_and_saves_nothing(
    world, frozen_today, met, changes, fields
):
    before = counts(world.croydon)
    response = post(met, body(**changes), key="a-failed-request")
    answer = problem(response)
    assert answer["status"] == 400
    assert {error["name"] for error in answer["errors"]} == fields
    for field in fields:
        assert field in answer["detail"]
    assert counts(world.croydon) == before


def test_missing_fields_are_each_named(world, frozen_today, met):
    answer = problem(post(met, {"summary": "Only this."}))
    assert {error["name"] for error in answer["errors"]} == {
        "incident_date",
        "aware_date",
        "harm",
        "abuse_or_neglect",
        "children",
    }


@pytest.mark.parametrize("payload", ['{"harm": "died",', "[1, 2]", "null", "not json"])
def test_malformed_json_is_a_400_and_saves_nothing(world, frozen_today, met, payload):
    before = counts(world.croydon)
    response = post(met, payload, key="malformed")
    assert problem(response)["status"] == 400
    assert counts(world.croydon) == before


def test_a_child_named_in_a_bad_request_is_not_echoed_back(world, frozen_today, met):
    response = post(met, body(children=[child(given_name="Amara", date_of_birth="2026-11-01")]))
    assert response.status_code == 400
    assert "Amara" not in response.content.decode()


def test_a_referral_made_through_the_api_is_listed_for_its_agency_only(world, frozen_today, met):
    reference = post(met, CONTRACT_BODY).json()["reference"]
    listed = met.get(URL).json()
    assert listed["count"] == 1 and listed["next"] is None
    [item] = listed["results"]
    assert item["reference"] == reference and item["status"] == "received"
    assert item["clocks"][0]["due"] == "2026-11-09"

    nhs = api_client(world.croydon, issue_key(world.croydon, world.nhs_croydon))
    assert nhs.get(URL).json()["count"] == 0
    assert problem(nhs.get(f"{URL}{reference}/"))["status"] == 404

    lewisham = api_client(world.lewisham, issue_key(world.lewisham, world.met_lewisham))
    assert lewisham.get(URL).json()["count"] == 0
    with inside(world.croydon):
        assert AuditEvent.objects.filter(action="referrals.listed").count() == 2


def test_a_referral_made_through_the_api_reaches_the_right_web_triage_list_only(
    world, frozen_today, met
):
    reference = post(met, CONTRACT_BODY).json()["reference"]
    croydon = signed_in_client(world.alice, world.croydon).get("/referrals/")
    assert croydon.status_code == 200 and reference in croydon.content.decode()
    lewisham = signed_in_client(world.charlie, world.lewisham).get("/referrals/")
    assert lewisham.status_code == 200 and reference not in lewisham.content.decode()
    replayed = replay_on(signed_in_client(world.charlie, world.lewisham), world.croydon)
    assert replayed.get("/referrals/").status_code == 404


def test_the_list_filters_by_status(world, frozen_today, met):
    post(met, CONTRACT_BODY)
    assert met.get(URL, {"status": "received"}).json()["count"] == 1
    assert met.get(URL, {"status": "decided"}).json()["count"] == 0
    answer = problem(met.get(URL, {"status": "lost"}))
    assert [error["name"] for error in answer["errors"]] == ["status"]


def test_the_list_is_paginated(world, frozen_today, met):
    for _ in range(3):
        post(met, CONTRACT_BODY)
    page = met.get(URL, {"page": 1}).json()
    assert (page["count"], len(page["results"]), page["next"]) == (3, 3, None)
    assert problem(met.get(URL, {"page": 9}))["status"] == 404


def test_one_referral_with_its_clocks(world, frozen_today, met):
    reference = post(met, body(agencies_involved=["Met Police", "St Mary's School"])).json()[
        "reference"
    ]
    response = met.get(f"{URL}{reference.lower()}/")
    assert response.status_code == 200
    answer = response.json()
    assert answer["reference"] == reference and answer["status"] == "received"
    assert answer["children"] == 1
    assert answer["decision"] is None
    assert answer["agencies_involved"] == ["Met Police", "St Mary's School"]
    assert {name: answer["clocks"][0][name] for name in CONTRACT_CLOCK} == CONTRACT_CLOCK
    assert "…" not in json.dumps(answer["children"])  # a count, never the children's names
    with inside(world.croydon):
        assert AuditEvent.objects.filter(action="referral.viewed", object_ref=reference).exists()


def test_an_unknown_reference_is_a_404_problem(world, frozen_today, met):
    assert problem(met.get(f"{URL}CRO-2026-9999/"))["status"] == 404


def test_another_partnerships_key_never_sees_the_referral(world, frozen_today, met):
    reference = post(met, CONTRACT_BODY).json()["reference"]
    assert_api_isolated(
        path=f"{URL}{reference}/",
        owner=world.croydon,
        outsider_partnership=world.lewisham,
        outsider_key=issue_key(world.lewisham, world.met_lewisham),
        markers=["What happened, in the referrer", "panel_notification"],
    )


def test_without_a_key_nothing_is_answered(world, frozen_today):
    anonymous = api_client(world.croydon, None)
    assert problem(anonymous.get(URL))["status"] == 401
    assert problem(post(anonymous, CONTRACT_BODY))["status"] == 401
    assert counts(world.croydon)[0] == 0


def test_the_list_costs_the_same_queries_for_3_or_33_referrals(
    world, frozen_today, met, django_assert_max_num_queries
):
    bob = actor_of(world.bob, world.croydon)

    def refer(n):
        with inside(world.croydon):
            for _ in range(n):
                referral_create(
                    actor=bob,
                    incident_date=D(2026, 10, 30),
                    aware_date=D(2026, 11, 2),
                    harm="serious_harm",
                    abuse_or_neglect="suspected",
                    children=[ChildInput("A", "B", D(2026, 6, 1), "female")],
                    summary="Found with injuries at home.",
                )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert met.get(URL).status_code == 200
        return len(captured)

    refer(3)
    few = queries()
    refer(30)
    with django_assert_max_num_queries(few):
        assert met.get(URL).json()["count"] == 33


def test_the_agency_asked_contributes(world, rapid_review):
    nhs = api_client(world.croydon, issue_key(world.croydon, world.nhs_croydon))
    path = f"{URL}{rapid_review}/contributions/"
    response = post(nhs, CONTRIBUTION, path=path, key="c-1")
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["reference"] == rapid_review
    assert answer["agency"] == "NHS Croydon Health Services"
    assert answer["status"] == "submitted" and answer["submitted_at"]
    assert post(nhs, CONTRIBUTION, path=path, key="c-1").content == response.content
    amended = post(nhs, {**CONTRIBUTION, "facts": "Corrected."}, path=path, key="c-2")
    assert amended.status_code == 200
    with inside(world.croydon):
        request = ContributionRequest.objects.get()
        assert request.facts == "Corrected."
        assert AuditEvent.objects.filter(action="contribution.submitted").count() == 1
        assert AuditEvent.objects.filter(action="contribution.changed").count() == 1


def test_an_agency_not_asked_gets_a_404(world, rapid_review, met):
    path = f"{URL}{rapid_review}/contributions/"
    assert problem(post(met, CONTRIBUTION, path=path, key="c-3"))["status"] == 404
    lewisham = api_client(world.lewisham, issue_key(world.lewisham, world.met_lewisham))
    assert problem(post(lewisham, CONTRIBUTION, path=path))["status"] == 404
    with inside(world.croydon):
        assert ContributionRequest.objects.get().submitted_at is None
        assert not IdempotencyRecord.objects.exists()


def test_a_contribution_needs_its_facts_and_involvement(world, rapid_review):
    nhs = api_client(world.croydon, issue_key(world.croydon, world.nhs_croydon))
    path = f"{URL}{rapid_review}/contributions/"
    answer = problem(post(nhs, {"facts": " ", "involvement": ""}, path=path))
    assert {error["name"] for error in answer["errors"]} == {"facts", "involvement"}


def test_one_key_for_two_different_requests_is_a_422(world, rapid_review):
    nhs = api_client(world.croydon, issue_key(world.croydon, world.nhs_croydon))
    path = f"{URL}{rapid_review}/contributions/"
    assert post(nhs, CONTRIBUTION, path=path, key="same").status_code == 201
    assert problem(post(nhs, CONTRACT_BODY, key="same"))["status"] == 422


def test_every_endpoint_is_in_the_schema_with_its_examples(world):
    response = Client(HTTP_HOST="croydon.localhost").get(
        "/api/v1/schema/", HTTP_ACCEPT="application/json"
    )
    paths = json.loads(response.content)["paths"]
    referrals = paths["/api/v1/referrals/"]
    assert {"get", "post"} <= referrals.keys()
    assert "get" in paths["/api/v1/referrals/{reference}/"]
    contributions = paths["/api/v1/referrals/{reference}/contributions/"]["post"]
    create = referrals["post"]
    example = create["requestBody"]["content"]["application/json"]["examples"]
    assert next(iter(example.values()))["value"] == CONTRACT_BODY
    answer = next(iter(create["responses"]["201"]["content"]["application/json"]["examples"]))
    answer = create["responses"]["201"]["content"]["application/json"]["examples"][answer]
    assert answer["value"]["clocks"][0] | CONTRACT_CLOCK == answer["value"]["clocks"][0]
    for operation in (create, contributions):
        assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]]
        assert "application/problem+json" in operation["responses"]["422"]["content"]
        assert "application/problem+json" in operation["responses"]["400"]["content"]
    assert (
        "application/problem+json"
        in paths["/api/v1/referrals/{reference}/"]["get"]["responses"]["404"]["content"]
    )
