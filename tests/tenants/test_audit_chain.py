"""The audit trail is a hash chain the database writes (DESIGN §5): each row is numbered, timed
and sealed by a trigger, whatever the client sends; ``audit_verify`` and the daily job recompute
the chain in Python and name the first row that does not match, whoever changed it."""

import contextlib
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client

from safeguard.celery import app as celery_app
from tenants import tasks as tenant_tasks
from tenants.actors import actor_for_platform
from tenants.agencies.audit import audit_event_record
from tenants.agencies.chain import GENESIS, audit_chain_verify, row_hash
from tenants.agencies.models import AuditEvent
from tenants.models import AuditCheckpoint
from tenants.services import partnership_create
from tests.support.clients import issue_key
from tests.support.world import host_of, inside

pytestmark = pytest.mark.django_db

TABLE = "workspace_auditevent"
DAILY_TASK = "tenants.agencies.tasks.audit_trail_check_task"


def record(partnership, action="test.done", **kwargs):
    with inside(partnership):
        return audit_event_record(
            actor=actor_for_platform(partnership=partnership, label="tester"),
            action=action,
            **kwargs,
        )


def rows(schema):
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id, "position", previous_hash, hash, occurred_at FROM "{schema}".{TABLE} '
            'ORDER BY "position"'
        )
        return cursor.fetchall()


def database_now():
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


@contextlib.contextmanager
def triggers_off(schema):
    """What a superuser (or the tables' owner) can do and the runtime role cannot: switch the
    trail's triggers off, so that rows can be changed, removed or added without them."""
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{schema}".{TABLE} DISABLE TRIGGER USER')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{schema}".{TABLE} ENABLE TRIGGER USER')


def tamper(schema, sql, params=()):
    with triggers_off(schema), connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify(partnership):
    with inside(partnership):
        return audit_chain_verify(partnership=partnership)


