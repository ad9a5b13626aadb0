"""A partnership cloned from the template is the same, object by object, as one built by running
every migration: same tables and columns, constraints, indexes, triggers, sequences and
migration records, under the same names."""

import pytest
from django.db import connection
from django.test.utils import override_settings

from tenants.models import Partnership
from tenants.services import partnership_create
from tests.support.world import inside, make_agency

pytestmark = pytest.mark.django_db


def catalog(schema: str) -> dict:
    def rows(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, [schema])
            return sorted(
                tuple(str(v).replace(f"{schema}.", "S.") for v in row) for row in cursor.fetchall()
            )

    return {
        "columns": rows(
            "SELECT table_name, column_name, data_type, is_nullable, "
            "regexp_replace(coalesce(column_default, ''), 'nextval.*', 'seq'), is_identity "
            "FROM information_schema.columns WHERE table_schema = %s"
        ),
        "constraints": rows(
            "SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = %s"
        ),
        "indexes": rows(
            "SELECT indexname, regexp_replace(indexdef, ' ON [a-z_]+\\.', ' ON S.') "
            "FROM pg_indexes WHERE schemaname = %s"
        ),
        "triggers": rows(
            "SELECT tr.tgname, t.relname, tr.tgtype, p.proname, "
            "coalesce(obj_description(tr.oid, 'pg_trigger'), '') "
            "FROM pg_trigger tr JOIN pg_class t ON t.oid = tr.tgrelid "
            "JOIN pg_proc p ON p.oid = tr.tgfoid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE n.nspname = %s AND NOT tr.tgisinternal"
        ),
        "sequences": rows(
            "SELECT sequencename, data_type, start_value, increment_by "
            "FROM pg_sequences WHERE schemaname = %s"
        ),
    }


def migrations_of(schema: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY app, name')
        return cursor.fetchall()


def test_a_clone_equals_a_migrated_schema(db):
    cloned = partnership_create(key="clone-check", name="Cloned")
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        migrated = partnership_create(key="migrate-check", name="Migrated")
    a, b = catalog(cloned.schema_name), catalog(migrated.schema_name)
    for part in a:
        assert a[part] == b[part], part
    assert a["constraints"] and a["indexes"] and a["triggers"] and a["sequences"]
    assert migrations_of(cloned.schema_name) == migrations_of(migrated.schema_name)


def test_a_clone_works_and_numbers_from_one(db):
    partnership = partnership_create(key="clone-use", name="Clone in use")
    agency = make_agency(partnership, "Met Police")
    assert agency.pk >= 1
    with inside(partnership), connection.cursor() as cursor:
        cursor.execute("SELECT nextval('casework_referral_number')")
        assert cursor.fetchone()[0] == 1
    assert Partnership.objects.filter(key="clone-use").exists()
