"""The shared test world: partnerships Croydon and Lewisham, and the people of the foundation issue.

- alice: Croydon business manager
- bob: Croydon agency user, Met Police
- charlie: Lewisham only (business manager there)
- carol: Croydon chair; dave: Croydon review group member; erin: Croydon lead reviewer

Croydon and Lewisham (and Bexley, which the joint-review tests keep out) are created once per
session (committed, cloned from the template); each test's own rows are rolled back with its
transaction. Every casework test module also checks that the other partnership's user, key and
host get a 404 and never the data (tests/isolation.py).
"""

import contextlib
import json
import time
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
import pytest_django.fixtures
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

import tenants.selectors
from tenants.actors import actor_for_platform
from tenants.agencies.models import Agency, AgencyKind
from tenants.agencies.services import api_key_issue
from tenants.middleware import SESSION_PARTNERSHIP_KEY
from tenants.models import Membership, Partnership, Role, User
from tenants.services import partnership_create
from tests.clock import Clock, HostCacheClock

PASSWORD = "correct-horse-battery-staple"

PARTNERSHIPS = {
    "croydon": ("Croydon Safeguarding Children Partnership", "Croydon Safeguarding Children Board"),
    "lewisham": (
        "Lewisham Safeguarding Children Partnership",
        "Lewisham Safeguarding Children Board",
    ),
    # A third partnership, for joint reviews: one that takes no part.
    "bexley": ("Bexley Safeguarding Children Partnership", ""),
}


def ensure_partnership(key: str) -> Partnership:
    existing = Partnership.objects.filter(key=key).first()
    if existing is not None:
        return existing
    name, former = PARTNERSHIPS[key]
    return partnership_create(key=key, name=name, former_name=former)


# pytest-django creates the test database only for tests that declare `db` (or the like). A
# module that commits its own data (tests/test_joint_review_races.py: threads see only committed
# rows) must not run in the test transaction, yet must run on the test database: its tests are
# marked `committed` and count as needing it (the browser tests do the same, tests/browser).
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
    import os

    env = {key: value for key, value in os.environ.items() if key != "DATABASE_OWNER_URL"}
    env.update(
        DATABASE_URL=database_url_for_tests(),
        SAFEGUARD_DATABASE_ROLE="runtime",
        DJANGO_SETTINGS_MODULE="safeguard.settings.test",
        **extra,
    )
    return env


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated (public and template schemas), plus Croydon and Lewisham."""
    with django_db_blocker.unblock():
        for key in PARTNERSHIPS:
            ensure_partnership(key)


@pytest.fixture(autouse=True)
def host_cache_clock(monkeypatch) -> HostCacheClock:
    """Every test starts with an empty cache and a host cache whose clock stands still
    (tests/clock.py): what a test counts never depends on the machine's speed."""
    stopped = HostCacheClock()
    monkeypatch.setattr(tenants.selectors, "host_cache_clock", stopped)
    caches["default"].clear()
    return stopped


@pytest.fixture
def clock():
    """The platform's clock, stopped: ``clock.today(date)``, ``clock.set(datetime)``."""
    stopped = Clock()
    yield stopped
    stopped.stop()


@pytest.fixture(autouse=True)
def _back_to_public():
    """django-tenants leaves the connection on the last request's schema."""
    yield
    connection.set_schema_to_public()


@pytest.fixture
def croydon(db) -> Partnership:
    return Partnership.objects.get(key="croydon")


@pytest.fixture
def lewisham(db) -> Partnership:
    return Partnership.objects.get(key="lewisham")


@pytest.fixture
def bexley(db) -> Partnership:
    return Partnership.objects.get(key="bexley")


def host_of(partnership: Partnership) -> str:
    return partnership.domains.get(is_primary=True).domain


@contextlib.contextmanager
def inside(partnership: Partnership):
    """Run test set-up or checks inside a partnership's schema, and come back to where the
    connection was (nested uses included)."""
    with tenant_context(partnership):
        yield


def make_agency(partnership: Partnership, name: str, kind: str = AgencyKind.OTHER) -> Agency:
    with inside(partnership):
        agency, _ = Agency.objects.get_or_create(name=name, defaults={"kind": kind})
    return agency


