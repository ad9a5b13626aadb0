"""The management commands others rely on: names, arguments and idempotence."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from tenants.agencies.models import AuditEvent
from tenants.models import Domain, Membership, Partnership, User
from tests.support.clients import api_client
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def test_create_partnership_clones_the_template_and_is_idempotent(db):
    output = run(
        "create_partnership", "kingston", name="Kingston Safeguarding Children Partnership"
    )
    assert "kingston.localhost" in output
    partnership = Partnership.objects.get(key="kingston")
    assert partnership.schema_name == "kingston" and partnership.reference_prefix == "KIN"
    assert partnership.publication_months_online == 12
    assert Domain.objects.get(tenant=partnership).domain == "kingston.localhost"
    assert schema_exists("kingston")
    again = run("create_partnership", "kingston", name="Kingston Safeguarding Children Partnership")
    assert "already exists" in again
    assert Partnership.objects.filter(key="kingston").count() == 1


def test_a_hyphenated_key_gets_an_underscored_schema_and_a_hyphenated_host(db):
    run(
        "create_partnership",
        "tower-hamlets",
        name="Tower Hamlets Safeguarding Children Partnership",
    )
    partnership = Partnership.objects.get(key="tower-hamlets")
    assert partnership.schema_name == "tower_hamlets"
    assert partnership.domains.get().domain == "tower-hamlets.localhost"


@pytest.mark.parametrize(
    "key",
    [
        "Croydon",
        "croy_don",
        "www",
        "api",
        "admin",
        "public",
        "static",
        "-bad",
        "bad-",
        "ab",
        "1abc",
    ],
)
def test_an_invalid_key_is_refused_and_nothing_is_created(db, key):
    before = set(Partnership.objects.values_list("key", flat=True)), schemas()
    with pytest.raises(CommandError):
        run("create_partnership", key, name="Anything")
    assert (set(Partnership.objects.values_list("key", flat=True)), schemas()) == before


def test_a_taken_domain_is_refused(db):
    with pytest.raises(CommandError, match="already serves"):
        run("create_partnership", "croydon2", name="X", domain="croydon.localhost")
    assert not Partnership.objects.filter(key="croydon2").exists()
    assert not schema_exists("croydon2")


def test_the_template_schema_is_current_and_never_a_partnership(db):
    assert schema_exists(settings.TENANT_BASE_SCHEMA)
    assert not Partnership.objects.filter(schema_name=settings.TENANT_BASE_SCHEMA).exists()
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT name FROM "{settings.TENANT_BASE_SCHEMA}".django_migrations')
        template = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT name FROM croydon.django_migrations")
        croydon = {row[0] for row in cursor.fetchall()}
    assert template == croydon


def test_create_user_gives_a_role_and_can_change_it(world):
    output = run(
        "create_user",
        "reviewer@reviews.example",
        partnership="croydon",
        role="lead_reviewer",
        password="a fine long password",
    )
    assert "lead reviewer" in output
    user = User.objects.get(email="reviewer@reviews.example")
    assert user.check_password("a fine long password")
    run("create_user", "reviewer@reviews.example", partnership="lewisham", role="chair")
    run("create_user", "REVIEWER@reviews.example", partnership="croydon", role="chair")
    assert dict(Membership.objects.filter(user=user).values_list("partnership__key", "role")) == {
        "croydon": "chair",
        "lewisham": "chair",
    }
    with inside(world.croydon):
        assert AuditEvent.objects.filter(action="membership.changed").exists()


def test_create_user_names_an_agency_of_that_partnership(world):
    run(
        "create_user",
        "pc@met.example",
        partnership="lewisham",
        role="agency_user",
        agency="met police",
    )
    membership = Membership.objects.get(user__email="pc@met.example")
    assert membership.agency_uuid == world.met_lewisham.uuid
    with pytest.raises(CommandError, match="no agency called"):
        run(
            "create_user",
            "x@nhs.example",
            partnership="lewisham",
            role="agency_user",
            agency="NHS Croydon Health Services",
        )
    with pytest.raises(CommandError, match="needs --agency"):
        run("create_user", "y@nhs.example", partnership="croydon", role="agency_user")
    with pytest.raises(CommandError, match="no partnership"):
        run("create_user", "z@nhs.example", partnership="atlantis", role="chair")
    assert not User.objects.filter(email__in=["x@nhs.example", "y@nhs.example", "z@nhs.example"])


def test_create_user_refuses_a_weak_password_and_saves_nothing(world):
    with pytest.raises(CommandError, match="password"):
        run(
            "create_user",
            "weak@croydon.example",
            partnership="croydon",
            role="chair",
            password="password",
        )
    assert not User.objects.filter(email="weak@croydon.example").exists()


def test_create_agency_key_prints_a_working_key_alone_on_its_last_line(world):
    output = run("create_agency_key", "croydon", agency="Met Police")
    key = output.strip().splitlines()[-1]
    assert " " not in key
    response = api_client(world.croydon, key).get("/api/v1/whoami/")
    assert response.json()["agency"]["name"] == "Met Police"
    with pytest.raises(CommandError):
        run("create_agency_key", "croydon", agency="No Such Agency")
