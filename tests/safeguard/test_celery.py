"""Tenant-aware tasks: they run in a partnership's schema or not at all, fan out over live
partnerships, are sent after commit, and run in a real worker process."""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from safeguard.celery import PartnershipMissing
from safeguard.celery import app as celery_app
from tenants import tasks as tenant_tasks
from tenants.actors import actor_for_platform
from tenants.agencies.models import AgencyApiKey, AuditEvent
from tenants.agencies.tasks import api_keys_revoke_expired_task
from tenants.models import Partnership
from tenants.services import partnership_create
from tests.support.clients import issue_key
from tests.support.database import runtime_process_environment
from tests.support.world import inside, make_agency

TASK = "tenants.agencies.tasks.api_keys_revoke_expired_task"


@pytest.mark.django_db
def test_a_partnership_task_sent_without_a_partnership_raises(world):
    assert connection.schema_name == "public"
    with pytest.raises(PartnershipMissing):
        api_keys_revoke_expired_task.apply(throw=True)
    with pytest.raises(PartnershipMissing):
        api_keys_revoke_expired_task.delay()


@pytest.mark.django_db
def test_a_partnership_task_runs_in_the_schema_it_was_sent_from(world):
    issue_key(world.croydon, world.met_croydon)
    issue_key(world.lewisham, world.met_lewisham)
    for schema in ("croydon", "lewisham"):
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {schema}.workspace_agencyapikey SET expiry_date = now() - '1d'::interval"
            )
    with inside(world.croydon):
        assert api_keys_revoke_expired_task.delay().get() == 1
        assert AgencyApiKey.objects.get().revoked
    with inside(world.lewisham):
        assert not AgencyApiKey.objects.get().revoked


@pytest.mark.django_db
def test_a_partnership_task_knows_its_partnership_and_acts_there_as_the_platform(world):
    """``PartnershipTask.partnership`` is the partnership of the schema the task runs in, and
    what it does is audited there as the platform, under the task's own id."""
    issue_key(world.lewisham, world.met_lewisham)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE lewisham.workspace_agencyapikey SET expiry_date = now() - '1d'::interval"
        )
    with inside(world.lewisham):
        assert api_keys_revoke_expired_task.partnership == world.lewisham
        task_id = f"task-{uuid.uuid4().hex}"
        assert api_keys_revoke_expired_task.apply(task_id=task_id, throw=True).get() == 1
        row = AuditEvent.objects.get(action="api_key.revoked")
        assert (row.actor_type, row.actor_label) == ("system", "daily API key expiry")
        assert (row.partnership_key, row.request_id) == ("lewisham", task_id)
    with inside(world.croydon):
        assert api_keys_revoke_expired_task.partnership == world.croydon


@pytest.mark.django_db
def test_the_fan_out_sends_once_per_live_partnership_from_inside_its_schema(world, monkeypatch):
    sent = []
    monkeypatch.setattr(
        celery_app, "send_task", lambda name, **kw: sent.append((name, connection.schema_name))
    )
    count = tenant_tasks.partnerships_fan_out.run(TASK)
    schemas = sorted(Partnership.objects.values_list("schema_name", flat=True))
    assert count == len(schemas)
    assert sorted(schema for _, schema in sent) == schemas
    assert settings.TENANT_BASE_SCHEMA not in {schema for _, schema in sent}
    assert {name for name, _ in sent} == {TASK}
    assert connection.schema_name == "public"


@pytest.mark.django_db
def test_the_beat_schedule_names_real_tasks():
    celery_app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks
        for name in entry.get("args", []):
            assert name in celery_app.tasks


@pytest.mark.django_db
def test_a_task_is_sent_only_when_its_transaction_commits(
    world, django_capture_on_commit_callbacks
):
    from tests.support.clients import signed_in_client

    client = signed_in_client(world.alice, world.croydon)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            "/workspace/members/",
            {"email": "later@croydon.example", "full_name": "L", "role": "chair", "agency": ""},
        )
    assert len(callbacks) == 1
    with inside(world.croydon):
        assert not AuditEvent.objects.filter(action="invitation.sent").exists()


@pytest.fixture
def committed_partnership(django_db_setup, django_db_blocker):
    """A partnership whose rows are committed, so another process can see them; dropped after."""
    with django_db_blocker.unblock():
        partnership = partnership_create(key="celery-e2e", name="Celery End-to-End Partnership")
        agency = make_agency(partnership, "Met Police")
        key = issue_key(
            partnership, agency, expires_on=timezone.localdate() + datetime.timedelta(days=1)
        )
        with inside(partnership):
            AgencyApiKey.objects.update(expiry_date=timezone.now() - datetime.timedelta(hours=1))
    yield partnership, key
    with django_db_blocker.unblock():
        partnership.delete(force_drop=True)
        connection.set_schema_to_public()


