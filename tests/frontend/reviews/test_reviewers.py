"""The overview's reviewers section on the web: a conflicted reviewer blocked until the chair
overrides with a reason, an independent one appointed with htmx, profile errors back to their row,
and only the manager and the chair appointing."""

import datetime

import pytest

from casework.models import ReviewerAppointment
from casework.services import AffiliationInput
from tests.support.review_pages import client, erin_profile, error_summary, htmx
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestAppointment:
    def test_a_conflicted_reviewer_is_blocked_until_the_chair_overrides(self, world, review):
        ref = review.reference
        alice = client(world, "alice")
        page = body(alice.get(f"/case-reviews/{ref}/"))
        assert "Appoint a lead reviewer" in page and "No lead reviewer is appointed yet." in page

        # The business manager records erin's declared affiliations on the web.
        response = alice.post(
            f"/case-reviews/{ref}/reviewers/profile/",
            {
                "profile-reviewer": str(world.erin.uuid),
                "profile-name": "Erin Reviewer",
                "profile-organisation": "Independent",
                "affiliation-1-organisation": "met police",
                "affiliation-1-role": "Detective inspector",
                "affiliation-1-started_on": "2019-04-01",
                "affiliation-1-ended_on": "2023-03-31",
                "affiliation-2-organisation": "Kent County Council",
                "affiliation-2-started_on": "2010-01-01",
                "affiliation-2-ended_on": "2012-01-01",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"/case-reviews/{ref}/?reviewer={world.erin.uuid}#reviewers"

        # The independence result is shown before confirming.
        page = body(alice.get(response["Location"]))
        assert "Erin Reviewer&#x27;s profile is saved." in page
        assert "Not independent" in page
        assert "Erin Reviewer worked for Met Police (2019-04-01 to 2023-03-31), an agency" in page
        assert "Only the chair can appoint them anyway" in page
        assert "appoint-override_reason" not in page  # not the manager's to give

        response = htmx(
            alice, f"/case-reviews/{ref}/reviewers/check/", {"check-reviewer": str(world.erin.uuid)}
        )
        assert response.content.startswith(b'\n<section id="reviewers"')
        assert "Not independent" in body(response)

        response = alice.post(
            f"/case-reviews/{ref}/reviewers/", {"appoint-reviewer": str(world.erin.uuid)}
        )
        summary = error_summary(body(response))
        assert "an agency involved in the case" in summary
        assert "The chair can appoint them anyway with a written reason." in summary
        with inside(world.croydon):
            assert not ReviewerAppointment.objects.exists()
        assert client(world, "erin").get(f"/case-reviews/{ref}/").status_code == 404

        # The chair overrides with a written reason, shown on the review.
        carol = client(world, "carol")
        page = body(carol.get(f"/case-reviews/{ref}/?reviewer={world.erin.uuid}"))
        assert "appoint-override_reason" in page and "Appoint anyway" in page
        response = carol.post(
            f"/case-reviews/{ref}/reviewers/",
            {"appoint-reviewer": str(world.erin.uuid), "appoint-override_reason": ""},
        )
        assert "The chair can appoint them anyway" in error_summary(body(response))
        response = carol.post(
            f"/case-reviews/{ref}/reviewers/",
            {
                "appoint-reviewer": str(world.erin.uuid),
                "appoint-override_reason": "Left four years ago; no contact with the case.",
            },
        )
        assert response.status_code == 302
        page = body(carol.get(response["Location"]))
        assert "Erin Reviewer is appointed." in page
        appointments = page[page.index('id="appointments"') :]
        assert "Conflict overridden" in appointments
        assert "Left four years ago; no contact with the case." in appointments
        with inside(world.croydon):
            appointment = ReviewerAppointment.objects.get()
            assert appointment.override_by == "carol@croydon.example"
        assert client(world, "erin").get(f"/case-reviews/{ref}/").status_code == 200

    def test_an_independent_reviewer_is_appointed_with_htmx(self, world, review):
        erin_profile(world, [AffiliationInput("Kent County Council", datetime.date(2015, 1, 1))])
        alice = client(world, "alice")
        response = htmx(
            alice,
            f"/case-reviews/{review.reference}/reviewers/check/",
            {"check-reviewer": str(world.erin.uuid)},
        )
        assert "Independent" in body(response) and "Appoint the reviewer" in body(response)
        response = htmx(
            alice,
            f"/case-reviews/{review.reference}/reviewers/",
            {"appoint-reviewer": str(world.erin.uuid)},
        )
        assert "Erin Reviewer is appointed." in body(response)
        assert 'id="appointments"' in body(response)

    def test_profile_errors_go_back_to_their_row(self, world, review):
        response = client(world, "alice").post(
            f"/case-reviews/{review.reference}/reviewers/profile/",
            {
                "profile-reviewer": str(world.erin.uuid),
                "profile-name": "Erin",
                "affiliation-2-organisation": "Met Police",
                "affiliation-2-started_on": "2020-01-01",
                "affiliation-2-ended_on": "2019-01-01",
            },
        )
        summary = error_summary(body(response))
        assert 'href="#id_affiliation-2-ended_on"' in summary
        assert "It cannot end before it began." in summary

    def test_only_the_manager_and_chair_appoint(self, world, appointed):
        for who in ("dave", "erin"):
            response = client(world, who).post(
                f"/case-reviews/{appointed.reference}/reviewers/check/",
                {"check-reviewer": str(world.erin.uuid)},
            )
            assert response.status_code == 403
            assert "Appoint a lead reviewer" not in body(
                client(world, who).get(f"/case-reviews/{appointed.reference}/")
            )
