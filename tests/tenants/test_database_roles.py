"""Least privilege (DESIGN §5): the suite runs its migrations and creates partnerships as the
owner role, which is no superuser; the runtime role the web, workers and beat connect as owns
nothing, cannot change the audit trail by any route, and still does the platform's ordinary
work. The runtime role is taken with SET ROLE on the test's own connection (its rows are in
the test transaction), and as a login of its own where a separate process is the point."""

import contextlib
import json
import os
import subprocess
import sys

import pgtrigger
import pytest
from django.conf import settings
from django.core import mail
from django.db import DatabaseError, connection, transaction

from safeguard.database import OWNER_COMMANDS, choose_role
from tenants.actors import actor_for_platform
from tenants.agencies.audit import audit_event_record
from tenants.agencies.chain import GENESIS, audit_chain_verify
from tenants.agencies.models import AuditEvent
from tenants.models import AuditCheckpoint, Partnership
from tenants.services import partnership_create
from tests.support.clients import api_client, issue_key, signed_in_client
from tests.support.database import database_url_for_tests
from tests.support.world import inside

TABLE = "workspace_auditevent"
RUNTIME = settings.DATABASE_RUNTIME_ROLE


def _quoted(name):
    return '"' + name.replace('"', '""') + '"'


@pytest.fixture
def runtime(db):
    """Run the block as the runtime role on this connection, then come back to the owner."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        owner, superuser = cursor.fetchone()
    if owner == RUNTIME or superuser:
        pytest.fail(
            f"The suite connects as {owner!r}"
            + (" (a superuser)" if superuser else "")
            + f" and the runtime role is {RUNTIME!r}: run it with `make test`, which connects as "
            "the owner role (DATABASE_OWNER_URL) and names a separate runtime role "
            "(DATABASE_URL)."
        )

    @contextlib.contextmanager
    def as_runtime():
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {_quoted(RUNTIME)}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")

    return as_runtime


def refused(sql, params=()):
    """``sql`` fails (its savepoint rolled back, the test's transaction goes on)."""
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(raised.value)


def one_value(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def record(partnership, action="test.row"):
    with inside(partnership):
        return audit_event_record(
            actor=actor_for_platform(partnership=partnership, label="tester"), action=action
        )


# --- Who the roles are ---------------------------------------------------------------------


def test_migrations_and_new_partnerships_need_no_superuser(runtime, world):
    """This suite's database was made, migrated and given its partnerships by this role."""
    assert one_value("SELECT rolsuper FROM pg_roles WHERE rolname = current_user") is False
    owner = one_value("SELECT current_user")
    assert (
        one_value(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
        )
        == owner
    )
    for schema in ("public", "croydon", "lewisham", settings.TENANT_BASE_SCHEMA):
        assert one_value(
            "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = %s", [schema]
        ) in (owner, "pg_database_owner")
    assert (
        one_value(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname IN ('public', 'croydon') AND c.relowner <> "
            "(SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
        == 0
    )


def test_the_runtime_role_owns_nothing_and_is_no_superuser(runtime):
    attributes = one_value(
        "SELECT json_build_array(rolsuper, rolcreatedb, rolcreaterole, rolreplication, "
        "rolbypassrls, rolcanlogin) FROM pg_roles WHERE rolname = %s",
        [RUNTIME],
    )
    assert attributes == [False, False, False, False, False, True]
    owner = one_value("SELECT current_user")
    assert one_value("SELECT pg_has_role(%s, %s, 'MEMBER')", [RUNTIME, owner]) is False
    owned = one_value(
        "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid) "
        "+ (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid) "
        "+ (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) "
        "+ (SELECT count(*) FROM pg_type WHERE typowner = r.oid) "
        "FROM pg_roles r WHERE rolname = %s",
        [RUNTIME],
    )
    assert owned == 0


# --- The audit trail, against the runtime role ------------------------------------------------


def test_the_runtime_role_cannot_change_an_audit_row_by_any_route(runtime, world):
    event = record(world.croydon)
    with runtime(), inside(world.croydon):
        # 1. Replication mode skips every trigger: a superuser's setting only.
        assert "permission denied" in refused("SET session_replication_role = replica")
        # 2. Switching the triggers off: the table's owner's (or a superuser's) only.
        for trigger in ("pgtrigger_audit_rows_are_never_changed_451d7", "audit_chain_link", "USER"):
            assert "must be owner" in refused(f"ALTER TABLE {TABLE} DISABLE TRIGGER {trigger}")
        assert "must be owner" in refused(f"DROP TRIGGER audit_chain_link ON {TABLE}")
        # 3. pgtrigger.ignore skips pgtrigger's own triggers, but there is no UPDATE or DELETE
        # privilege to use it with.
        with pgtrigger.ignore("workspace.AuditEvent:audit_rows_are_never_changed"):
            with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
            with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                AuditEvent.objects.filter(pk=event.pk).delete()
        # 4. Plainly.
        for statement in (
            f"UPDATE {TABLE} SET action = 'rewritten'",
            f"DELETE FROM {TABLE}",
            f"TRUNCATE {TABLE}",
        ):
            assert "permission denied" in refused(statement)
        # Nor can it replace the trigger's function or add one of its own.
        assert "permission denied for schema croydon" in refused(
            "CREATE OR REPLACE FUNCTION audit_chain_link() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RETURN NEW; END $$"
        )
        assert "permission denied" in refused(
            "CREATE FUNCTION croydon.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'"
        )
        assert "permission denied" in refused("UPDATE public.tenants_auditcheckpoint SET hash = ''")
        assert "permission denied" in refused("DELETE FROM public.tenants_auditcheckpoint")
    with inside(world.croydon):
        assert AuditEvent.objects.get(pk=event.pk).action == "test.row"
        assert audit_chain_verify(partnership=world.croydon).intact


def test_the_runtime_role_cannot_insert_a_back_dated_or_forged_row(runtime, world):
    record(world.croydon)
    with runtime(), inside(world.croydon), connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {TABLE} ("position", occurred_at, previous_hash, hash, request_id, '
            "host, partnership_key, actor_type, actor_label, actor_role, action, object_type, "
            "object_ref, detail) VALUES (1, '2001-01-01T00:00:00Z', %s, %s, '', '', "
            "'croydon', 'system', 'forger', '', 'forged', '', '', '{}') "
            'RETURNING "position", occurred_at, hash',
            [GENESIS, "f" * 64],
        )
        position, occurred_at, seal = cursor.fetchone()
        assert position > 1 and occurred_at.year > 2001 and seal != "f" * 64
        assert audit_chain_verify(partnership=world.croydon).intact


def test_the_runtime_role_may_insert_and_read_checkpoints_only(runtime, world):
    event = record(world.croydon)
    with runtime():
        AuditCheckpoint.objects.create(
            partnership=world.croydon,
            position=event.position,
            hash=event.hash,
            verified_on=event.occurred_at.date(),
        )
        assert AuditCheckpoint.objects.filter(partnership=world.croydon).count() == 1
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            AuditCheckpoint.objects.update(hash="")


def test_the_runtime_role_cannot_touch_the_template_or_the_migration_records(runtime, world):
    with runtime():
        assert "permission denied" in refused(
            f"SELECT * FROM {settings.TENANT_BASE_SCHEMA}.{TABLE}"
        )
        assert "permission denied" in refused("DELETE FROM public.django_migrations")
        assert "permission denied" in refused("DELETE FROM croydon.django_migrations")
        assert "permission denied" in refused("CREATE SCHEMA mine")
        assert "permission denied" in refused("CREATE TABLE public.mine (id int)")


def test_a_new_partnerships_schema_is_the_runtime_roles_at_once_on_the_same_terms(runtime, db):
    partnership = partnership_create(key="sutton", name="Sutton Safeguarding Children Partnership")
    with runtime():
        event = record(partnership)
        assert event.position == 1
        with inside(partnership):
            assert one_value("SELECT count(*) FROM casework_referral") == 0
            assert "permission denied" in refused(f"DELETE FROM {TABLE}")


# --- The platform's ordinary work, as the runtime role -----------------------------------------

REFERRAL = {
    "incident_date": "2026-10-30",
    "aware_date": "2026-11-02",
    "harm": "serious_harm",
    "abuse_or_neglect": "suspected",
    "circumstances": [],
    "children": [
        {
            "given_name": "Amara",
            "family_name": "Okafor",
            "date_of_birth": "2026-06-01",
            "sex": "female",
            "ethnicity": "Black British",
            "looked_after": False,
            "child_protection_plan": False,
        }
    ],
    "agencies_involved": ["Met Police"],
    "summary": "What happened, in the referrer's words.",
}


def test_the_runtime_role_does_the_platforms_ordinary_work(runtime, world, settings):
    key = issue_key(world.croydon, world.met_croydon)
    alice = signed_in_client(world.alice, world.croydon)
    with runtime():
        assert one_value("SELECT current_user") == RUNTIME
        api = api_client(world.croydon, key)
        created = api.post(
            "/api/v1/referrals/",
            json.dumps(REFERRAL),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="runtime-role-1",
        )
        assert created.status_code == 201, created.content
        reference = created.json()["reference"]
        assert api.get(f"/api/v1/referrals/{reference}/").status_code == 200
        assert alice.get(f"/referrals/{reference}/").status_code == 200
        assert alice.get("/workspace/audit/").status_code == 200
        # A Celery daily task, in the partnership's schema as beat's fan-out sends it.
        settings.PLATFORM_ALERT_EMAILS = ["operators@platform.example"]
        from tenants.agencies.tasks import audit_trail_check_task

        with inside(world.croydon):
            assert audit_trail_check_task.delay().get() is True
        assert AuditCheckpoint.objects.filter(partnership=world.croydon).exists()
        assert mail.outbox == []
    with inside(world.croydon):
        assert AuditEvent.objects.filter(action="referral.created").exists()


# --- Choosing the role --------------------------------------------------------------------------


def test_manage_py_connects_as_the_owner_for_the_owner_commands_only(monkeypatch):
    for command in ("migrate_schemas", "migrate", "create_partnership", "load_demo"):
        monkeypatch.delenv("SAFEGUARD_DATABASE_ROLE", raising=False)
        assert command in OWNER_COMMANDS
        choose_role(["manage.py", command, "--noinput"])
        assert os.environ["SAFEGUARD_DATABASE_ROLE"] == "owner"
    for command in ("create_agency_key", "create_user", "audit_verify", "theme", "shell"):
        monkeypatch.delenv("SAFEGUARD_DATABASE_ROLE", raising=False)
        choose_role(["manage.py", command])
        assert "SAFEGUARD_DATABASE_ROLE" not in os.environ


@pytest.mark.committed
def test_create_partnership_as_written_picks_the_owner_by_itself(
    django_db_setup, django_db_blocker
):
    """In a process of its own, with both URLs as `make run` gives them: the command creates
    the schema (DDL) as the owner although DATABASE_URL is the runtime role's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SAFEGUARD_DATABASE_ROLE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=database_url_for_tests(),
        DATABASE_OWNER_URL=database_url_for_tests(owner=True),
        SECRET_KEY="test-only",
    )
    try:
        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "create_partnership",
                "role-check",
                "--name",
                "Role Check",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert "role-check.localhost" in result.stdout
        with django_db_blocker.unblock():
            schema_owner = one_value(
                "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = %s",
                ["role_check"],
            )
            assert schema_owner == connection.settings_dict["USER"]
    finally:
        with django_db_blocker.unblock():
            for partnership in Partnership.objects.filter(key="role-check"):
                partnership.delete(force_drop=True)
            connection.set_schema_to_public()


# --- A database an earlier `make run` made as the superuser ---------------------------------


def test_make_adopts_a_database_the_superuser_made_earlier():
    """make run and make test (safeguard/localdev.py) find or make both roles and give the
    owner role a database, and everything in it, that an earlier run made as ``postgres`` —
    which the owner then migrates, and the runtime role still cannot touch until granted."""
    import psycopg

    from safeguard import localdev

    admin = localdev._as(settings.DATABASE_OWNER_URL, "postgres", "postgres")
    name = f"{connection.settings_dict['NAME']}_adopt"
    try:
        psycopg.connect(admin, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        pytest.fail(f"make test connects as the superuser postgres to make the roles: {error}")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        earlier = localdev._as(admin, "postgres", name)
        with psycopg.connect(earlier, autocommit=True) as conn:
            conn.execute(
                "CREATE SCHEMA croydon; "
                "CREATE TABLE croydon.workspace_auditevent (id bigint GENERATED BY DEFAULT AS "
                "IDENTITY PRIMARY KEY, action text); "
                "CREATE SEQUENCE croydon.casework_referral_number; "
                "CREATE VIEW croydon.recent AS SELECT * FROM croydon.workspace_auditevent; "
                "CREATE FUNCTION croydon.audit_chain_link() RETURNS trigger LANGUAGE plpgsql "
                "AS $$ BEGIN RETURN NEW; END $$; "
                "CREATE TABLE public.tenants_partnership (id int PRIMARY KEY); "
                "CREATE FUNCTION public._pgtrigger_should_ignore(name) RETURNS boolean "
                "LANGUAGE sql AS 'SELECT false'"
            )
        localdev._prepare_roles(admin)
        localdev._ensure_database(admin, name)
        with psycopg.connect(earlier) as conn:
            owners = conn.execute(
                "SELECT DISTINCT pg_get_userbyid(o) FROM ("
                " SELECT datdba AS o FROM pg_database WHERE datname = current_database()"
                " UNION ALL SELECT nspowner FROM pg_namespace WHERE nspname = 'croydon'"
                " UNION ALL SELECT relowner FROM pg_class c JOIN pg_namespace n"
                "  ON n.oid = c.relnamespace WHERE n.nspname IN ('croydon', 'public')"
                " UNION ALL SELECT proowner FROM pg_proc p JOIN pg_namespace n"
                "  ON n.oid = p.pronamespace WHERE n.nspname IN ('croydon', 'public')) AS x"
            ).fetchall()
        assert owners == [(localdev.OWNER_ROLE,)]
        as_owner = localdev._as(admin, localdev.OWNER_ROLE, name)
        with psycopg.connect(as_owner, autocommit=True) as conn:
            conn.execute("ALTER TABLE croydon.workspace_auditevent ADD COLUMN hash text")
        as_runtime = localdev._as(admin, localdev.RUNTIME_ROLE, name)
        with (
            psycopg.connect(as_runtime, autocommit=True) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute("SELECT * FROM croydon.workspace_auditevent")
        # Safe to run again.
        localdev._ensure_database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
