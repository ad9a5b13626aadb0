"""Files people upload: a referral's attachments, a review's documents and an action's evidence,
a publication's documents. One way to take them in and give them back:

- accepted by what they contain, not by their name alone: the first bytes must be those of a type
  the place accepts, and the name's extension must agree (a renamed executable is refused);
- stored under a random name (the record's UUID) in the partnership's own folder
  (``TenantFileSystemStorage``: ``MEDIA_ROOT/<schema>/<place>/``), never the name it came with,
  so no address can be guessed; the original name is kept only to offer it back on download;
- fingerprinted with SHA-256 when stored, and read back verified where what is served must be
  byte for byte what was checked (a publication's documents, after the anonymisation gate).

Files are served only through permission-checked, audited views, never from a public address.
"""

import hashlib
import logging
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Max
from django.db.models.fields.files import FieldFile

from tenants.validation import error_add

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"
DOCUMENTS = frozenset({PDF, DOCX})
DOCUMENTS_AND_IMAGES = frozenset({PDF, DOCX, PNG, JPEG})
MB = 1024 * 1024


@dataclass
class UploadedFile:
    """A file as it arrived (from a form or an API body): the name it came with, its bytes."""

    name: str
    content: bytes

    @property
    def extension(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""


class StoredFileAltered(Exception):
    """A stored file no longer has the SHA-256 recorded when it was stored: it is never served."""


def content_type_sniff(content: bytes, name: str) -> str | None:
    """The file's real type from its first bytes, if it is one the platform accepts (PDF, Word
    .docx, PNG, JPEG) and the extension of ``name`` agrees; else None."""
    extension = UploadedFile(name, b"").extension
    if content.startswith(b"%PDF-") and extension == "pdf":
        return PDF
    if content.startswith(b"PK\x03\x04") and extension == "docx" and b"word/" in content[:4096]:
        return DOCX
    if content.startswith(b"\x89PNG\r\n\x1a\n") and extension == "png":
        return PNG
    if content.startswith(b"\xff\xd8\xff") and extension in ("jpg", "jpeg"):
        return JPEG
    return None


def size_text(size: int) -> str:
    """A limit in the words of the messages: whole megabytes ("25 MB"), else bytes."""
    return f"{size // MB} MB" if size >= MB else f"{size} bytes"


def upload_problem(
    upload: UploadedFile, *, accepted: frozenset[str], described: str, max_bytes: int
) -> tuple[str, str]:
    """``(content type, "")`` when the place accepts ``upload``; else ``("", what is wrong)``, in
    the words shown to the person: empty, then too large, then not of an ``accepted`` type
    (``described`` names those types, e.g. "PDF or Word (.docx) document")."""
    if not upload.content:
        return "", f"{upload.name} is empty."
    if len(upload.content) > max_bytes:
        return "", f"{upload.name} is larger than {size_text(max_bytes)}."
    content_type = content_type_sniff(upload.content, upload.name)
    if content_type not in accepted:
        return "", (f"{upload.name} is not a {described}, or its contents do not match its name.")
    return content_type, ""


@dataclass(frozen=True)
class Uploads:
    """What one place takes: the types it accepts, named in the messages as ``described``. Its
    size limit is the caller's, read when it checks (a setting, or a test's smaller one)."""

    accepted: frozenset[str]
    described: str

    def check(self, errors: dict, field: str, upload: UploadedFile, *, max_bytes: int) -> str:
        """The upload's content type; "" with what is wrong added to ``errors`` under ``field``
        when this place does not take it (``upload_problem``)."""
        content_type, problem = upload_problem(
            upload, accepted=self.accepted, described=self.described, max_bytes=max_bytes
        )
        if problem:
            error_add(errors, field, problem)
        return content_type


def stored_file_fields(upload: UploadedFile, content_type: str) -> dict:
    """What a stored-file record keeps of the upload: its original name (to offer it back),
    its type as sniffed, its size and its SHA-256."""
    return {
        "original_name": upload.name[:255],
        "content_type": content_type,
        "size": len(upload.content),
        "sha256": hashlib.sha256(upload.content).hexdigest(),
    }


def stored_file_save(file: FieldFile, *, name: uuid.UUID, upload: UploadedFile) -> None:
    """Write the upload's bytes to the record's file field under a random name (the record's
    UUID) in the partnership's own folder. The record itself is saved by the caller."""
    file.save(f"{name}.{upload.extension}", ContentFile(upload.content), save=False)


def stored_file_keep(record: models.Model, *, upload: UploadedFile, content_type: str):
    """Keep ``upload`` as ``record`` (an attachment, a document: a model with ``uuid``, ``file``
    and the fields of ``stored_file_fields``): its fields filled, its bytes written under a
    random name, the record saved. Returns the record."""
    for name, value in stored_file_fields(upload, content_type).items():
        setattr(record, name, value)
    stored_file_save(record.file, name=record.uuid, upload=upload)
    record.save()
    return record


def version_next(versions: models.QuerySet) -> int:
    """The number of the next version of a document kept in versions (1 for the first)."""
    return (versions.aggregate(last=Max("version"))["last"] or 0) + 1


def stored_file_read(file: FieldFile, *, sha256: str) -> bytes:
    """The stored bytes, if they still have the SHA-256 recorded; else StoredFileAltered
    (logged, never served)."""
    with file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != sha256:
        logger.error("Stored file %s differs from the one recorded", file.name)
        raise StoredFileAltered(file.name)
    return content
