"""``manage.py gate_check PATH [--identifier TEXT]...``: the gate on a file from the command
line, with no database; exit status 0 clear, 1 found, 2 cannot be checked."""

import io

import pytest
from django.core.management import call_command

from tests.support.documents import active_pdf, annotated_pdf, pdf, scanned_pdf, word


def gate_check(tmp_path, name: str, content: bytes, *identifiers: str) -> tuple[int, str]:
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    arguments = [str(path)]
    for value in identifiers:
        arguments += ["--identifier", value]
    with pytest.raises(SystemExit) as exited:
        call_command("gate_check", *arguments, stdout=out)
    return exited.value.code, out.getvalue()


def test_a_clear_file_exits_0(tmp_path):
    status, out = gate_check(tmp_path, "draft.pdf", pdf("Child J was seen."), "Amara Okafor")
    assert (status, out) == (0, "Clear: nothing found.\n")


def test_each_finding_is_printed_with_its_page_and_context_and_exits_1(tmp_path):
    content = pdf("Nothing here.", "The health visitor saw Amara Okafor, born 2012-03-14.")
    status, out = gate_check(tmp_path, "draft.pdf", content, "Amara Okafor", "2012-03-14")
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == ("page 2: A name: The health visitor saw [Amara Okafor], born 2012-03-14.")
    assert lines[1] == (
        "page 2: A date of birth: The health visitor saw Amara Okafor, born [2012-03-14]."
    )
    assert lines[-1] == "Found 2 possible identifiers."


def test_a_sticky_note_and_a_word_file_are_checked_as_uploads_are(tmp_path):
    status, out = gate_check(tmp_path, "draft.pdf", annotated_pdf("Call Amara"), "Amara Okafor")
    assert status == 1 and out.startswith("sticky note on page 1: A name: Call [Amara]")
    status, out = gate_check(tmp_path, "draft.docx", word("Okafor"), "Amara Okafor")
    assert status == 1 and out.startswith("main text, paragraph 1: A name: [Okafor]")


def test_a_page_no_machine_can_read_exits_2(tmp_path):
    status, out = gate_check(tmp_path, "scan.pdf", scanned_pdf())
    assert status == 2
    assert out.startswith("Cannot be checked: page 1: no text can be read on it, by OCR either")


def test_a_file_an_upload_would_refuse_exits_2_with_the_reason(tmp_path):
    status, out = gate_check(tmp_path, "draft.pdf", active_pdf("open action"))
    assert status == 2
    assert "draft.pdf cannot be used: it contains JavaScript" in out
    status, out = gate_check(tmp_path, "notes.txt", b"Amara Okafor")
    assert status == 2 and "is not a PDF or Word (.docx) document" in out


def test_a_missing_file_is_an_error(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("gate_check", str(tmp_path / "missing.pdf"))