def audit_verify(*args):
    """Run the command; (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


# --- What the database writes ----------------------------------------------------------------


def test_each_row_is_numbered_linked_timed_and_sealed_by_the_database(world):
    before = database_now()
    events = [record(world.croydon, f"test.{n}", detail={"n": n, "é": [1, "x"]}) for n in range(3)]
    after = database_now()
    stored = rows("croydon")[-3:]
    assert [e.position for e in events] == [row[1] for row in stored]
    assert [row[1] for row in stored] == list(range(stored[0][1], stored[0][1] + 3))
    for (_, _, previous_hash, _, _), (_, _, _, earlier_hash, _) in zip(stored[1:], stored[:-1]):
        assert previous_hash == earlier_hash
    # The returned events carry what the trigger set, and Python recomputes the same seal.
    assert [e.hash for e in events] == [row[3] for row in stored]
    for event in events:
        assert before <= event.occurred_at <= after
        with inside(world.croydon):
            event.refresh_from_db()
        values = [
            event.position,
            event.previous_hash,
            event.id,
            event.occurred_at,
            event.request_id,
            event.host,
            event.partnership_key,
            event.actor_type,
            event.actor_uuid,
            event.actor_label,
            event.actor_role,
            event.action,
            event.object_type,
            event.object_ref,
            _detail_text("croydon", event.id),
        ]
        assert row_hash(values) == event.hash
    assert verify(world.croydon).intact


def _detail_text(schema, row_id):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT detail::text FROM "{schema}".{TABLE} WHERE id = %s', [row_id])
        return cursor.fetchone()[0]


def test_a_back_dated_or_forged_row_is_numbered_timed_and_sealed_all_the_same(world):
    record(world.croydon)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO croydon.{TABLE} ("position", occurred_at, previous_hash, hash, '
            "request_id, host, partnership_key, actor_type, actor_label, actor_role, action, "
            "object_type, object_ref, detail) VALUES (1, '2001-01-01T00:00:00Z', %s, %s, "
            "'forged-request', '', 'croydon', 'system', 'forger', '', 'forged.row', '', '', '{}') "
            'RETURNING "position", occurred_at, previous_hash, hash',
            [GENESIS, "f" * 64],
        )
        position, occurred_at, previous_hash, seal = cursor.fetchone()
    last_but_one = rows("croydon")[-2]
    assert position == last_but_one[1] + 1
    assert previous_hash == last_but_one[3]
    assert occurred_at.year == database_now().year and seal != "f" * 64
    assert verify(world.croydon).intact


def test_rows_inserted_with_another_search_path_join_their_own_trail(world):
    record(world.lewisham)
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO lewisham.{TABLE} (request_id, host, partnership_key, actor_type, "
            "actor_label, actor_role, action, object_type, object_ref, detail) VALUES "
            "('', '', 'lewisham', 'system', 't', '', 'from.public', '', '', '{}')"
        )
    assert verify(world.lewisham).intact
    assert rows("lewisham")[-1][1] == len(rows("lewisham"))


def test_a_new_partnership_starts_its_own_chain(db):
    partnership = partnership_create(key="sutton", name="Sutton Safeguarding Children Partnership")
    event = record(partnership)
    assert (event.position, event.previous_hash) == (1, GENESIS)
    assert verify(partnership).intact


def test_a_request_id_is_kept_only_in_a_safe_form(world):
    api = issue_key(world.croydon, world.met_croydon)
    headers = {"HTTP_HOST": host_of(world.croydon), "HTTP_AUTHORIZATION": f"Api-Key {api}"}
    client = Client(**headers)
    kept = client.get("/api/v1/referrals/", HTTP_X_REQUEST_ID="agency-req.0042_ok")
    assert kept["X-Request-ID"] == "agency-req.0042_ok"
    for hostile in ("<script>alert(1)</script>", "a b c d e f g h", "x" * 65, "short"):
        response = client.get("/api/v1/referrals/", HTTP_X_REQUEST_ID=hostile)
        assert response["X-Request-ID"] != hostile
        assert len(response["X-Request-ID"]) == 32
    # Whatever an actor carries, the trail keeps a safe one.
    with inside(world.croydon):
        event = audit_event_record(
            actor=actor_for_platform(
                partnership=world.croydon, label="t", request_id="evil\r\nX-Injected: 1"
            ),
            action="x.y",
        )
    assert event.request_id.isalnum() and len(event.request_id) == 32


# --- audit_verify: what someone who can switch the triggers off leaves behind ----------------


def test_audit_verify_says_an_intact_trail_is_intact(world):
    for n in range(3):
        record(world.croydon, f"test.{n}")
    status, out, err = audit_verify("croydon")
    assert status == 0, err
    head = rows("croydon")[-1]
    assert out.startswith(f"croydon: intact, {head[1]} rows, head {head[1]} {head[3]}")


def test_audit_verify_names_a_row_changed_with_the_triggers_off(world):
    events = [record(world.croydon, f"test.{n}") for n in range(4)]
    changed = events[1]
    tamper(
        "croydon",
        f"UPDATE croydon.{TABLE} SET action = 'nothing.happened' WHERE id = %s",
        [changed.id],
    )
    status, out, err = audit_verify("croydon")
    assert status == 1 and out == ""
    assert f"BROKEN at position {changed.position} (row {changed.id})" in err
    assert "content does not match" in err


def test_audit_verify_names_a_back_dated_row(world):
    events = [record(world.croydon, f"test.{n}") for n in range(3)]
    tamper(
        "croydon",
        f"UPDATE croydon.{TABLE} SET occurred_at = occurred_at - interval '1 day' WHERE id = %s",
        [events[0].id],
    )
    report = verify(world.croydon)
    assert (report.broken.position, report.broken.row_id) == (events[0].position, events[0].id)


def test_audit_verify_names_where_a_row_was_deleted(world):
    events = [record(world.croydon, f"test.{n}") for n in range(4)]
    tamper("croydon", f"DELETE FROM croydon.{TABLE} WHERE id = %s", [events[2].id])
    status, _, err = audit_verify("croydon")
    assert status == 1
    assert f"BROKEN at position {events[2].position} (row {events[3].id})" in err
    assert "missing" in err


def test_audit_verify_names_a_forged_row_added_with_the_triggers_off(world):
    events = [record(world.croydon, f"test.{n}") for n in range(2)]
    head = events[-1]
    tamper(
        "croydon",
        f'INSERT INTO croydon.{TABLE} ("position", occurred_at, previous_hash, hash, '
        "request_id, host, partnership_key, actor_type, actor_label, actor_role, action, "
        "object_type, object_ref, detail) VALUES (%s, '2001-01-01T00:00:00Z', %s, %s, "
        "'', '', 'croydon', 'system', 'forger', '', 'referral.viewed', '', '', '{}') "
        "RETURNING id",
        [head.position + 1, head.hash, "e" * 64],
    )
    status, _, err = audit_verify("croydon")
    assert status == 1
    assert f"BROKEN at position {head.position + 1}" in err


def test_a_trail_rewritten_after_a_checkpoint_is_caught_by_the_checkpoint(world):
    events = [record(world.croydon, f"test.{n}") for n in range(3)]
    with inside(world.croydon):
        AuditCheckpoint.objects.create(
            partnership=world.croydon,
            position=events[-1].position,
            hash=events[-1].hash,
            verified_on=datetime.date(2026, 11, 2),
        )
    # Change the first row, then recompute every seal after it, as the trigger would have.
    tamper(
        "croydon", f"UPDATE croydon.{TABLE} SET action = 'rewritten' WHERE id = %s", [events[0].id]
    )
    _reseal_everything("croydon")
    report = verify(world.croydon)
    assert not report.intact
    assert report.broken.position == events[-1].position
    assert "checkpoint" in report.broken.reason


def test_rows_removed_from_the_end_after_a_checkpoint_are_caught(world):
    events = [record(world.croydon, f"test.{n}") for n in range(3)]
    with inside(world.croydon):
        AuditCheckpoint.objects.create(
            partnership=world.croydon,
            position=events[-1].position,
            hash=events[-1].hash,
            verified_on=datetime.date(2026, 11, 2),
        )
    tamper("croydon", f"DELETE FROM croydon.{TABLE} WHERE id = %s", [events[-1].id])
    report = verify(world.croydon)
    assert report.broken.position == events[-1].position
    assert "ends before" in report.broken.reason


def _reseal_everything(schema):
    from tenants.agencies.chain import SELECT_ROWS

    with inside_schema(schema), connection.cursor() as cursor:
        cursor.execute(SELECT_ROWS)
        previous = GENESIS
        resealed = []
        for *values, _ in cursor.fetchall():
            values[1] = previous
            previous = row_hash(values)
            resealed.append((values[1], previous, values[2]))
    with triggers_off(schema), connection.cursor() as cursor:
        cursor.executemany(
            f'UPDATE "{schema}".{TABLE} SET previous_hash = %s, hash = %s WHERE id = %s', resealed
        )


@contextlib.contextmanager
def inside_schema(schema):
    from tenants.models import Partnership

    with inside(Partnership.objects.get(schema_name=schema)):
        yield


def test_audit_verify_all_and_its_usage_errors(world):
    record(world.croydon)
    record(world.lewisham)
    status, out, _ = audit_verify("--all")
    assert status == 0
    assert "croydon: intact" in out and "lewisham: intact" in out
    for args in (("nowhere",), (), ("croydon", "--all")):
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(Exception) as raised:
            call_command("audit_verify", *args, stdout=out, stderr=err)
        assert getattr(raised.value, "returncode", None) == 2
        assert out.getvalue() == ""


def test_rows_written_before_the_chain_are_chained_by_its_migration(world):
    from django.db.migrations.executor import MigrationExecutor

    with inside(world.lewisham):
        MigrationExecutor(connection).migrate([("workspace", "0003_agency_mirrors")])
        with connection.cursor() as cursor:
            for n, day in enumerate((3, 1, 2)):  # ids in another order than time
                cursor.execute(
                    f"INSERT INTO {TABLE} (occurred_at, request_id, host, partnership_key, "
                    "actor_type, actor_label, actor_role, action, object_type, object_ref, "
                    "detail) VALUES (%s, '', '', 'lewisham', 'system', 'old', '', %s, '', '', "
                    "'{}')",
                    [datetime.datetime(2026, 11, day, tzinfo=datetime.UTC), f"old.{n}"],
                )
        MigrationExecutor(connection).migrate([("workspace", "0004_audit_chain")])
        chained = list(AuditEvent.objects.order_by("position").values_list("action", "position"))
    assert chained[:3] == [("old.1", 1), ("old.2", 2), ("old.0", 3)]
    assert verify(world.lewisham).intact
    event = record(world.lewisham)
    assert event.position == len(chained) + 1


# --- The daily job ---------------------------------------------------------------------------


@pytest.fixture
def daily(monkeypatch, settings):
    """Run the daily fan-out as beat would, each partnership's task in-process."""
    settings.PLATFORM_ALERT_EMAILS = ["operators@platform.example", "oncall@platform.example"]
    celery_app.loader.import_default_modules()
    monkeypatch.setattr(
        celery_app, "send_task", lambda name, **kw: celery_app.tasks[name].delay().get()
    )

    def run():
        mail.outbox.clear()
        tenant_tasks.partnerships_fan_out.run(DAILY_TASK)

    return run


