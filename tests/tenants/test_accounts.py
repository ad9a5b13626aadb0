"""Signing in: one account per person, a role per partnership, the second factor, throttling."""

import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.models import Membership, Role
from tests.support.clients import croydon_browser, replay_on, sign_in, signed_in_client, totp_code
from tests.support.world import make_member

pytestmark = pytest.mark.django_db


def test_an_agency_user_signs_in_with_a_password_alone(world):
    client = croydon_browser()
    response = sign_in(client, "BOB@met.example")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    body = client.get("/dashboard/").content.decode()
    assert "agency user for Met Police" in body


@pytest.mark.parametrize("who", ["alice", "carol", "dave", "erin"])
def test_every_other_role_needs_the_second_factor(world, who):
    client = croydon_browser()
    response = sign_in(client, getattr(world, who).email)
    assert response["Location"].startswith("/sign-in/two-factor/")
    # Signed in with a password only: casework pages send them to the second step.
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/two-factor/?next=")
    assert client.get("/workspace/audit/").status_code == 302


def test_first_sign_in_sets_up_an_authenticator_and_shows_recovery_codes_once(croydon):
    user = make_member(croydon, "new.chair@croydon.example", Role.CHAIR, second_factor=False)
    client = croydon_browser()
    response = sign_in(client, user.email)
    assert response["Location"].startswith("/sign-in/two-factor/set-up/")
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and 'id="totp-secret"' in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # Reloading shows the same secret, not a new one.
    client.get("/sign-in/two-factor/set-up/")
    assert TOTPDevice.objects.filter(user=user).count() == 1

    wrong = client.post("/sign-in/two-factor/set-up/", {"token": "000000"})
    assert "The code is wrong or has expired" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # the back-off after a wrong code is tested below

    response = client.post("/sign-in/two-factor/set-up/", {"token": totp_code(device)})
    codes = re.findall(r"<li><code>([0-9a-f-]+)</code></li>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/dashboard/").status_code == 200


