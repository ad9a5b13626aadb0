"""The audit trail is append-only, and the database itself enforces it, in every schema."""

import pytest
from django.db import DatabaseError, connection, transaction

from tenants.actors import actor_for_platform
from tenants.agencies.audit import audit_event_record
from tenants.agencies.models import AuditEvent
from tests.support.world import inside

pytestmark = pytest.mark.django_db

TABLE = "workspace_auditevent"


def _schemas_with_the_trail() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = %s", [TABLE]
        )
        return sorted(row[0] for row in cursor.fetchall())


def _raw(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_every_partnership_and_the_template_carry_the_trail(world):
    assert {"croydon", "lewisham", "partnership_template"} <= set(_schemas_with_the_trail())
    assert "public" not in _schemas_with_the_trail()


@pytest.mark.parametrize("schema", ["croydon", "lewisham", "partnership_template"])
def test_the_database_refuses_to_change_or_remove_audit_rows(world, schema):
    _raw(
        f'INSERT INTO "{schema}".{TABLE} (occurred_at, request_id, host, partnership_key, '
        "actor_type, actor_label, actor_role, action, object_type, object_ref, detail) VALUES "
        "(now(), 'r', 'h', 'p', 'system', 'tester', '', 'test.row', '', '', '{}')"
    )
    for statement in (
        f"UPDATE \"{schema}\".{TABLE} SET action = 'rewritten'",
        f'DELETE FROM "{schema}".{TABLE}',
        f'TRUNCATE "{schema}".{TABLE}',
    ):
        with pytest.raises(DatabaseError):
            _raw(statement)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT action FROM \"{schema}\".{TABLE} WHERE action = 'test.row'")
        assert cursor.fetchall() == [("test.row",)]


def test_the_orm_cannot_change_or_delete_a_row_either(world):
    with inside(world.croydon):
        event = audit_event_record(
            actor=actor_for_platform(partnership=world.croydon, label="t"), action="x.y"
        )
        event.action = "changed"
        with pytest.raises(DatabaseError), transaction.atomic():
            event.save()
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.update(action="bulk")
        assert AuditEvent.objects.get(pk=event.pk).action == "x.y"


def test_a_row_cannot_be_written_into_another_partnerships_trail(world):
    with inside(world.lewisham), pytest.raises(RuntimeError):
        audit_event_record(
            actor=actor_for_platform(partnership=world.croydon, label="t"), action="x.y"
        )


def test_a_new_partnership_gets_the_protected_trail_by_cloning(db):
    from tenants.services import partnership_create

    partnership_create(key="merton", name="Merton Safeguarding Children Partnership")
    assert "merton" in _schemas_with_the_trail()
    _raw(
        f"INSERT INTO merton.{TABLE} (occurred_at, request_id, host, partnership_key, actor_type, "
        "actor_label, actor_role, action, object_type, object_ref, detail) VALUES "
        "(now(), '', '', 'merton', 'system', 't', '', 'a', '', '', '{}')"
    )
    with pytest.raises(DatabaseError):
        _raw(f"DELETE FROM merton.{TABLE}")
