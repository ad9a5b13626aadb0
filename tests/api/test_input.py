"""Hostile input to the API gets a clear 400 problem+json, never a 500, and nothing half-saved
(issue 10, part 4): JSON nested too deep, lists and texts past their bounds. The OpenAPI
schemas state every bound, and generating them raises no warning."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from api.parsers import MAX_DEPTH
from casework.models import ContributionRequest, Referral
from casework.services import (
    CONTRIBUTION_MAX_LENGTH,
    MAX_AGENCIES_INVOLVED,
    MAX_CHILDREN,
    SUMMARY_MAX_LENGTH,
    ChildInput,
    referral_create,
)
from tenants.agencies.models import AuditEvent, IdempotencyRecord
from tenants.clock import today
from tests.support.actors import actor_of
from tests.support.clients import api_client, issue_key, problem
from tests.support.referral_api import CONTRACT_BODY, CONTRIBUTION, URL, body, child, post
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return '{"summary": ' + "[" * depth + "]" * depth + "}"


def referrals(world) -> int:
    with inside(world.croydon):
        return Referral.objects.count()


def invalid_names(response) -> set[str]:
    answer = problem(response)
    assert answer["status"] == 400
    return {error["name"].split(".")[0] for error in answer.get("errors", [])}


class TestDeepJson:
    @pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 100_000])
    def test_json_nested_too_deep_is_a_400_not_a_500(self, world, met, depth):
        response = post(met, nested(depth), key="deep")
        answer = problem(response)
        assert response.status_code == 400
        assert f"more than {MAX_DEPTH} levels" in answer["detail"]
        assert referrals(world) == 0
        with inside(world.croydon):
            assert not IdempotencyRecord.objects.exists()

    def test_nesting_within_the_limit_reaches_the_serializer(self, world, met):
        response = post(met, nested(MAX_DEPTH - 1))
        assert "summary" in invalid_names(response)

    def test_a_deep_answer_to_an_action_is_refused_the_same_way(self, world, met):
        response = met.post(
            "/api/v1/actions/00000000-0000-4000-8000-000000000000/updates/",
            nested(50_000),
            content_type="application/json",
        )
        assert problem(response)["status"] == 400


class TestBounds:
    def test_more_children_than_the_national_form_takes_is_refused(self, world, frozen_today, met):
        response = post(met, body(children=[child()] * (MAX_CHILDREN + 1)), key="five")
        assert invalid_names(response) == {"children"}
        assert referrals(world) == 0
        assert post(met, body(children=[child()] * MAX_CHILDREN)).status_code == 201

    @pytest.mark.parametrize("agencies", [MAX_AGENCIES_INVOLVED + 1, 100_000])
    def test_more_agencies_than_any_case_involves_is_refused(
        self, world, frozen_today, met, agencies
    ):
        names = [f"Agency {n}" for n in range(agencies)]
        response = post(met, body(agencies_involved=names))
        assert invalid_names(response) == {"agencies_involved"}
        assert referrals(world) == 0
        assert len(response.content) < 10_000

    def test_a_summary_past_its_bound_is_refused(self, world, frozen_today, met):
        response = post(met, body(summary="x" * (SUMMARY_MAX_LENGTH + 1)))
        assert invalid_names(response) == {"summary"}
        assert referrals(world) == 0
        assert post(met, body(summary="x" * SUMMARY_MAX_LENGTH)).status_code == 201

    def test_the_service_holds_the_same_bounds_for_the_web(self, world):
        with inside(world.croydon), pytest.raises(ValidationError) as error:
            referral_create(
                actor=actor_of(world.bob, world.croydon),
                incident_date=today() - datetime.timedelta(days=10),
                aware_date=today() - datetime.timedelta(days=2),
                harm="serious_harm",
                abuse_or_neglect="suspected",
                children=[ChildInput("A", "B", datetime.date(2019, 1, 1), "female")],
                summary="x" * (SUMMARY_MAX_LENGTH + 1),
                agencies_involved=["A"] * (MAX_AGENCIES_INVOLVED + 1),
            )
        assert set(error.value.message_dict) == {"summary", "agencies_involved"}
        assert referrals(world) == 0

    def test_a_contribution_past_its_bound_is_refused_and_not_saved(self, world, rapid_review):
        nhs = api_client(world.croydon, issue_key(world.croydon, world.nhs_croydon))
        path = f"{URL}{rapid_review}/contributions/"
        too_long = {**CONTRIBUTION, "facts": "x" * (CONTRIBUTION_MAX_LENGTH + 1)}
        assert invalid_names(post(nhs, too_long, path=path)) == {"facts"}
        with inside(world.croydon):
            assert ContributionRequest.objects.get().submitted_at is None
            assert not AuditEvent.objects.filter(action="contribution.submitted").exists()

    def test_lewishams_key_still_finds_nothing_on_croydons_host(self, world, frozen_today):
        lewisham = api_client(world.lewisham, issue_key(world.lewisham, world.met_lewisham))
        other = Client(
            HTTP_HOST="croydon.localhost",
            HTTP_AUTHORIZATION=lewisham.defaults["HTTP_AUTHORIZATION"],
        )
        assert problem(post(other, CONTRACT_BODY))["status"] == 401


# --- The schemas ------------------------------------------------------------------------------


def schema_of(host: str) -> dict:
    response = Client(HTTP_HOST=host).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return json.loads(response.content)


def resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def unbounded(schema: dict, node: dict, where: str, seen: set) -> list[str]:
    """Every string without maxLength (or an enum or a fixed format), every array without
    maxItems, under ``node``."""
    if "$ref" in node:
        if node["$ref"] in seen:
            return []
        seen = seen | {node["$ref"]}
    node = resolve(schema, node)
    found = []
    for option in node.get("oneOf", []) + node.get("allOf", []) + node.get("anyOf", []):
        found += unbounded(schema, option, where, seen)
    kind = node.get("type")
    if kind == "string" and not (
        "maxLength" in node
        or "enum" in node
        or node.get("format") in {"date", "date-time", "uuid", "uri"}
    ):
        found.append(f"{where}: string without maxLength")
    if kind == "array":
        if "maxItems" not in node:
            found.append(f"{where}: array without maxItems")
        found += unbounded(schema, node.get("items", {}), f"{where}[]", seen)
    if kind == "integer" and "maximum" not in node and where.startswith("query "):
        found.append(f"{where}: integer without maximum")
    for name, child_node in node.get("properties", {}).items():
        if not child_node.get("readOnly"):
            found += unbounded(schema, child_node, f"{where}.{name}", seen)
    return found


def inputs(schema: dict) -> list[tuple[str, dict]]:
    """Everything a client sends: request bodies and query parameters."""
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    found.append(
                        (f"query {method} {path} {parameter['name']}", parameter["schema"])
                    )
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found.append((f"body {method} {path}", content["schema"]))
    return found


@pytest.mark.parametrize("host", ["croydon.localhost", "localhost"])
def test_every_input_of_the_api_states_its_bound(world, host):
    schema = schema_of(host)
    problems = [
        issue for where, node in inputs(schema) for issue in unbounded(schema, node, where, set())
    ]
    assert problems == []


def test_the_referral_schema_states_the_national_forms_bounds(world):
    schema = schema_of("croydon.localhost")
    body_schema = schema["paths"][URL]["post"]["requestBody"]["content"]["application/json"]
    fields = resolve(schema, body_schema["schema"])["properties"]
    assert (fields["children"]["minItems"], fields["children"]["maxItems"]) == (1, MAX_CHILDREN)
    assert fields["agencies_involved"]["maxItems"] == MAX_AGENCIES_INVOLVED
    assert fields["summary"]["maxLength"] == SUMMARY_MAX_LENGTH


@pytest.mark.parametrize("urlconf", ["safeguard.urls_partnership", "api.urls_library"])
def test_the_schemas_are_generated_without_a_warning(urlconf):
    """drf-spectacular's warnings (clashing component names among them) mean a wrong schema."""
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    warnings = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    GENERATOR_STATS.reset()
    assert warnings == []