def test_the_daily_job_records_each_intact_head_once(world, daily):
    event = record(world.croydon)
    daily()
    daily()
    checkpoints = AuditCheckpoint.objects.filter(partnership=world.croydon)
    assert list(checkpoints.values_list("position", "hash")) == [(event.position, event.hash)]
    assert mail.outbox == []
    later = record(world.croydon)
    daily()
    assert checkpoints.count() == 2 and checkpoints.last().position == later.position


def _change(events):
    tamper(
        "croydon",
        f"UPDATE croydon.{TABLE} SET actor_label = 'someone else' WHERE id = %s",
        [events[1].id],
    )
    return events[1].position, events[1].id


def _delete(events):
    tamper("croydon", f"DELETE FROM croydon.{TABLE} WHERE id = %s", [events[1].id])
    return events[1].position, events[2].id


def _forge(events):
    head = events[-1]
    with triggers_off("croydon"), connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO croydon.{TABLE} ("position", occurred_at, previous_hash, hash, '
            "request_id, host, partnership_key, actor_type, actor_label, actor_role, action, "
            "object_type, object_ref, detail) VALUES (%s, '2001-01-01T00:00:00Z', %s, %s, "
            "'', '', 'croydon', 'system', 'forger', '', 'referral.viewed', '', '', '{}') "
            "RETURNING id",
            [head.position + 1, head.hash, "e" * 64],
        )
        return head.position + 1, cursor.fetchone()[0]