@pytest.mark.worker
def test_a_real_worker_runs_a_partnership_task_end_to_end(
    committed_partnership, django_db_blocker, monkeypatch
):
    """Against Redis when REDIS_URL is set (CI), else the embedded filesystem broker."""
    partnership, _key = committed_partnership
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    # As the runtime role, as workers run: it must be able to do the task's work.
    env = runtime_process_environment(CELERY_QUEUE=queue)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "safeguard",
            "worker",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with django_db_blocker.unblock():
            # Sent from the public schema: the worker must refuse it and change nothing.
            celery_app.send_task(TASK, queue=queue)
            with tenant_context(partnership):
                celery_app.send_task(TASK, queue=queue)
            connection.set_schema_to_public()
            deadline = time.monotonic() + 60
            revoked = False
            while time.monotonic() < deadline and not revoked:
                with inside(partnership):
                    revoked = AgencyApiKey.objects.get().revoked
                time.sleep(0.3)
            assert revoked, "the worker did not run the task in time"
            with inside(partnership):
                event = AuditEvent.objects.get(action="api_key.revoked")
            assert event.actor_label == "daily API key expiry"
            assert event.detail["reason"] == "expired"
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert "PartnershipMissing" in output, output[-3000:]
    broker = "redis" if os.environ.get("REDIS_URL") else "filesystem"
    assert f"transport:   {broker}" in output or broker in output.split("results:")[0], output[
        :1500
    ]


def _worker(queue: str) -> subprocess.Popen:
    """A real Celery worker process on ``queue``, against the test database and broker."""
    # As the runtime role, as workers run.
    env = runtime_process_environment(CELERY_QUEUE=queue)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "safeguard",
            "worker",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _slow_report() -> bytes:
    """A scanned report of eight small pages: OCR keeps a worker busy on it for seconds."""
    import io

    from pypdf import PdfReader, PdfWriter

    from tests.support.documents import scanned_text_pdf

    writer = PdfWriter()
    for n in range(8):
        writer.append(PdfReader(io.BytesIO(scanned_text_pdf(f"Page {n + 1}: the review."))))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def committed_gate_run(django_db_setup, django_db_blocker, monkeypatch):
    """A partnership with a publication and a scanned report whose gate run is queued, not
    sent, all committed so worker processes can see them; dropped after."""
    from publishing import services as publishing_services
    from publishing import tasks as publishing_tasks
    from publishing.models import GateRun
    from tenants.files import UploadedFile

    monkeypatch.setattr(publishing_tasks, "gate_run_send", lambda run_uuid: None)
    with django_db_blocker.unblock():
        partnership = partnership_create(key="gate-e2e", name="Gate End-to-End Partnership")
        with inside(partnership):
            actor = actor_for_platform(partnership=partnership, label="test")
            publication = publishing_services.publication_enter_directly(
                actor=actor,
                title='Child "J"',
                review_type="lcspr",
                published_on=datetime.date(2020, 1, 6),
            )
            document = publishing_services.document_upload(
                actor=actor,
                publication=publication,
                kind="full_report",
                upload=UploadedFile(name="report.pdf", content=_slow_report()),
            )
            run = GateRun.objects.get(document=document)
    monkeypatch.undo()
    yield partnership, run
    with django_db_blocker.unblock():
        partnership.delete(force_drop=True)
        connection.set_schema_to_public()


def _wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen in {seconds} s")


@pytest.mark.worker
def test_a_gate_run_whose_worker_is_killed_is_swept_and_finished_by_another(
    committed_gate_run, django_db_blocker, monkeypatch, settings
):
    """The worker dies (SIGKILL) mid-check: the run stays 'running'. The sweeper, past its
    deadline, sends it again, and the next worker finishes it."""
    from publishing import services as publishing_services
    from publishing.models import GateOutcome, GateRun, GateState
    from publishing.tasks import gate_run_send

    partnership, run = committed_gate_run
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue

    def state():
        with inside(partnership):
            return GateRun.objects.values("state", "attempts", "outcome").get(pk=run.pk)

    worker = _worker(queue)
    try:
        with django_db_blocker.unblock():
            with inside(partnership):
                gate_run_send(str(run.uuid))
            _wait_for(lambda: state()["state"] == GateState.RUNNING, 90, "the check starting")
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
            time.sleep(2)
            assert state() == {
                "state": GateState.RUNNING,
                "attempts": 1,
                "outcome": GateOutcome.PENDING,
            }
            with inside(partnership):
                actor = actor_for_platform(partnership=partnership, label="test")
                # Now: nothing is stale yet. Past the deadline: the report's run is sent again,
                # and the public record's, queued by the fixture and never sent.
                assert publishing_services.gate_runs_sweep(actor=actor)["sent_again"] == 0
                later = timezone.now() + datetime.timedelta(
                    seconds=settings.GATE_SWEEP_AFTER_SECONDS + 60
                )
                swept = publishing_services.gate_runs_sweep(actor=actor, now=later)
                assert swept == {"sent_again": 2, "given_up": 0}
                assert publishing_services.gate_runs_sweep(actor=actor, now=later) == {
                    "sent_again": 0,
                    "given_up": 0,
                }
            connection.set_schema_to_public()
            worker = _worker(queue)
            finished = _wait_for(
                lambda: (found := state())["state"] == GateState.DONE and found, 120, "the finish"
            )
            assert finished["attempts"] == 2
            assert finished["outcome"] in (GateOutcome.CLEAR, GateOutcome.HITS)
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
