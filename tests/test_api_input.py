"""Hostile input to the API gets a clear 400 problem+json, never a 500, and nothing half-saved
(issue 10, part 4): JSON nested too deep, lists and texts past their bounds. The OpenAPI
schemas state every bound, and generating them raises no warning."""

import pytest

from api.parsers import MAX_DEPTH
from casework.models import Referral
from tenants.workspace.models import IdempotencyRecord
from tests.conftest import inside, problem
from tests.test_api_referrals import (  # noqa: F401 - fixtures
    CONTRACT_BODY,
    CONTRIBUTION,
    URL,
    body,
    child,
    frozen_today,
    met,
    post,
    rapid_review,
)

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
