"""The chair's sign-off of the report, on a review's overview."""

import pytest

from casework import services as review_services
from tenants.files import UploadedFile
from tests.support.actors import actor
from tests.support.review_pages import PDF, client, error_summary, htmx, recommendation_with_action
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestSignOff:
    def test_the_chair_signs_the_report_off(self, world, appointed):
        ref = appointed.reference
        carol = client(world, "carol")
        response = htmx(carol, f"/case-reviews/{ref}/sign-off/", {})
        summary = error_summary(body(response))
        assert (
            "Record at least one recommendation." in summary
            and "Upload the draft report." in summary
        )
        recommendation_with_action(world, appointed)
        with inside(world.croydon):
            review_services.review_document_upload(
                actor=actor(world, "alice"),
                review=appointed,
                title="Report",
                kind="draft_report",
                upload=UploadedFile("r.pdf", PDF),
            )
        response = htmx(carol, f"/case-reviews/{ref}/sign-off/", {})
        assert "You have signed the report off." in body(response)
        assert client(world, "alice").post(f"/case-reviews/{ref}/sign-off/", {}).status_code == 403
