"""Uploaded files (tenants/files.py), the one way referral attachments, review documents, action
evidence and publication documents are taken in, stored and read back."""

from pathlib import Path

import pytest
from django.conf import settings

from casework.models import ActionUpdate, Attachment
from tenants.files import (
    DOCUMENTS,
    DOCUMENTS_AND_IMAGES,
    DOCX,
    JPEG,
    MB,
    PDF,
    PNG,
    StoredFileAltered,
    UploadedFile,
    content_type_sniff,
    stored_file_fields,
    stored_file_read,
    stored_file_save,
    upload_problem,
)
from tests.support.documents import pdf, word
from tests.support.world import inside

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("report.pdf", pdf("A report."), PDF),
        ("REPORT.PDF", pdf("A report."), PDF),
        ("notes.docx", word("Some notes."), DOCX),
        ("photo.png", PNG_BYTES, PNG),
        ("photo.jpeg", JPEG_BYTES, JPEG),
        ("photo.jpg", JPEG_BYTES, JPEG),
        # By content: a name alone proves nothing, and the name must agree with the content.
        ("report.pdf", b"MZ\x90\x00 an executable", None),
        ("report.pdf", PNG_BYTES, None),
        ("photo.png", pdf("A report."), None),
        ("report", pdf("A report."), None),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 64 + b"xl/workbook.xml", None),
    ],
)
def test_a_file_is_known_by_its_content_and_a_name_that_agrees(name, content, expected):
    assert content_type_sniff(content, name) == expected


def test_what_is_wrong_with_an_upload_is_said_in_one_order_and_one_wording():
    def problem(upload, accepted=DOCUMENTS, max_bytes=MB):
        return upload_problem(
            upload, accepted=accepted, described="PDF or Word document", max_bytes=max_bytes
        )

    assert problem(UploadedFile("a.pdf", b"")) == ("", "a.pdf is empty.")
    assert problem(UploadedFile("a.pdf", b"%PDF-" + b"0" * MB)) == (
        "",
        "a.pdf is larger than 1 MB.",
    )
    assert problem(UploadedFile("a.pdf", b"%PDF-1.7 and more"), max_bytes=10) == (
        "",
        "a.pdf is larger than 10 bytes.",
    )
    assert problem(UploadedFile("a.png", PNG_BYTES)) == (
        "",
        "a.png is not a PDF or Word document, or its contents do not match its name.",
    )
    assert problem(UploadedFile("a.png", PNG_BYTES), accepted=DOCUMENTS_AND_IMAGES) == (PNG, "")


def test_a_file_is_stored_under_a_random_name_in_the_partnerships_folder(croydon):
    upload = UploadedFile("Child A - police report.pdf", pdf("A report."))
    with inside(croydon):
        attachment = Attachment(uploaded_by="test", **stored_file_fields(upload, PDF))
        stored_file_save(attachment.file, name=attachment.uuid, upload=upload)
        assert attachment.original_name == "Child A - police report.pdf"
        assert (attachment.size, attachment.content_type) == (len(upload.content), PDF)
        assert attachment.file.name == f"referrals/{attachment.uuid}.pdf"
        where = Path(attachment.file.path)
        assert where == Path(settings.MEDIA_ROOT) / croydon.schema_name / attachment.file.name
        assert stored_file_read(attachment.file, sha256=attachment.sha256) == upload.content


def test_a_stored_file_changed_since_is_never_read_back(croydon, caplog):
    upload = UploadedFile("report.pdf", pdf("The report as uploaded."))
    with inside(croydon):
        attachment = Attachment(uploaded_by="test", **stored_file_fields(upload, PDF))
        stored_file_save(attachment.file, name=attachment.uuid, upload=upload)
        Path(attachment.file.path).write_bytes(pdf("Written over afterwards."))
        with pytest.raises(StoredFileAltered):
            stored_file_read(attachment.file, sha256=attachment.sha256)
    assert "differs from the one recorded" in caplog.text


def test_evidence_keeps_the_extension_it_was_sent_with(croydon):
    upload = UploadedFile("photo.JPG", JPEG_BYTES)
    with inside(croydon):
        update = ActionUpdate(evidence_name=upload.name, evidence_type=JPEG)
        stored_file_save(update.evidence, name=update.uuid, upload=upload)
        assert update.evidence.name == f"evidence/{update.uuid}.jpg"
