"""A review's overview on the web: a move to the next stage without its prerequisites names what is
missing."""

import pytest

from casework.models import Review
from tests.support.review_pages import client, error_summary, htmx
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestStages:
    def test_a_move_without_its_prerequisites_names_what_is_missing(self, world, review):
        alice = client(world, "alice")
        response = alice.post(
            f"/case-reviews/{review.reference}/stage/", {"stage-to_stage": "tor_agreed"}
        )
        summary = error_summary(body(response))
        assert "Appoint a lead reviewer." in summary
        assert "The terms of reference have not been signed off." in summary
        assert 'href="#button-stage"' in summary
        assert body(response).startswith("<!DOCTYPE html>")
        response = htmx(
            alice, f"/case-reviews/{review.reference}/stage/", {"stage-to_stage": "tor_agreed"}
        )
        assert "Appoint a lead reviewer." in error_summary(body(response))
        with inside(world.croydon):
            assert Review.objects.get(pk=review.pk).stage == "commissioned"
