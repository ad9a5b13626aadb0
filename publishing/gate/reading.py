"""Reading a document: what the gate checks at upload (``inspect``, in the web process: pypdf
and the zip's caps only) and reads in its task (``extract``, and ``extract_bounded``: the same in
a child process with bounded memory and time)."""

import io
from collections.abc import Callable

from publishing.gate.extraction import DOCX, PDF, Extraction, UnreadableDocument
from publishing.gate.limits import ArchiveBudget, Limits, run_bounded
from publishing.gate.ocr import OcrRule
from publishing.gate.pdf_objects import pdf_reader, pdf_refuse_active_content
from publishing.gate.reading_pdf import extract_pdf
from publishing.gate.reading_word import DOCX_TEXT_PARTS, docx_parts, extract_docx


def inspect(content: bytes, content_type: str, limits: Limits | None = None) -> int:
    """The number of pages (PDF) or parts (Word) of a document, or ``UnreadableDocument``
    (``ActiveContent`` for JavaScript, Launch actions, embedded files or macros). Used when a
    document is uploaded: a file the gate could not read, or that carries active content, is
    refused there and then. A Word file is unpacked by streaming, within ``limits``, before
    anything parses it."""
    limits = limits or Limits()
    if content_type == PDF:
        reader = pdf_reader(content)
        pdf_refuse_active_content(reader)
        return len(reader.pages)
    if content_type == DOCX:
        archive = docx_parts(content, limits)
        ArchiveBudget(limits).check_all(archive)
        try:
            import docx

            docx.Document(io.BytesIO(content))
        except Exception as error:  # python-docx raises many kinds on a damaged file
            raise UnreadableDocument("it is not a readable Word document") from error
        return len([name for name in archive.namelist() if DOCX_TEXT_PARTS.match(name)])
    raise UnreadableDocument("it is not a PDF or a Word (.docx) document")


def extract(
    content: bytes,
    content_type: str,
    progress: Callable[[int, int], None] | None = None,
    *,
    max_pages: int | None = None,
    limits: Limits | None = None,
    ocr: OcrRule | None = None,
) -> Extraction:
    """The document's text, page by page (PDF, with OCR where it has none) or part by part
    (Word), and everything else it carries. A PDF with more than ``max_pages`` pages is
    refused. In this process: see ``extract_bounded`` for the gate's own runs."""
    progress = progress or (lambda done, total: None)
    if content_type == PDF:
        return extract_pdf(content, progress, max_pages, ocr)
    if content_type == DOCX:
        return extract_docx(content, progress, limits)
    raise UnreadableDocument("it is not a PDF or a Word (.docx) document")


def extract_bounded(
    content: bytes,
    content_type: str,
    progress: Callable[[int, int], None] | None = None,
    *,
    limits: Limits | None = None,
    **options,
) -> Extraction:
    """``extract`` (with the same ``options``: ``max_pages``, ``ocr``) in a child process with
    at most ``limits.memory_mb`` of memory and ``limits.seconds`` of time
    (``limits.run_bounded``): a file that would exhaust the machine "cannot be checked"
    instead."""
    limits = limits or Limits()
    return run_bounded(
        extract,
        content,
        content_type,
        bounds=limits,
        progress=progress,
        limits=limits,
        **options,
    )
