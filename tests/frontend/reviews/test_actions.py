"""The action plan on the web and an action's own page: evidence that is not what it claims is
refused, an agency updates only its own actions; and the partnership-wide action tracker, its
filters and counts, in the same queries for 2 actions as for 2,000."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Action, ActionStatus, ActionUpdate
from tests.support.review_pages import (
    PNG,
    bulk_actions,
    client,
    days,
    error_summary,
    htmx,
    recommendation_with_action,
)
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestActions:
    def test_evidence_that_is_not_what_it_claims_is_rejected(self, world, review):
        _, action = recommendation_with_action(world, review)
        response = client(world, "bob").post(
            f"/actions/{action.uuid}/",
            {
                "update-status": "complete",
                "update-note": "Done",
                "update-evidence": SimpleUploadedFile(
                    "proof.pdf", PNG, content_type="application/pdf"
                ),
            },
        )
        summary = error_summary(body(response))
        assert (
            "proof.pdf is not a PDF, Word document or image, or its contents do not match its name."
            in summary
        )
        assert 'href="#id_update-evidence"' in summary
        with inside(world.croydon):
            assert not ActionUpdate.objects.exists()
            assert Action.objects.get(pk=action.pk).status == ActionStatus.NOT_STARTED

    def test_an_agency_updates_only_its_own_actions(self, world, review):
        _, met_action = recommendation_with_action(world, review)
        _, nhs_action = recommendation_with_action(world, review, owner=world.nhs_croydon)
        bob, frank = client(world, "bob"), client(world, "frank")
        assert bob.get(f"/actions/{met_action.uuid}/").status_code == 200
        assert frank.get(f"/actions/{met_action.uuid}/").status_code == 404
        assert (
            frank.post(
                f"/actions/{met_action.uuid}/", {"update-status": "in_progress", "update-note": "x"}
            ).status_code
            == 404
        )
        assert bob.get(f"/actions/{nhs_action.uuid}/").status_code == 404
        tracker = body(bob.get("/actions/"))
        assert str(met_action.uuid) in tracker and str(nhs_action.uuid) not in tracker
        response = bob.post(
            f"/actions/{met_action.uuid}/",
            {"update-status": "in_progress", "update-note": "Started"},
        )
        assert response.status_code == 302
        with inside(world.croydon):
            assert Action.objects.get(pk=met_action.pk).status == ActionStatus.IN_PROGRESS
            assert Action.objects.get(pk=nhs_action.pk).status == ActionStatus.NOT_STARTED


class TestActionTracker:
    def test_filters_and_counts(self, world, review):
        recommendation, action = recommendation_with_action(world, review)
        bulk_actions(world, review, recommendation, 4, owner=world.nhs_croydon, due=days(-3))
        alice = client(world, "alice")
        page = body(alice.get("/actions/"))
        assert "5 actions" in page
        red = page[page.index('data-rag="red"') :]
        assert 'numeric">4</td>' in red[: red.index("</tr>")]
        page = body(htmx(alice, f"/actions/?agency={world.met_croydon.uuid}"))
        assert page.lstrip().startswith('<div id="results">')
        assert "1 action matching" in page and action.description in page
        page = body(alice.get("/actions/?rag=red"))
        assert "4 actions matching" in page and action.description not in page
        page = body(alice.get(f"/actions/?review={review.reference}&status=not_started"))
        assert "5 actions matching" in page
        page = body(alice.get("/actions/?status=complete"))
        assert "No actions match these filters." in page

    def test_the_number_of_queries_does_not_grow_with_the_actions(
        self, world, review, django_assert_max_num_queries
    ):
        recommendation, _ = recommendation_with_action(world, review)
        alice = client(world, "alice")
        alice.get("/actions/")  # warm the session and the caches

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                response = alice.get("/actions/")
            assert response.status_code == 200
            return len(captured)

        bulk_actions(world, review, recommendation, 1)
        with_two = queries()
        bulk_actions(world, review, recommendation, 198)
        with_two_hundred = queries()
        assert with_two == with_two_hundred
        # The measure: 2,000 open actions, in the same number of queries.
        bulk_actions(world, review, recommendation, 1800)
        with django_assert_max_num_queries(with_two):
            response = alice.get("/actions/")
        assert "2,000 actions" in body(response) or "2000 actions" in body(response)
