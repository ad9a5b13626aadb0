"""The anonymisation gate in the services: what it finds beyond a page's text layer, what it
refuses at upload, and what stops it reading a file that would exhaust the machine — in
Croydon's schema."""

import os

import pytest
from django.core.exceptions import ValidationError

from publishing import selectors, services
from publishing.models import GateOutcome, GateRun, PublicationDocument
from tests.conftest import inside
from tests.documents import (
    active_pdf,
    annotated_pdf,
    scanned_text_pdf,
    word,
    word_bomb,
    word_with_macros,
)
from tests.test_publishing import (  # noqa: F401 - fixtures
    FAMILY,
    GIVEN,
    publication,
    review,
    run_tasks,
    upload,
)

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
    monkeypatch.setattr(services, "gate_limits", lambda: services.gate.Limits(memory_mb=8))
    document = upload(world, run_tasks, publication, content, name="report.docx")
    run = latest(world, publication, document)
    assert run.outcome == GateOutcome.UNREADABLE
    assert run.message == "reading it needed more than 8 MB of memory."
