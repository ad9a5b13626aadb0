"""The test database for what runs outside the test's transaction: tests that commit their own
data, and other processes of the platform (a worker, a command) connecting to it."""

import os
from urllib.parse import urlparse

import pytest
import pytest_django.fixtures
from django.conf import settings
from django.db import connection

# pytest-django creates the test database only for tests that declare `db` (or the like). A
# module that commits its own data (tests/casework/joint/test_races.py: threads see only
# committed rows) must not run in the test transaction, yet must run on the test database: its
# tests are marked `committed` and count as needing it (the browser tests do the same,
# tests/browser).
_databases_for_test = pytest_django.fixtures._get_databases_for_test


def _databases_for_test_including_committed(test):
    if test.get_closest_marker("committed"):
        return ("default",), False
    return _databases_for_test(test)


pytest_django.fixtures._get_databases_for_test = _databases_for_test_including_committed


def require_the_test_database() -> None:
    """Refuse to commit anything anywhere but in the test database."""
    if connection.settings_dict["NAME"] != connection.settings_dict["TEST"]["NAME"]:
        pytest.exit(
            f"Refusing to commit test data to {connection.settings_dict['NAME']!r}.", returncode=3
        )


def database_url_for_tests(*, owner: bool = False) -> str:
    """The test database's URL as the runtime role (``DATABASE_URL``) or the owner
    (``DATABASE_OWNER_URL``), for another process (a worker, a command) to connect with."""
    url = settings.DATABASE_OWNER_URL if owner else settings.DATABASE_URL
    return urlparse(url)._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def runtime_process_environment(**extra: str) -> dict[str, str]:
    """The environment of another process of the platform on the test database, connecting
    as the runtime role as the web, workers and beat do (never the owner)."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_OWNER_URL"}
    env.update(
        DATABASE_URL=database_url_for_tests(),
        SAFEGUARD_DATABASE_ROLE="runtime",
        DJANGO_SETTINGS_MODULE="safeguard.settings.test",
        **extra,
    )
    return env
