"""The findings and recommendations tab on the web: findings with their evidence, recommendations,
and an action taken through to verification."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Action, ActionStatus, ActionUpdate, Finding, Recommendation
from tenants.agencies.models import AuditEvent
from tests.support.review_pages import PDF, add_entry, client, days, error_summary, htmx
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestFindings:
    def test_findings_recommendations_and_an_action_to_verification(self, world, appointed):
        ref = appointed.reference
        key = add_entry(world, appointed, "Bruise seen at nursery", key=True)
        erin = client(world, "erin")
        response = htmx(
            erin,
            f"/case-reviews/{ref}/findings/new/",
            {
                "finding-text": "Bruising was not shared with children's social care.",
                "finding-evidence": [str(key.uuid)],
            },
        )
        assert "The finding is added." in body(response)
        assert 'aria-labelledby="recommendations-title" hx-swap-oob="true"' in body(response)
        with inside(world.croydon):
            finding = Finding.objects.get()
            assert list(finding.evidence.all()) == [key]
        response = erin.post(
            f"/case-reviews/{ref}/recommendations/new/",
            {
                "recommendation-text": "Agencies share every injury seen on a child under 2.",
                "recommendation-agencies": [str(world.met_croydon.uuid)],
                "recommendation-findings": ["1"],
            },
        )
        assert response.status_code == 302
        page = body(erin.get(f"/case-reviews/{ref}/findings/"))
        assert (
            "Recommendation 1" in page and "Met Police" in page and "Bruise seen at nursery" in page
        )
        with inside(world.croydon):
            recommendation = Recommendation.objects.get()
            assert list(recommendation.findings.all()) == [finding]

        alice = client(world, "alice")
        response = htmx(
            alice,
            f"/case-reviews/{ref}/actions/new/",
            {
                "action-recommendation": str(recommendation.uuid),
                "action-description": "Train nursery staff in the injury protocol",
                "action-owner": str(world.met_croydon.uuid),
                "action-due": days(90).isoformat(),
            },
        )
        assert "The action is added." in body(response)
        with inside(world.croydon):
            action = Action.objects.get()
        assert "Not started" in body(response) and "RAG: </span>Green" in body(response)

        # The owner (bob, Met Police) posts progress with evidence; the review group verifies.
        bob = client(world, "bob")
        assert action.description in body(bob.get("/actions/"))
        response = bob.post(
            f"/actions/{action.uuid}/",
            {
                "update-status": "complete",
                "update-note": "Every member of staff trained.",
                "update-evidence": SimpleUploadedFile(
                    "register.pdf", PDF, content_type="application/pdf"
                ),
            },
        )
        assert response.status_code == 302
        page = body(bob.get(f"/actions/{action.uuid}/"))
        assert "Your update is saved." in page and "Evidence: register.pdf" in page
        assert "Verify the action" not in page
        with inside(world.croydon):
            update = ActionUpdate.objects.get()
        download = bob.get(f"/actions/{action.uuid}/updates/{update.uuid}/evidence/")
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert download["Cache-Control"] == "private, no-store"
        assert "/media/" not in page
        assert (
            client(world, "frank")
            .get(f"/actions/{action.uuid}/updates/{update.uuid}/evidence/")
            .status_code
            == 404
        )

        assert bob.post(f"/actions/{action.uuid}/verify/", {}).status_code == 403
        dave = client(world, "dave")
        assert "Verify the action" in body(dave.get(f"/actions/{action.uuid}/"))
        response = dave.post(f"/actions/{action.uuid}/verify/", {})
        assert response.status_code == 302
        page = body(dave.get(response["Location"]))
        assert "The action is verified and closed." in page and "by dave@croydon.example on" in page

        # Editing a verified action is refused, with the reason.
        page = body(bob.get(f"/actions/{action.uuid}/"))
        assert "This action has been verified by the review group and is closed." in page
        assert "Send the update" not in page
        response = bob.post(
            f"/actions/{action.uuid}/", {"update-status": "in_progress", "update-note": "Reopen"}
        )
        assert "This action has been verified by the review group and is closed." in error_summary(
            body(response)
        )
        with inside(world.croydon):
            assert Action.objects.get(pk=action.pk).status == ActionStatus.VERIFIED
            assert ActionUpdate.objects.count() == 1
            assert AuditEvent.objects.filter(action="evidence.downloaded").count() == 1