def test_someone_with_only_the_password_cannot_replace_a_confirmed_authenticator(world):
    client = croydon_browser()
    sign_in(client, world.alice.email)
    response = client.get("/sign-in/two-factor/set-up/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/two-factor/"
    assert TOTPDevice.objects.filter(user=world.alice).count() == 1


def test_the_authenticator_code_completes_sign_in(world):
    client = croydon_browser()
    sign_in(client, world.alice.email, next_url="/workspace/agencies/")
    device = TOTPDevice.objects.get(user=world.alice)
    response = client.post(
        "/sign-in/two-factor/?next=/workspace/agencies/", {"token": totp_code(device)}
    )
    assert response["Location"] == "/workspace/agencies/"
    assert client.get("/workspace/agencies/").status_code == 200


def test_wrong_codes_slow_down_further_attempts(world):
    client = croydon_browser()
    sign_in(client, world.alice.email)
    device = TOTPDevice.objects.get(user=world.alice)
    assert "is wrong" in client.post("/sign-in/two-factor/", {"token": "123456"}).content.decode()
    # Straight after a failure even the right code is refused (django-otp's throttling), and
    # the page says so...
    response = client.post("/sign-in/two-factor/", {"token": totp_code(device)})
    assert response.status_code == 200
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302
    # ...and accepted once the back-off has passed.
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/sign-in/two-factor/", {"token": totp_code(device)}).status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_a_recovery_code_works_once(world):
    from tenants.services import recovery_codes_generate

    codes = recovery_codes_generate(user=world.alice)
    first = croydon_browser()
    sign_in(first, world.alice.email)
    response = first.post("/sign-in/two-factor/", {"token": codes[0].upper()})
    assert response.status_code == 302
    assert first.get("/dashboard/").status_code == 200
    assert StaticToken.objects.filter(device__user=world.alice).count() == 9

    second = croydon_browser()
    sign_in(second, world.alice.email)
    response = second.post("/sign-in/two-factor/", {"token": codes[0]})
    assert "already been used" in response.content.decode()
    assert second.get("/dashboard/").status_code == 302


def test_a_typo_in_the_authenticator_code_does_not_block_a_recovery_code(world):
    from tenants.services import recovery_codes_generate

    codes = recovery_codes_generate(user=world.alice)
    client = croydon_browser()
    sign_in(client, world.alice.email)
    assert "is wrong" in client.post("/sign-in/two-factor/", {"token": "000000"}).content.decode()
    assert client.post("/sign-in/two-factor/", {"token": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(world):
    from tenants.services import recovery_codes_generate

    old = recovery_codes_generate(user=world.alice)
    client = signed_in_client(world.alice, world.croydon)
    response = client.post("/account/recovery-codes/")
    new = re.findall(r"<li><code>([0-9a-f-]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(
        StaticToken.objects.filter(device__user=world.alice).values_list("token", flat=True)
    ) == set(new)


def test_a_member_of_another_partnership_cannot_sign_in_here(world):
    client = croydon_browser()
    response = sign_in(client, world.charlie.email)
    assert response.status_code == 200
    assert "or you have no access here" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302


def test_a_wrong_password_gets_the_same_answer_as_no_access(world):
    wrong = sign_in(croydon_browser(), world.alice.email, "not the password at all")
    foreign = sign_in(croydon_browser(), world.charlie.email)
    unknown = sign_in(croydon_browser(), "nobody@nowhere.example")
    messages = {
        re.search(r"govuk-error-summary__list.*?<a[^>]*>(.*?)</a>", r.content.decode(), re.S)
        .group(1)
        .strip()
        for r in (wrong, foreign, unknown)
    }
    assert len(messages) == 1


def test_a_session_is_bound_to_the_partnership_it_was_made_on(world):
    # Charlie works for Lewisham; his Lewisham session replayed on Croydon's host finds nothing.
    client = signed_in_client(world.charlie, world.lewisham)
    assert client.get("/dashboard/").status_code == 200
    replayed = replay_on(client, world.croydon)
    assert replayed.get("/dashboard/").status_code == 404
    assert replayed.get("/workspace/agencies/").status_code == 404
    # Even for someone who is a member of both, the Lewisham session is no Croydon sign-in.
    Membership.objects.create(user=world.charlie, partnership=world.croydon, role=Role.CHAIR)
    assert replay_on(client, world.croydon).get("/dashboard/").status_code == 404


def test_the_dashboard_lists_every_membership_with_links_to_their_own_hosts(world):
    Membership.objects.create(user=world.erin, partnership=world.lewisham, role=Role.LEAD_REVIEWER)
    body = signed_in_client(world.erin, world.croydon).get("/dashboard/").content.decode()
    assert "Lewisham Safeguarding Children Partnership" in body
    assert 'href="http://lewisham.localhost/dashboard/"' in body
    assert "You are here" in body


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(world):
    client = croydon_browser()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, world.bob.email, "wrong password entirely")
    response = sign_in(client, world.bob.email)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302


def test_signing_out(world):
    client = signed_in_client(world.bob, world.croydon)
    assert client.get("/sign-out/").status_code == 200
    assert client.post("/sign-out/")["Location"] == "/sign-in/"
    assert client.get("/dashboard/").status_code == 302


def test_next_never_leaves_the_host(world):
    response = sign_in(croydon_browser(), world.bob.email, next_url="https://evil.example/")
    assert response["Location"] == "/dashboard/"


def test_passwords_are_hashed_with_argon2_outside_tests():
    from safeguard.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_platform_domain_has_no_sign_in(db):
    assert Client(HTTP_HOST="localhost").get("/sign-in/").status_code == 404


def test_a_next_address_with_several_parameters_survives_the_second_factor(world):
    """Issue 10, part 3: an unencoded ``next`` was cut at its first ``&``."""
    target = "/referrals/?status=received&agency=met&page=2"
    client = croydon_browser()
    response = sign_in(client, world.alice.email, next_url=target)
    assert response.status_code == 302
    step = response["Location"]
    assert step == "/sign-in/two-factor/?" + urlencode({"next": target}, safe="/")
    page = client.get(step).content.decode()
    assert 'name="next" value="/referrals/?status=received&amp;agency=met&amp;page=2"' in page
    device = TOTPDevice.objects.get(user=world.alice)
    response = client.post(step, {"token": totp_code(device), "next": target})
    assert response["Location"] == target


def test_next_survives_the_first_set_up_of_an_authenticator(croydon):
    user = make_member(croydon, "first.time@croydon.example", Role.CHAIR, second_factor=False)
    target = "/actions/?rag=red&status=open"
    client = croydon_browser()
    step = sign_in(client, user.email, next_url=target)["Location"]
    assert step == "/sign-in/two-factor/set-up/?" + urlencode({"next": target}, safe="/")
    # Sent to the code page first, it is sent on to set-up with the whole address.
    assert (
        client.get("/sign-in/two-factor/?" + urlencode({"next": target}, safe="/"))["Location"]
        == step
    )


def test_only_someone_with_an_authenticator_is_offered_or_given_recovery_codes(world):
    # Issue 14: an agency user signs in with a password alone, so has nothing to recover.
    link = "Make new recovery codes"
    manager = signed_in_client(world.alice, world.croydon)
    assert link in manager.get("/dashboard/").content.decode()
    assert manager.get("/account/recovery-codes/").status_code == 200

    agency_user = signed_in_client(world.bob, world.croydon)
    assert link not in agency_user.get("/dashboard/").content.decode()
    assert agency_user.get("/account/recovery-codes/").status_code == 404
    assert agency_user.post("/account/recovery-codes/").status_code == 404
    assert not StaticToken.objects.filter(device__user=world.bob).exists()
