"""The list of reviews on the web: the workspace's own address (the old ones moved there), who
lists which reviews, open actions counted, and the chair or manager commissioning a thematic
review."""

import pytest

from casework.models import Review
from tenants.clock import today
from tests.support.clients import api_client
from tests.support.review_pages import client, error_summary, recommendation_with_action
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestReviewList:
    def test_the_workspace_has_its_own_address_and_the_old_ones_move_there(self, world, review):
        """The review workspace moved from /reviews/ to /case-reviews/ so that /reviews/ is only
        the public area: each old address redirects permanently to the same page, with its query
        string; a signed-in person's /reviews/ sends them on to their list."""
        alice = client(world, "alice")
        ref = review.reference
        for old, new in (
            (f"/reviews/{ref}/", f"/case-reviews/{ref}/"),
            (f"/reviews/{ref}/terms/", f"/case-reviews/{ref}/terms/"),
            (f"/reviews/{ref}/chronology/?page=2", f"/case-reviews/{ref}/chronology/?page=2"),
            (f"/reviews/{ref}/chronology.csv", f"/case-reviews/{ref}/chronology.csv"),
        ):
            response = alice.get(old)
            assert (response.status_code, response["Location"]) == (301, new)
        assert alice.get(f"/case-reviews/{ref}/").status_code == 200
        response = alice.get("/reviews/")
        assert (response.status_code, response["Location"]) == (302, "/case-reviews/")
        assert ref in body(alice.get("/case-reviews/"))
        # The public area keeps /reviews/: signed out, it lists the published reviews.
        assert api_client(world.croydon, None).get("/reviews/").status_code == 200

    def test_the_review_group_sees_every_review_and_a_reviewer_their_own(self, world, review):
        for who in ("alice", "carol", "dave"):
            page = body(client(world, who).get("/case-reviews/"))
            assert review.reference in page and "Commissioned" in page
        assert review.reference not in body(client(world, "erin").get("/case-reviews/"))
        for who in ("bob", "frank"):
            assert client(world, who).get("/case-reviews/").status_code == 403

    def test_a_reviewer_lists_the_review_once_appointed(self, world, appointed):
        page = body(client(world, "erin").get("/case-reviews/"))
        assert appointed.reference in page
        assert appointed.reference in body(client(world, "erin").get("/dashboard/"))

    def test_open_actions_are_counted(self, world, review):
        recommendation_with_action(world, review)
        page = body(client(world, "alice").get("/case-reviews/"))
        row = page[page.index(f">{review.reference}</a>") :]
        assert 'govuk-table__cell--numeric">1</td>' in row[: row.index("</tr>")]

    def test_the_chair_commissions_a_thematic_review(self, world, review):
        with inside(world.croydon):
            referral = review.referral
        carol = client(world, "carol")
        response = carol.post(
            "/case-reviews/",
            {
                "commission-review_type": "thematic",
                "commission-title": "Vulnerable Adolescents Thematic Review 2026",
                "commission-commissioned_on": today().isoformat(),
                "commission-referrals": [referral.reference],
                "commission-agencies": [str(world.met_croydon.uuid)],
            },
        )
        assert response.status_code == 302, body(response)
        with inside(world.croydon):
            thematic = Review.objects.get(review_type="thematic")
            assert response["Location"] == f"/case-reviews/{thematic.reference}/"
            assert list(thematic.related_referrals.all()) == [referral]
        page = body(carol.get(response["Location"]))
        assert "Vulnerable Adolescents Thematic Review 2026" in page
        assert referral.reference in page

    def test_commissioning_needs_a_title_and_the_chair_or_manager(self, world):
        response = client(world, "alice").post(
            "/case-reviews/",
            {
                "commission-review_type": "thematic",
                "commission-commissioned_on": today().isoformat(),
            },
        )
        assert "Give the review a title." in error_summary(body(response))
        assert (
            client(world, "dave").post("/case-reviews/", {"commission-title": "x"}).status_code
            == 403
        )
        with inside(world.croydon):
            assert not Review.objects.exists()
