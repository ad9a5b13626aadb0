"""What the in-process benchmarks share: a throwaway database on the server of DATABASE_URL,
Django set up on it with persistent connections, a signed-in client, and the 95th percentile."""

import contextlib
import math
import os

import django
import psycopg


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value at least ``fraction`` of them reach."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@contextlib.contextmanager
def throwaway_database(name: str, *, keep: bool = False, settings: str = "safeguard.settings.test"):
    """Create the database ``name`` (dropping one left behind), point Django at it and set
    Django up; drop it afterwards unless ``keep``. Connections persist between requests, as in
    production: the test overlay closes them after each request (for the live server's
    threads)."""
    base_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    server = base_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    # One role for everything here: an owner's URL from the environment names another database.
    os.environ.pop("DATABASE_OWNER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    django.setup()

    from django.conf import settings as django_settings
    from django.db import connection

    for alias in (django_settings.DATABASES["default"], connection.settings_dict):
        alias["CONN_MAX_AGE"] = 600
    try:
        yield
    finally:
        connection.close()
        if not keep:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")


def signed_in_client(partnership, user, device):
    """A test Client signed in on the partnership's host, past the second factor."""
    from django.test import Client

    from tenants.middleware import SESSION_PARTNERSHIP_KEY

    client = Client(HTTP_HOST=partnership.domains.get(is_primary=True).domain)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_PARTNERSHIP_KEY] = partnership.schema_name
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client
