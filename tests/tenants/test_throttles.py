"""Throttles every process shares, counted by an address no client can forge (issue 10, part 3):
failed API keys, copy requests and sign-in (django-axes) alike."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory, override_settings

from tenants.throttles import THROTTLE_CACHE, client_address, throttle_full, throttle_take
from tests.support.clients import api_client, croydon_browser, issue_key, problem, sign_in
from tests.support.world import PASSWORD


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


class TestClientAddress:
    def test_without_trusted_proxies_it_is_the_connection_whatever_the_header_says(self):
        assert client_address(request_from("192.0.2.10", "203.0.113.7")) == "192.0.2.10"

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_one_proxy_it_is_the_address_the_proxy_appended(self):
        assert client_address(request_from("10.0.0.2", "203.0.113.7")) == "203.0.113.7"
        # Whatever the client wrote itself stands to the left, and is ignored.
        forged = request_from("10.0.0.2", "198.51.100.1, 198.51.100.2, 203.0.113.7")
        assert client_address(forged) == "203.0.113.7"

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_behind_two_proxies_it_is_the_second_entry_from_the_right(self):
        request = request_from("10.0.0.3", "198.51.100.1, 203.0.113.7, 10.0.0.2")
        assert client_address(request) == "203.0.113.7"

    @override_settings(TRUSTED_PROXY_COUNT=2)
    def test_a_short_or_malformed_header_counts_as_the_connection(self):
        assert client_address(request_from("10.0.0.3", "203.0.113.7")) == "10.0.0.3"
        assert client_address(request_from("10.0.0.3")) == "10.0.0.3"
        assert client_address(request_from("10.0.0.3", "not-an-ip, 10.0.0.2")) == "10.0.0.3"


@pytest.mark.django_db
class TestApiKeyFailures:
    def test_failed_keys_from_one_address_are_refused_even_with_a_forged_header(self, world):
        key = issue_key(world.croydon, world.met_croydon)
        limit = settings.API_KEY_FAILURE_LIMIT
        for n in range(limit):
            client = api_client(world.croydon, f"{key.split('.')[0]}.wrong{n}")
            # A new forged X-Forwarded-For each time: it must not be a new address.
            response = client.get("/api/v1/whoami/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
            assert response.status_code == 401
        refused = api_client(world.croydon, key).get(
            "/api/v1/whoami/", HTTP_X_FORWARDED_FOR="198.51.100.200"
        )
        assert refused.status_code == 429
        assert problem(refused)["detail"].startswith("Too many failed attempts")
        assert int(refused["Retry-After"]) == settings.API_KEY_FAILURE_MINUTES * 60
        # Another address is not held back by it, nor is Lewisham's host a way round it.
        other = api_client(world.croydon, key).get("/api/v1/whoami/", REMOTE_ADDR="192.0.2.99")
        assert other.status_code == 200
        assert api_client(world.lewisham, "x.y").get("/api/v1/whoami/").status_code == 429

    def test_good_keys_are_never_counted(self, world):
        key = issue_key(world.croydon, world.met_croydon)
        for _ in range(settings.API_KEY_FAILURE_LIMIT + 2):
            assert api_client(world.croydon, key).get("/api/v1/whoami/").status_code == 200


@pytest.mark.django_db
class TestSignInBehindAProxy:
    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_axes_locks_out_the_client_the_proxy_saw_not_the_proxy(self, world):
        attacker = croydon_browser()
        attacker.defaults.update(REMOTE_ADDR="10.0.0.2")
        for n in range(settings.AXES_FAILURE_LIMIT):
            attacker.defaults["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{n}, 203.0.113.7"
            sign_in(attacker, world.bob.email, "wrong password entirely")
        attacker.defaults["HTTP_X_FORWARDED_FOR"] = "192.0.2.99, 203.0.113.7"
        assert sign_in(attacker, world.bob.email, PASSWORD).status_code == 429

        # Bob, behind the same proxy from his own address, still signs in.
        bob = croydon_browser()
        bob.defaults.update(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
        assert sign_in(bob, world.bob.email, PASSWORD).status_code == 302


SUBPROCESS = textwrap.dedent(
    """
    import django
    django.setup()
    from tenants.throttles import throttle_take
    print(throttle_take(scope="cross-process", subject="203.0.113.9", limit=3, seconds=60))
    """
)


@pytest.mark.committed
def test_two_processes_share_one_count(django_db_setup, django_db_blocker):
    """Three attempts counted here, the fourth in another Python process (as a second gunicorn
    worker would be), which must see the three: the store is shared, not a process's memory."""
    with django_db_blocker.unblock():
        cache = caches[THROTTLE_CACHE]
        cache.clear()
        try:
            for _ in range(3):
                assert throttle_take(
                    scope="cross-process", subject="203.0.113.9", limit=3, seconds=60
                )
            db = connection.settings_dict
            url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "safeguard.settings.test",
                "DATABASE_URL": f"{url}/{db['NAME']}",
                # The test settings connect as the owner (DATABASE_OWNER_URL): to this database too.
                "DATABASE_OWNER_URL": f"{url}/{db['NAME']}",
            }
            other = subprocess.run(
                [sys.executable, "-c", SUBPROCESS],
                env=env,
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert other.returncode == 0, other.stderr
            assert other.stdout.strip() == "False"
            assert throttle_full(scope="cross-process", subject="203.0.113.9", limit=3)
        finally:
            cache.clear()


SETTINGS_PROBE = textwrap.dedent(
    """
    from safeguard.settings import base
    print(base.CACHES["throttles"]["BACKEND"])
    """
)


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_platform_never_counts_in_a_process_memory(redis_url, backend):
    """The settings `make run` and production use (not the test overlay): Redis when there is
    one, else the database; never the per-process memory cache that let 9 copy requests
    through a limit of 5 under two gunicorn workers."""
    env = {**os.environ, "SECRET_KEY": "probe", "REDIS_URL": redis_url}
    if not redis_url:
        env.pop("REDIS_URL")
    probe = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == backend