def make_member(
    partnership: Partnership,
    email: str,
    role: str,
    agency: Agency | None = None,
    *,
    second_factor: bool = True,
) -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, PASSWORD, full_name=email.split("@")[0].title()
    )
    Membership.objects.update_or_create(
        user=user,
        partnership=partnership,
        defaults={"role": role, "agency_uuid": agency.uuid if agency else None},
    )
    if second_factor and role != Role.AGENCY_USER and not TOTPDevice.objects.filter(user=user):
        TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
    return user


@dataclass
class World:
    croydon: Partnership
    lewisham: Partnership
    met_croydon: Agency
    nhs_croydon: Agency
    met_lewisham: Agency
    alice: User
    bob: User
    charlie: User
    carol: User
    dave: User
    erin: User
    frank: User  # Croydon agency user for NHS Croydon Health Services


def make_world(croydon: Partnership, lewisham: Partnership) -> World:
    """The people and agencies above, in the partnerships' schemas (get-or-create, so a world
    already made in the transaction is found again)."""
    met_croydon = make_agency(croydon, "Met Police", AgencyKind.POLICE)
    nhs_croydon = make_agency(croydon, "NHS Croydon Health Services", AgencyKind.HEALTH)
    met_lewisham = make_agency(lewisham, "Met Police", AgencyKind.POLICE)
    return World(
        croydon=croydon,
        lewisham=lewisham,
        met_croydon=met_croydon,
        nhs_croydon=nhs_croydon,
        met_lewisham=met_lewisham,
        alice=make_member(croydon, "alice@croydon.example", Role.BUSINESS_MANAGER),
        bob=make_member(croydon, "bob@met.example", Role.AGENCY_USER, met_croydon),
        charlie=make_member(lewisham, "charlie@lewisham.example", Role.BUSINESS_MANAGER),
        carol=make_member(croydon, "carol@croydon.example", Role.CHAIR),
        dave=make_member(croydon, "dave@croydon.example", Role.REVIEW_GROUP_MEMBER),
        erin=make_member(croydon, "erin@reviews.example", Role.LEAD_REVIEWER),
        frank=make_member(croydon, "frank@nhs.example", Role.AGENCY_USER, nhs_croydon),
    )


@pytest.fixture
def world(croydon, lewisham) -> World:
    return make_world(croydon, lewisham)


@pytest.fixture
def joint(world, bexley):
    """Croydon's review to be held jointly with Lewisham, and their people (tests/joint.py)."""
    from tests.joint import joint_world

    return joint_world(world, bexley)


def signed_in_client(user: User, partnership: Partnership, *, verified: bool = True) -> Client:
    """A browser-like client signed in on the partnership's own host (session bound to it),
    past the second factor when ``verified``."""
    client = Client(HTTP_HOST=host_of(partnership))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[SESSION_PARTNERSHIP_KEY] = partnership.schema_name
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if verified and device is not None:
        session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def replay_on(client: Client, partnership: Partnership) -> Client:
    """The same session cookie sent to another partnership's host."""
    other = Client(HTTP_HOST=host_of(partnership))
    other.cookies = client.cookies
    return other


@pytest.fixture
def sign_in():
    return signed_in_client


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now (or ``steps_ahead`` periods later)."""
    t = int(time.time() - device.t0) // device.step + steps_ahead
    return str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits)


def issue_key(partnership: Partnership, agency: Agency, **kwargs) -> str:
    with inside(partnership):
        _, key = api_key_issue(
            actor=actor_for_platform(partnership=partnership, label="test"),
            agency=agency,
            name=kwargs.pop("name", "test system"),
            **kwargs,
        )
    return key


def api_client(partnership: Partnership, key: str | None) -> Client:
    headers = {"HTTP_HOST": host_of(partnership)}
    if key:
        headers["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
    return Client(**headers)


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response["Content-Type"]
    body = json.loads(response.content)
    assert body["status"] == response.status_code
    assert {"type", "title", "status", "detail"} <= body.keys()
    return body
