"""Cloning the template schema into a new partnership's, in time that does not grow with the
number of partnerships.

django-tenants' ``clone_schema`` PL/pgSQL function joins ``information_schema.columns`` with
itself for every column it copies; those views cover every schema, so each clone gets slower as
partnerships are added (measured: 0.18 s with 2 partnerships, about 20 s with 100; see
tests/perf/RESULTS.md). This copies the template by reading the catalog for the template's own
namespace only, keeping every name (constraints, indexes, triggers) exactly as migrations made
them, so later migrations find what they expect. A test compares a cloned schema with one built
by running the migrations, object by object.
"""

from django.db import connection, transaction
from django_tenants.utils import quote_schema_name


def clone_schema(source: str, target: str) -> None:
    """Create ``target`` as a copy of ``source``: tables (columns, defaults, identities),
    constraints and indexes under their own names, standalone sequences, the functions and
    triggers in the schema, and the rows (the template holds only its migration records)."""
    src, dst = quote_schema_name(source), quote_schema_name(target)
    if connection.schema_name != "public":
        raise RuntimeError("Clone from the public schema, where the template is not on the path.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [source])
        namespace = cursor.fetchone()[0]
        cursor.execute(f"CREATE SCHEMA {dst}")

        # Standalone sequences (not those behind identity columns, which LIKE recreates).
        cursor.execute(
            """
            SELECT c.relname, s.seqtypid::regtype::text, s.seqstart, s.seqincrement,
                   s.seqmin, s.seqmax, s.seqcache, s.seqcycle
            FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
            WHERE c.relnamespace = %s AND c.relkind = 'S'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
            ORDER BY c.relname
            """,
            [namespace],
        )
        for name, kind, start, step, low, high, cache, cycle in cursor.fetchall():
            cursor.execute(
                f'CREATE SEQUENCE {dst}."{name}" AS {kind} START WITH {start} '
                f"INCREMENT BY {step} MINVALUE {low} MAXVALUE {high} CACHE {cache} "
                f"{'CYCLE' if cycle else 'NO CYCLE'}"
            )

        cursor.execute(
            "SELECT oid, relname FROM pg_class WHERE relnamespace = %s AND relkind IN ('r', 'p') "
            "ORDER BY relname",
            [namespace],
        )
        tables = cursor.fetchall()
        for _, table in tables:
            cursor.execute(
                f'CREATE TABLE {dst}."{table}" (LIKE {src}."{table}" INCLUDING DEFAULTS '
                "INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION)"
            )

        # Read with the template off the search path, definitions name the template's objects
        # with its schema, which _retarget rewrites to the target's.
        cursor.execute(
            """
            SELECT t.relname, con.conname, pg_get_constraintdef(con.oid), con.contype
            FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
            WHERE t.relnamespace = %s AND con.contype IN ('p', 'u', 'c', 'x', 'f')
            ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2
                     WHEN 'c' THEN 3 ELSE 4 END, t.relname, con.conname
            """,
            [namespace],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relnamespace = %s
              AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [namespace],
        )
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = %s "
            "ORDER BY p.proname",
            [namespace],
        )
        functions = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT pg_get_triggerdef(tr.oid), tr.tgname, t.relname,
                   obj_description(tr.oid, 'pg_trigger')
            FROM pg_trigger tr JOIN pg_class t ON t.oid = tr.tgrelid
            WHERE t.relnamespace = %s AND NOT tr.tgisinternal
            ORDER BY tr.tgname
            """,
            [namespace],
        )
        triggers = cursor.fetchall()

        for table, name, definition, _ in constraints:
            cursor.execute(
                f'ALTER TABLE {dst}."{table}" ADD CONSTRAINT "{name}" '
                + _retarget(definition, source, target)
            )
        for definition in indexes:
            cursor.execute(_retarget(definition, source, target))
        for definition in functions:
            cursor.execute(_retarget(definition, source, target))
        for definition, name, table, comment in triggers:
            cursor.execute(_retarget(definition, source, target))
            if comment is not None:
                cursor.execute(f'COMMENT ON TRIGGER "{name}" ON {dst}."{table}" IS %s', [comment])

        for _, table in tables:
            cursor.execute(f'INSERT INTO {dst}."{table}" SELECT * FROM {src}."{table}"')
        cursor.execute(
            """
            SELECT t.relname, a.attname
            FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid
            WHERE t.relnamespace = %s AND a.attidentity <> '' AND NOT a.attisdropped
            """,
            [namespace],
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                f'COALESCE((SELECT max("{column}") FROM {dst}."{table}"), 0) + 1, false)',
                [f'{dst}."{table}"', column],
            )


def _retarget(definition: str, source: str, target: str) -> str:
    """Point a definition at the target: schema-qualified names of the template's objects, and
    nothing else, are rewritten (the template's name is reserved, so it appears nowhere else)."""
    return definition.replace(f"{source}.", f"{target}.").replace(f'"{source}".', f'"{target}".')
