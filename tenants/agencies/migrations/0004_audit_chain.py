"""The audit trail becomes a hash chain (DESIGN §5: a change by anyone is detected).

Each partnership's schema (and so the template, and every clone of it) gets the trigger function
``audit_chain_link()`` and a BEFORE INSERT trigger on its trail. For every new row it

1. takes a lock on this trail held until the transaction ends, so rows are numbered in the
   order their transactions commit (ids come from a sequence, whose order is not that);
2. reads the last row's position and hash;
3. sets ``position`` (the last + 1), ``previous_hash``, ``occurred_at`` (the database's clock:
   a client cannot back-date a row) and ``hash`` = SHA-256 of the row's canonical text.

The canonical text is every column as text, each written ``<length>:<text>`` (``~`` for NULL)
and joined with ``|``: the lengths make it unambiguous. ``occurred_at`` is written in UTC to the
microsecond (``2026-11-02T09:30:00.000000Z``) and ``detail`` as jsonb's own text, which is
canonical. ``tenants.agencies.chain`` computes the same text in Python to verify a trail.

Rows already in a trail are chained here, oldest first, with the same text.

The function names no schema: it reaches its own table through ``TG_TABLE_SCHEMA``, so a row
inserted with any search_path is chained in its own trail. It does not honour
``pgtrigger.ignore``, unlike pgtrigger's triggers: no session setting can skip it.
"""

from django.db import migrations, models

GENESIS = "0" * 64
# (column, SQL giving its canonical text from the row alias {row}); order matters.
COLUMNS = [
    ("position", '{row}."position"::text'),
    ("previous_hash", "{row}.previous_hash"),
    ("id", "{row}.id::text"),
    (
        "occurred_at",
        "to_char({row}.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
    ),
    ("request_id", "{row}.request_id"),
    ("host", "{row}.host"),
    ("partnership_key", "{row}.partnership_key"),
    ("actor_type", "{row}.actor_type"),
    ("actor_uuid", "{row}.actor_uuid::text"),
    ("actor_label", "{row}.actor_label"),
    ("actor_role", "{row}.actor_role"),
    ("action", "{row}.action"),
    ("object_type", "{row}.object_type"),
    ("object_ref", "{row}.object_ref"),
    ("detail", "{row}.detail::text"),
]


def hash_sql(row: str, **instead: str) -> str:
    """SQL for the hash of the row ``row``; ``instead`` gives other SQL for some columns."""
    parts = []
    for column, template in COLUMNS:
        text = instead.get(column, template.format(row=row))
        parts.append(f"(CASE WHEN ({text}) IS NULL THEN '~' ELSE length({text})::text || ':' || ({text}) END)")
    return "encode(sha256(convert_to(" + " || '|' || ".join(parts) + ", 'UTF8')), 'hex')"


LINK_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_chain_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_position bigint;
    last_hash text;
BEGIN
    -- One writer per trail until commit: positions follow commit order, never fork.
    PERFORM pg_advisory_xact_lock(1096042569, TG_RELID::integer);
    EXECUTE format('SELECT "position", hash FROM %I.%I ORDER BY "position" DESC LIMIT 1',
                   TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO last_position, last_hash;
    NEW."position" := coalesce(last_position, 0) + 1;
    NEW.previous_hash := coalesce(last_hash, '{GENESIS}');
    NEW.occurred_at := clock_timestamp();
    NEW.hash := {hash_sql("NEW")};
    RETURN NEW;
END;
$$;
"""

CHAIN_EXISTING_ROWS = f"""
ALTER TABLE workspace_auditevent DISABLE TRIGGER pgtrigger_audit_rows_are_never_changed_451d7;
DO $$
DECLARE
    event record;
    n bigint := 0;
    last text := '{GENESIS}';
BEGIN
    FOR event IN SELECT id FROM workspace_auditevent ORDER BY occurred_at, id LOOP
        n := n + 1;
        UPDATE workspace_auditevent e
           SET "position" = n, previous_hash = last,
               hash = {hash_sql("e", position="n::text", previous_hash="last")}
         WHERE e.id = event.id
        RETURNING e.hash INTO last;
    END LOOP;
END;
$$;
ALTER TABLE workspace_auditevent ENABLE TRIGGER pgtrigger_audit_rows_are_never_changed_451d7;
"""

LINK_TRIGGER = """
CREATE TRIGGER audit_chain_link BEFORE INSERT ON workspace_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_chain_link();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0003_agency_mirrors"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="position",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(db_default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(db_default="", editable=False, max_length=64),
        ),
        migrations.RunSQL(CHAIN_EXISTING_ROWS, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="position",
            field=models.BigIntegerField(db_default=0, editable=False, unique=True),
        ),
        migrations.RunSQL(
            LINK_FUNCTION + LINK_TRIGGER,
            reverse_sql=(
                "DROP TRIGGER audit_chain_link ON workspace_auditevent; "
                "DROP FUNCTION audit_chain_link();"
            ),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-position"]},
        ),
    ]
