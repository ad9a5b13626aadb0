"""The anonymisation gate in the services: what it finds beyond a page's text layer, what it
refuses at upload, and what stops it reading a file that would exhaust the machine — in
Croydon's schema."""

import datetime
import os

import pytest
from django.core.exceptions import ValidationError

from publishing import gate, selectors, services
from publishing.models import GateOutcome, GateRun, GateState, PublicationDocument
from publishing.services import documents as document_services
from tenants.agencies.models import AuditEvent
from tests.support.actors import system
from tests.support.documents import (
    active_pdf,
    annotated_pdf,
    scanned_text_pdf,
    word,
    word_bomb,
    word_with_macros,
)
from tests.support.publications import FAMILY, GIVEN, upload
from tests.support.world import inside

pytestmark = pytest.mark.django_db


def latest(world, publication, document):
    with inside(world.croydon):
        return selectors.latest_run(publication=publication, document=document)


def test_a_sticky_note_naming_the_child_is_a_finding(world, publication, run_tasks):
    document = upload(
        world, run_tasks, publication, annotated_pdf(f"Ask {GIVEN} {FAMILY}'s mother first")
    )
    run = latest(world, publication, document)
    with inside(world.croydon):
        assert run.outcome == GateOutcome.HITS
        hit = run.hits.get()
        assert (hit.location, hit.matched) == ("sticky note on page 1", f"{GIVEN} {FAMILY}")


def test_a_scanned_report_naming_the_child_is_a_finding_with_where_on_the_page(
    world, publication, run_tasks
):
    content = scanned_text_pdf(f"The health visitor saw {GIVEN} {FAMILY} at home.")
    document = upload(world, run_tasks, publication, content)
    run = latest(world, publication, document)
    with inside(world.croydon):
        assert run.outcome == GateOutcome.HITS, run.message
        hit = run.hits.get()
        assert hit.location == "page 1 (read by OCR)"
        assert len(hit.box) == 4
        assert hit.where.startswith("page 1 (read by OCR), ")
        assert hit.where.endswith("mm from the top")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (lambda: active_pdf("open action"), "report.pdf", "contains JavaScript"),
        (lambda: active_pdf("launch"), "report.pdf", "contains a Launch action"),
        (lambda: active_pdf("attachment"), "report.pdf", "contains an embedded file"),
        (lambda: word_with_macros(), "report.docx", "contains Word macros"),
        (lambda: word_bomb(150), "report.docx", "zip bomb"),
    ],
)
def test_active_content_and_zip_bombs_are_refused_at_upload(
    world, publication, run_tasks, content, name, message
):
    with inside(world.croydon):
        with pytest.raises(ValidationError, match=message) as refused:
            upload(world, run_tasks, publication, content(), name=name)
        assert f"{name} cannot be used: " in str(refused.value)
        assert not PublicationDocument.objects.exists()
        assert not GateRun.objects.filter(document__isnull=False).exists()


def test_a_file_that_needs_more_memory_than_allowed_cannot_be_checked(
    world, publication, run_tasks, monkeypatch
):
    # A 20 MB Word document (letters at random: no name, no number), within every cap of the
    # archive, read with the real limit (the reading child's RLIMIT_AS) set lower than that.
    letters = str.maketrans("0123456789", "ghijklmnop")
    content = word(*[os.urandom(5000).hex().translate(letters) for _ in range(2000)])
    monkeypatch.setattr(document_services, "gate_limits", lambda: gate.Limits(memory_mb=8))
    document = upload(world, run_tasks, publication, content, name="report.docx")
    run = latest(world, publication, document)
    assert run.outcome == GateOutcome.UNREADABLE
    assert run.message == "reading it needed more than 8 MB of memory."


