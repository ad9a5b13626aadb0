"""The shared test world: partnerships Croydon and Lewisham, and the people of the foundation issue.

- alice: Croydon business manager
- bob: Croydon agency user, Met Police
- charlie: Lewisham only (business manager there)
- carol: Croydon chair; dave: Croydon review group member; erin: Croydon lead reviewer
- frank: Croydon agency user, NHS Croydon Health Services

Croydon and Lewisham (and Bexley, which the joint-review tests keep out) are created once per
session (committed, cloned from the template); each test's own rows are rolled back with its
transaction. Every casework test module also checks that the other partnership's user, key and
host get a 404 and never the data (tests/support/isolation.py).

The fixtures here (``croydon``, ``lewisham``, ``bexley``, ``world``) are registered for every test
by ``pytest_plugins`` in tests/conftest.py.
"""

import contextlib
from dataclasses import dataclass

import pytest
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from tenants.agencies.models import Agency, AgencyKind
from tenants.models import Membership, Partnership, Role, User
from tenants.services import partnership_create

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated (public and template schemas), plus Croydon and Lewisham."""
    with django_db_blocker.unblock():
        for key in PARTNERSHIPS:
            ensure_partnership(key)


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
