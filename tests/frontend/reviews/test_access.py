"""Who sees a review on the web: every tab for the review group and the appointed reviewer only,
the other pages of a review 404 for anyone else, an appointment that begins later shows
nothing yet, the navigation; and Lewisham never reaches Croydon's reviews, by any tab, page,
session, host or signed out."""

import pytest

from casework import services as review_services
from casework.models import ChronologyEntry
from tenants.models import Role
from tests.support.actors import actor
from tests.support.clients import api_client, replay_on, signed_in_client
from tests.support.isolation import assert_row_only_in, assert_web_isolated
from tests.support.review_pages import (
    TABS,
    TITLE_MARKER,
    add_entry,
    client,
    days,
    erin_profile,
    recommendation_with_action,
)
from tests.support.world import inside, make_member

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


class TestWhoSeesAReview:
    @pytest.mark.parametrize("tab", TABS)
    def test_every_tab_for_the_review_group_and_the_appointed_reviewer_only(
        self, world, appointed, tab
    ):
        path = f"/case-reviews/{appointed.reference}/{tab}"
        for who in ("alice", "carol", "dave", "erin"):
            response = client(world, who).get(path)
            assert response.status_code == 200, (who, path)
            assert f"Review {appointed.reference}" in body(response)
            assert 'aria-current="page"' in body(response)
        other = make_member(world.croydon, "olga@reviews.example", Role.LEAD_REVIEWER)
        for user in (other, world.bob, world.frank):
            response = signed_in_client(user, world.croydon).get(path)
            assert response.status_code == 404, (user, path)
            assert appointed.reference not in body(response)

    def test_the_other_pages_of_a_review_are_404_for_those_who_cannot_open_it(
        self, world, appointed
    ):
        entry = add_entry(world, appointed)
        ref = appointed.reference
        other = make_member(world.croydon, "olga@reviews.example", Role.LEAD_REVIEWER)
        paths = [
            f"/case-reviews/{ref}/chronology.csv",
            f"/case-reviews/{ref}/chronology/print/",
            f"/case-reviews/{ref}/chronology/{entry.uuid}/",
        ]
        for path in paths:
            assert client(world, "erin").get(path).status_code == 200, path
            for user in (other, world.bob, world.frank):
                assert signed_in_client(user, world.croydon).get(path).status_code == 404, (
                    user,
                    path,
                )
        for user in (other, world.bob):
            response = signed_in_client(user, world.croydon).post(
                f"/case-reviews/{ref}/chronology/entries/", {"entry-what_happened": "x"}
            )
            assert response.status_code == 404
        with inside(world.croydon):
            assert ChronologyEntry.objects.count() == 1

    def test_an_appointment_that_begins_later_shows_nothing_yet(self, world, review):
        profile = erin_profile(world)
        with inside(world.croydon):
            review_services.reviewer_appoint(
                actor=actor(world, "alice"), review=review, profile=profile, appointed_on=days(7)
            )
        assert client(world, "erin").get(f"/case-reviews/{review.reference}/").status_code == 404

    def test_the_navigation_offers_reviews_and_actions_to_the_right_roles(self, world):
        def nav(who):
            page = body(client(world, who).get("/dashboard/"))
            menu = page[page.index('aria-label="Menu"') : page.index("</nav>")]
            return ('href="/case-reviews/"' in menu, 'href="/actions/"' in menu)

        for who in ("alice", "carol", "dave"):
            assert nav(who) == (True, True)
        assert nav("erin") == (True, False)
        assert nav("bob") == (False, True)


class TestIsolation:
    def test_lewisham_never_reaches_croydons_reviews(self, world, appointed):
        ref = appointed.reference
        entry = add_entry(world, appointed, what="Isolation marker entry")
        _, action = recommendation_with_action(world, appointed)
        with inside(world.croydon):
            request = review_services.information_request_create(
                actor=actor(world, "alice"),
                review=appointed,
                agency=world.met_croydon,
                asks=["documents"],
            )
        markers = [ref, TITLE_MARKER, "Isolation marker entry", action.description]
        for tab in TABS:
            assert_web_isolated(
                path=f"/case-reviews/{ref}/{tab}",
                owner=world.croydon,
                outsider=world.charlie,
                outsider_partnership=world.lewisham,
                markers=markers,
                object_page=True,
            )
        for path in (
            f"/case-reviews/{ref}/chronology.csv",
            f"/case-reviews/{ref}/chronology/print/",
            f"/case-reviews/{ref}/chronology/{entry.uuid}/",
            f"/actions/{action.uuid}/",
            f"/information-requests/{request.uuid}/",
        ):
            assert_web_isolated(
                path=path,
                owner=world.croydon,
                outsider=world.charlie,
                outsider_partnership=world.lewisham,
                markers=markers,
                object_page=True,
            )
        assert_web_isolated(
            path="/actions/",
            owner=world.croydon,
            outsider=world.charlie,
            outsider_partnership=world.lewisham,
            markers=markers,
        )
        # The workspace's list is /case-reviews/; /reviews/ is the public area for anyone.
        lewisham_session = signed_in_client(world.charlie, world.lewisham)
        assert replay_on(lewisham_session, world.croydon).get("/case-reviews/").status_code == 404
        for response in (
            lewisham_session.get("/case-reviews/"),
            api_client(world.croydon, None).get("/reviews/"),
        ):
            assert response.status_code == 200
            assert not [marker for marker in markers if marker in body(response)]
        assert_row_only_in("croydon", "casework_review", "reference", ref)
        assert_row_only_in("croydon", "casework_action", "uuid", str(action.uuid))