@pytest.mark.parametrize(
    "tampering", [_change, _delete, _forge], ids=["changed", "deleted", "forged"]
)
def test_the_daily_job_emails_the_operators_when_a_trail_breaks(world, daily, tampering):
    events = [record(world.croydon, f"test.{n}") for n in range(3)]
    record(world.lewisham)
    position, row_id = tampering(events)
    daily()
    (alert,) = mail.outbox
    assert alert.to == ["operators@platform.example", "oncall@platform.example"]
    assert "croydon" in alert.subject
    assert f"position {position} (row {row_id})" in alert.body
    # The broken trail gets no new checkpoint; the intact one does.
    assert not AuditCheckpoint.objects.filter(partnership=world.croydon).exists()
    assert AuditCheckpoint.objects.filter(partnership=world.lewisham).exists()


def test_the_daily_job_notices_a_deleted_row_and_a_rewritten_trail(world, daily):
    events = [record(world.croydon, f"test.{n}") for n in range(3)]
    daily()
    assert mail.outbox == []
    tamper("croydon", f"DELETE FROM croydon.{TABLE} WHERE id = %s", [events[0].id])
    _reseal_everything("croydon")
    # Renumbered too, the trail would verify on its own: only the checkpoint tells.
    with triggers_off("croydon"), connection.cursor() as cursor:
        for later in events[1:]:  # one by one, upwards: positions stay unique
            cursor.execute(
                f'UPDATE croydon.{TABLE} SET "position" = "position" - 1 WHERE id = %s',
                [later.id],
            )
    _reseal_everything("croydon")
    daily()
    (alert,) = mail.outbox
    assert "checkpoint" in alert.body
