"""Headers every host sends (issue 10, part 5): a Content-Security-Policy with no inline script
but under this response's nonce, a Permissions-Policy, HSTS with preload in production; and
database connections that survive the server dropping them."""

import os
import re
import subprocess
import sys
import textwrap

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory

from tests.support.clients import signed_in_client
from tests.support.world import host_of

CSP = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    policy = response[CSP]
    found = {}
    for part in policy.split(";"):
        name, *values = part.split()
        found[name] = values
    return found


def assert_strict(response) -> None:
    """The policy of issue 10: nothing but this host, inline code only under the nonce."""
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    for name in ("script-src", "style-src"):
        values = policy[name]
        assert "'self'" in values
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(values), values
    assert "'unsafe-inline'" not in response[CSP]


def assert_no_inline_code_without_the_nonce(response) -> None:
    """Every inline <script> and <style> carries the nonce the header names; no event-handler
    or style attribute, which no nonce can allow."""
    html = response.content.decode()
    policy = directives(response)
    nonces = {
        value[len("'nonce-") : -1]
        for name in ("script-src", "style-src")
        for value in policy.get(name, [])
        if value.startswith("'nonce-")
    }
    for tag, attributes in re.findall(r"<(script|style)\b([^>]*)>", html):
        if tag == "script" and re.search(r"\bsrc=", attributes):
            continue
        nonce = re.search(r'\bnonce="([^"]+)"', attributes)
        assert nonce and nonce.group(1) in nonces, f"inline <{tag}{attributes}> without the nonce"
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    assert not re.search(r"<[a-z][^>]*\sstyle\s*=", html), "an inline style attribute"


@pytest.mark.django_db
class TestContentSecurityPolicy:
    def test_a_partnership_host_sends_it_on_public_and_signed_in_pages(self, world):
        public = Client(HTTP_HOST=host_of(world.croydon))
        for response in (
            public.get("/sign-in/"),
            signed_in_client(world.alice, world.croydon).get("/dashboard/"),
            signed_in_client(world.bob, world.croydon).get("/referrals/new/"),
        ):
            assert response.status_code == 200
            assert_strict(response)
            assert_no_inline_code_without_the_nonce(response)

    def test_the_bare_domain_sends_it(self, world):
        for path in ("/", "/library/", "/library/?year=1"):
            response = Client(HTTP_HOST="localhost").get(path)
            assert_strict(response)
            assert_no_inline_code_without_the_nonce(response)

    def test_the_nonce_is_new_for_each_response(self, world):
        client = Client(HTTP_HOST=host_of(world.croydon))
        first, second = (directives(client.get("/sign-in/"))["script-src"] for _ in range(2))
        assert first != second

    def test_error_pages_and_the_api_send_it(self, world):
        croydon = Client(HTTP_HOST=host_of(world.croydon))
        assert_strict(croydon.get("/no-such-page/"))
        assert_strict(croydon.get("/api/v1/whoami/"))

    @pytest.mark.parametrize("host", ["croydon.localhost", "localhost"])
    def test_the_api_docs_page_runs_no_inline_script(self, world, host):
        client = Client(HTTP_HOST=host)
        page = client.get("/api/v1/docs/")
        assert page.status_code == 200
        assert_strict(page)
        assert_no_inline_code_without_the_nonce(page)
        html = page.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
        script = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1)
        answer = client.get(script.replace("&amp;", "&"))
        assert answer.status_code == 200
        assert answer["Content-Type"].startswith("application/javascript")
        assert "SwaggerUIBundle" in answer.content.decode()


@pytest.mark.django_db
def test_the_permissions_policy_turns_off_what_the_platform_never_uses(world):
    for host in (host_of(world.croydon), "localhost"):
        policy = Client(HTTP_HOST=host).get("/")["Permissions-Policy"]
        features = dict(part.strip().split("=") for part in policy.split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()"


PRODUCTION_PROBE = textwrap.dedent(
    """
    from safeguard.settings import production as p
    print(p.SECURE_HSTS_SECONDS, p.SECURE_HSTS_INCLUDE_SUBDOMAINS, p.SECURE_HSTS_PRELOAD)
    print(p.DATABASES["default"]["CONN_HEALTH_CHECKS"])
    """
)


def test_production_sends_hsts_for_a_year_with_preload_and_checks_its_connections():
    env = {**os.environ, "SECRET_KEY": "probe"}
    env.pop("DATABASE_CONN_HEALTH_CHECKS", None)
    probe = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    hsts, health = probe.stdout.splitlines()
    assert hsts == f"{365 * 24 * 3600} True True"
    assert health == "True"


def served(path: str) -> int:
    """A request through Django's own WSGI handler: its request_started and request_finished
    signals manage connections as in production (the test client turns that off)."""
    statuses = []
    environ = RequestFactory().get(path, HTTP_HOST="localhost").environ
    body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    b"".join(body)
    body.close()
    return int(statuses[0].split()[0])


@pytest.mark.committed
def test_requests_succeed_after_the_database_drops_its_connections(
    django_db_setup, django_db_blocker
):
    """PostgreSQL restarting (or an operator, or PgBouncer) ends the server side of a persistent
    connection: the next request must reconnect (CONN_HEALTH_CHECKS), not answer a 500."""
    with django_db_blocker.unblock():
        saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE",)}
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = 600  # persistent, as outside the tests
        try:
            assert served("/library/") == 200
            assert connection.connection is not None, "the connection was not kept"
            backend = connection.connection.info.backend_pid
            db = connection.settings_dict
            with psycopg.connect(
                host=db["HOST"] or "127.0.0.1",
                port=db["PORT"] or 5432,
                user=db["USER"],
                dbname=db["NAME"],
                autocommit=True,
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [backend])
            for _ in range(3):
                assert served("/library/") == 200
            assert connection.connection.info.backend_pid != backend
        finally:
            connection.close()
            connection.settings_dict.update(saved)