class TestTheSweeper:
    """Runs whose worker died are sent again, then given up; the real worker's death is in
    tests/safeguard/test_celery.py."""

    def stuck(self, world, publication, run_tasks, **fields):
        from django.utils import timezone

        document = upload(world, run_tasks, publication, annotated_pdf("A note"))
        with inside(world.croydon):
            run = selectors.latest_run(publication=publication, document=document)
            long_ago = timezone.now() - datetime.timedelta(hours=2)
            values = {
                "state": GateState.RUNNING,
                "outcome": GateOutcome.PENDING,
                "started_at": long_ago,
                "heartbeat_at": long_ago,
                "queued_at": long_ago,
                "attempts": 1,
                "progress": 40,
            }
            values.update(fields)
            GateRun.objects.filter(pk=run.pk).update(**values)
            run.hits.all().delete()
        return run

    def sweep(self, world, run_tasks):
        with inside(world.croydon):
            return run_tasks(services.gate_runs_sweep, actor=system(world.croydon))

    def test_a_run_left_running_by_a_dead_worker_is_sent_again_and_finishes(
        self, world, publication, run_tasks
    ):
        run = self.stuck(world, publication, run_tasks)
        assert self.sweep(world, run_tasks) == {"sent_again": 1, "given_up": 0}
        with inside(world.croydon):
            run.refresh_from_db()
            assert (run.state, run.outcome, run.attempts) == (
                GateState.DONE,
                GateOutcome.CLEAR,
                2,
            )
            assert AuditEvent.objects.filter(action="gate.sent_again").count() == 1

    def test_a_run_shows_it_is_alive_as_it_reads(self, world, publication, run_tasks):
        document = upload(world, run_tasks, publication, annotated_pdf("A note"))
        run = latest(world, publication, document)
        assert run.started_at <= run.heartbeat_at <= run.finished_at

    def test_a_run_queued_and_never_started_is_sent_again(self, world, publication, run_tasks):
        run = self.stuck(world, publication, run_tasks, state=GateState.QUEUED, attempts=0)
        assert self.sweep(world, run_tasks)["sent_again"] == 1
        with inside(world.croydon):
            run.refresh_from_db()
            assert run.state == GateState.DONE and run.attempts == 1

    def test_a_long_run_that_still_shows_progress_is_left_alone(
        self, world, publication, run_tasks, django_capture_on_commit_callbacks
    ):
        from django.utils import timezone

        # Started two hours ago (a long scan under OCR), its last page read a minute ago.
        run = self.stuck(
            world,
            publication,
            run_tasks,
            heartbeat_at=timezone.now() - datetime.timedelta(minutes=1),
        )
        assert self.sweep(world, run_tasks) == {"sent_again": 0, "given_up": 0}
        with inside(world.croydon):
            run.refresh_from_db()
            assert run.state == GateState.RUNNING

    def test_a_run_started_three_times_is_given_up_as_cannot_be_checked(
        self, world, publication, run_tasks, monkeypatch
    ):
        run = self.stuck(world, publication, run_tasks, attempts=3)
        monkeypatch.setattr(gate, "extract_bounded", lambda *a, **k: pytest.fail("read"))
        assert self.sweep(world, run_tasks) == {"sent_again": 0, "given_up": 1}
        with inside(world.croydon):
            run.refresh_from_db()
            assert (run.state, run.outcome) == (GateState.DONE, GateOutcome.UNREADABLE)
            assert "started 3 times and never finished" in run.message

    def test_sweeping_twice_sends_a_run_once(
        self, world, publication, run_tasks, django_capture_on_commit_callbacks
    ):
        run = self.stuck(world, publication, run_tasks)
        with inside(world.croydon):
            # The worker is still down: nothing runs what is sent.
            with django_capture_on_commit_callbacks(execute=False) as sent:
                first = services.gate_runs_sweep(actor=system(world.croydon))
                second = services.gate_runs_sweep(actor=system(world.croydon))
            assert (first["sent_again"], second["sent_again"]) == (1, 0)
            assert len(sent) == 1
            run.refresh_from_db()
            assert run.state == GateState.QUEUED and run.attempts == 1

    def test_the_sweeper_is_on_the_beat_schedule_for_every_partnership(self):
        from django.conf import settings

        entry = settings.CELERY_BEAT_SCHEDULE["gate-sweeper"]
        assert entry["task"] == "tenants.tasks.partnerships_fan_out"
        assert entry["args"] == ["publishing.tasks.gate_runs_sweep_task"]
        # Far longer than a live task goes without showing progress.
        assert settings.GATE_SWEEP_AFTER_SECONDS >= 20 * services.HEARTBEAT_SECONDS
