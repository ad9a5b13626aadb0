"""Access ends when it should: deactivating an agency ends its people's access at once, web
sessions included, as it ends its API keys' (issue 10, part 3)."""

import pytest

from casework.models import Referral
from tenants.actors import actor_for_platform
from tenants.agencies.services import agency_update
from tests.support.clients import api_client, issue_key, signed_in_client
from tests.support.referrals import make_referral, referral_form
from tests.support.world import PASSWORD, host_of, inside

pytestmark = pytest.mark.django_db


def deactivate(partnership, agency, *, active: bool = False) -> None:
    with inside(partnership):
        agency_update(
            actor=actor_for_platform(partnership=partnership, label="test"),
            agency=agency,
            name=agency.name,
            kind=agency.kind,
            is_active=active,
        )


class TestDeactivatingAnAgency:
    def test_its_users_live_session_is_refused_at_once(self, world):
        referral = make_referral(world)
        bob = signed_in_client(world.bob, world.croydon)
        page = f"/referrals/{referral.reference}/"
        assert bob.get(page).status_code == 200

        deactivate(world.croydon, world.met_croydon)

        response = bob.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
        # The session itself is over: nothing reached with the same cookie afterwards.
        assert "_auth_user_id" not in bob.session
        assert bob.get("/dashboard/").status_code == 302
        htmx = bob.get(page, HTTP_HX_REQUEST="true")
        assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith("/sign-in/")

    def test_its_user_can_neither_post_nor_sign_in_again(self, world):
        bob = signed_in_client(world.bob, world.croydon)
        deactivate(world.croydon, world.met_croydon)
        with inside(world.croydon):
            before = Referral.objects.count()
        response = bob.post("/referrals/new/", referral_form())
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
        with inside(world.croydon):
            assert Referral.objects.count() == before

        client = api_client(world.croydon, None)
        response = client.post("/sign-in/", {"email": "bob@met.example", "password": PASSWORD})
        assert response.status_code == 200
        assert "you have no access here" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_its_api_keys_stop_with_it_and_both_come_back_when_reactivated(self, world):
        key = issue_key(world.croydon, world.met_croydon)
        deactivate(world.croydon, world.met_croydon)
        assert api_client(world.croydon, key).get("/api/v1/whoami/").status_code == 401
        deactivate(world.croydon, world.met_croydon, active=True)
        assert api_client(world.croydon, key).get("/api/v1/whoami/").status_code == 200
        client = api_client(world.croydon, None)
        response = client.post("/sign-in/", {"email": "bob@met.example", "password": PASSWORD})
        assert response.status_code == 302

    def test_other_agencies_and_the_review_group_keep_their_access(self, world):
        referral = make_referral(world)
        frank = signed_in_client(world.frank, world.croydon)
        alice = signed_in_client(world.alice, world.croydon)
        deactivate(world.croydon, world.met_croydon)
        assert frank.get("/dashboard/").status_code == 200
        assert alice.get(f"/referrals/{referral.reference}/").status_code == 200

    def test_lewishams_agency_of_the_same_name_is_untouched(self, world):
        from tenants.models import Role
        from tests.support.world import make_member

        police = make_member(
            world.lewisham, "police@lewisham.example", Role.AGENCY_USER, world.met_lewisham
        )
        client = signed_in_client(police, world.lewisham)
        deactivate(world.croydon, world.met_croydon)
        assert client.get("/dashboard/").status_code == 200
        # And Croydon's session replayed on Lewisham's host is still a 404, not a sign-out.
        bob = signed_in_client(world.bob, world.croydon)
        other = api_client(world.lewisham, None)
        other.cookies = bob.cookies
        assert other.get("/dashboard/").status_code == 404
        assert host_of(world.lewisham) != host_of(world.croydon)
