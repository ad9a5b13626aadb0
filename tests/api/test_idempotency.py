"""Idempotency-Key on the agency API: a retry gets the first answer and creates nothing, keys
are forgotten after a day, another body with the same key is a 422, racing requests make one
referral, and every POST of the API honours it."""

import datetime
import json

import pytest
from django.utils import timezone

import api.idempotency
import api.referrals
from api.urls import urlpatterns
from tenants.agencies.models import AuditEvent, IdempotencyRecord
from tenants.agencies.services import idempotency_records_purge
from tests.support.clients import api_client, issue_key, problem
from tests.support.referral_api import CONTRACT_BODY, URL, body, counts, post
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def test_a_retry_with_the_same_key_gets_the_first_answer_and_creates_nothing(
    world, frozen_today, met
):
    first = post(met, CONTRACT_BODY, key="9b1f6a52-retry")
    assert first.status_code == 201
    after_first = counts(world.croydon)
    # Same request resent, its keys in another order and spaced differently.
    resent = json.dumps(dict(reversed(list(CONTRACT_BODY.items()))), indent=2)
    again = post(met, resent, key="9b1f6a52-retry")
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert counts(world.croydon) == after_first
    with inside(world.croydon):
        record = IdempotencyRecord.objects.get()
        assert (record.key, record.method, record.path) == ("9b1f6a52-retry", "POST", URL)
        assert record.response_status == 201 and len(record.body_sha256) == 64
        assert AuditEvent.objects.filter(action="request.replayed").count() == 1


def test_keys_are_forgotten_after_a_day_and_the_purge_is_safe_to_run_twice(
    world, frozen_today, met
):
    assert post(met, CONTRACT_BODY, key="k-old").status_code == 201
    assert post(met, CONTRACT_BODY, key="k-new").status_code == 201
    with inside(world.croydon):
        IdempotencyRecord.objects.filter(key="k-old").update(
            created_at=timezone.now() - datetime.timedelta(hours=25)
        )
        assert idempotency_records_purge() == 1
        assert idempotency_records_purge() == 0
        assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["k-new"]
    # A forgotten key is a new request again.
    assert post(met, CONTRACT_BODY, key="k-old").status_code == 201
    assert counts(world.croydon)[0] == 3


def test_the_same_key_with_another_body_is_a_422(world, frozen_today, met):
    assert post(met, CONTRACT_BODY, key="k-1").status_code == 201
    before = counts(world.croydon)
    answer = problem(post(met, body(summary="Something else."), key="k-1"))
    assert answer["status"] == 422
    assert "Idempotency-Key" in answer["detail"]
    assert counts(world.croydon) == before


def test_without_a_key_each_post_is_a_new_referral(world, frozen_today, met):
    first = post(met, CONTRACT_BODY).json()["reference"]
    second = post(met, CONTRACT_BODY).json()["reference"]
    assert first != second
    assert counts(world.croydon)[4] == 0


def test_a_failed_request_is_not_remembered_and_can_be_resent_put_right(world, frozen_today, met):
    assert post(met, body(children=[]), key="k-2").status_code == 400
    assert counts(world.croydon)[4] == 0
    response = post(met, CONTRACT_BODY, key="k-2")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response


def test_the_record_and_the_referral_commit_together(world, frozen_today, met, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(api.idempotency, "idempotency_record_create", broken)
    before = counts(world.croydon)
    met.raise_request_exception = False
    response = post(met, CONTRACT_BODY, key="k-3")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert counts(world.croydon) == before


def test_two_racing_requests_with_one_key_make_one_referral(world, frozen_today, met, monkeypatch):
    """The race, step by step: both requests look the key up before either has committed; the
    first commits; the second's record then collides with the first's on the unique
    constraint, its referral is rolled back, and it answers with the first's answer."""
    first = post(met, CONTRACT_BODY, key="k-race")
    before = counts(world.croydon)
    real_find = api.idempotency.idempotency_record_find
    looked = []

    def find_before_the_first_committed(**kwargs):
        looked.append(kwargs)
        return None if len(looked) == 1 else real_find(**kwargs)

    monkeypatch.setattr(api.idempotency, "idempotency_record_find", find_before_the_first_committed)
    second = post(met, CONTRACT_BODY, key="k-race")
    assert len(looked) == 2  # it looked again after the collision
    assert (second.status_code, second.content) == (201, first.content)
    assert counts(world.croydon) == before


def test_keys_are_per_api_key(world, frozen_today, met):
    other_system = api_client(world.croydon, issue_key(world.croydon, world.met_croydon))
    first = post(met, CONTRACT_BODY, key="shared").json()["reference"]
    second = post(other_system, CONTRACT_BODY, key="shared").json()["reference"]
    assert first != second


@pytest.mark.parametrize("key", ["x" * 256, "", "naïve-key"])
def test_a_key_too_long_or_unreadable_is_a_400(world, frozen_today, met, key):
    before = counts(world.croydon)
    answer = problem(post(met, CONTRACT_BODY, key=key))
    assert answer["status"] == 400
    assert [error["name"] for error in answer["errors"]] == ["Idempotency-Key"]
    assert counts(world.croydon) == before


def test_a_key_of_255_characters_is_fine(world, frozen_today, met):
    assert post(met, CONTRACT_BODY, key="k" * 255).status_code == 201


def test_every_post_of_the_api_honours_idempotency_key():
    posts = [
        pattern.callback.cls
        for pattern in urlpatterns
        if hasattr(getattr(pattern.callback, "cls", None), "post")
    ]
    assert len(posts) >= 2
    for view in posts:
        assert getattr(view.post, "idempotent", False), view.__name__
