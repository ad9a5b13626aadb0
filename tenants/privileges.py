"""What the platform's runtime database role may do (DESIGN §5: it owns nothing and may only
insert and read the audit trail).

The web, the workers and beat connect as the runtime role (``DATABASE_URL``); migrations and
creating partnerships as the owner (``DATABASE_OWNER_URL``, safeguard/database.py), which owns
every object. The runtime role is given, in the public schema and in every partnership's:

- USAGE on the schema (never CREATE: it makes no tables, functions or triggers);
- SELECT, INSERT, UPDATE and DELETE on the tables, except the append-only ones — the audit
  trail and its checkpoints (SELECT and INSERT only) and the migration records (SELECT only);
- USAGE and SELECT on the sequences (``nextval`` for ids and references).

Never TRUNCATE, REFERENCES or TRIGGER, and no ownership, so it cannot switch a trigger off
(``ALTER TABLE … DISABLE TRIGGER``), replace the audit trail's trigger function, or change a
row past the triggers' ``pgtrigger.ignore`` (it has no UPDATE or DELETE to do it with). Only a
superuser may set ``session_replication_role``. The template schema is not granted at all: the
runtime never reads it.

New objects get no privileges by themselves: ``runtime_privileges_grant`` is run as the owner
after every migration (``migrate_schemas``) and after every new partnership's schema
(``Partnership.create_schema``), and states every privilege again (revoking first), so what a
schema holds does not depend on its history.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction

# Tables the runtime role may only read and add to, wherever they are.
APPEND_ONLY_TABLES = ("workspace_auditevent", "tenants_auditcheckpoint")
READ_ONLY_TABLES = ("django_migrations",)


def _quoted(name: str) -> str:
    """An SQL identifier, quoted as PostgreSQL reads it."""
    return '"' + name.replace('"', '""') + '"'


def runtime_role() -> str | None:
    """The runtime role to grant to, or None when the process connects as that same role (one
    URL for everything: a single-role database, where there is nothing to separate)."""
    role = settings.DATABASE_RUNTIME_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        current = cursor.fetchone()[0]
    return None if not role or role == current else role


def _schemas() -> list[str]:
    from tenants.models import Partnership

    partnerships = Partnership.objects.order_by("schema_name")
    return ["public", *partnerships.values_list("schema_name", flat=True)]


def runtime_privileges_grant(*, schemas: Iterable[str] | None = None) -> str | None:
    """Give the runtime role exactly its privileges in ``schemas`` (by default the public
    schema and every partnership's). Run as the owner. Returns the role granted to, or None
    when there is no separate runtime role."""
    role = runtime_role()
    if role is None:
        return None
    schemas = list(_schemas() if schemas is None else schemas)
    grantee = _quoted(role)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = ANY(%s) AND table_name = ANY(%s)",
            [schemas, list(APPEND_ONLY_TABLES + READ_ONLY_TABLES)],
        )
        limited = cursor.fetchall()
        for schema in schemas:
            name = _quoted(schema)
            cursor.execute(
                f"GRANT USAGE ON SCHEMA {name} TO {grantee}; "
                f"REVOKE ALL ON ALL TABLES IN SCHEMA {name} FROM {grantee}; "
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {name} "
                f"TO {grantee}; "
                f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {name} FROM {grantee}; "
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {name} TO {grantee}"
            )
        for schema, table in limited:
            keep = "SELECT, INSERT" if table in APPEND_ONLY_TABLES else "SELECT"
            qualified = f"{_quoted(schema)}.{_quoted(table)}"
            cursor.execute(
                f"REVOKE ALL ON {qualified} FROM {grantee}; "
                f"GRANT {keep} ON {qualified} TO {grantee}"
            )
    return role
