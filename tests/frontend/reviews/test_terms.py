"""The terms of reference tab on the web: written, signed off by the chair (only the version read),
and the review moving on."""

import pytest

from casework import services as review_services
from tests.support.actors import actor
from tests.support.review_pages import client, days, error_summary, htmx, signed_terms
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestTerms:
    def test_terms_are_written_signed_off_and_the_review_moves_on(self, world, appointed):
        ref = appointed.reference
        erin = client(world, "erin")
        response = erin.post(
            f"/case-reviews/{ref}/terms/new/",
            {
                "terms-scope": "The child's last year.",
                "terms-lines_of_enquiry": "Information sharing\n\nRecognising injuries",
                "terms-period_start": days(-400).isoformat(),
                "terms-period_end": days(-10).isoformat(),
            },
        )
        assert response.status_code == 302
        page = body(erin.get(f"/case-reviews/{ref}/terms/"))
        assert "Version 1" in page and "Not signed off" in page and "Recognising injuries" in page
        assert "Sign off this version" not in page  # the chair's
        assert (
            client(world, "alice")
            .post(f"/case-reviews/{ref}/terms/sign-off/", {"sign-terms-version": "1"})
            .status_code
            == 403
        )

        carol = client(world, "carol")
        response = htmx(carol, f"/case-reviews/{ref}/terms/sign-off/", {"sign-terms-version": "1"})
        assert "The terms of reference are signed off." in body(response)
        assert "Signed off" in body(response)

        response = htmx(
            client(world, "alice"), f"/case-reviews/{ref}/stage/", {"stage-to_stage": "tor_agreed"}
        )
        assert "The review has moved to terms of reference agreed." in body(response)
        assert 'id="review-stage" hx-swap-oob="true"' in body(response)

    def test_signing_off_a_version_not_read(self, world, review):
        signed_terms(world, review)
        with inside(world.croydon):
            review_services.terms_write(
                actor=actor(world, "alice"),
                review=review,
                scope="Wider",
                lines_of_enquiry="More",
                period_start=days(-500),
                period_end=days(-10),
            )
        response = client(world, "carol").post(
            f"/case-reviews/{review.reference}/terms/sign-off/", {"sign-terms-version": "1"}
        )
        assert "A newer version has been written" in error_summary(body(response))


def test_a_new_version_starts_from_the_latest(world, appointed):
    """The "new version" form holds the latest version's scope, lines of enquiry and period,
    on the tab and after a version is saved with htmx."""
    ref = appointed.reference
    erin = client(world, "erin")
    data = {
        "terms-scope": "The child's last year.",
        "terms-lines_of_enquiry": "Information sharing\nRecognising injuries",
        "terms-period_start": days(-400).isoformat(),
        "terms-period_end": days(-10).isoformat(),
    }
    for page in (
        body(htmx(erin, f"/case-reviews/{ref}/terms/new/", data)),
        body(erin.get(f"/case-reviews/{ref}/terms/")),
    ):
        form = page[page.index('name="terms-scope"') - 200 :]
        assert "The child&#x27;s last year.</textarea>" in form
        assert "Information sharing\nRecognising injuries</textarea>" in form
        assert f'value="{days(-400).isoformat()}"' in form
