"""Reading a document: what the gate checks at upload (``inspect``) and reads in its task
(``extract``)."""

import io
from collections.abc import Callable

from publishing.gate.extraction import DOCX, PDF, Extraction, UnreadableDocument
from publishing.gate.reading_pdf import extract_pdf, pdf_reader
from publishing.gate.reading_word import DOCX_TEXT_PARTS, docx_parts, extract_docx


def inspect(content: bytes, content_type: str) -> int:
    """The number of pages (PDF) or parts (Word) of a document, or ``UnreadableDocument``. Used
    when a document is uploaded: a file the gate could not read is refused there and then."""
    if content_type == PDF:
        return len(pdf_reader(content).pages)
    if content_type == DOCX:
        archive = docx_parts(content)
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
) -> Extraction:
    """The document's text, page by page (PDF) or part by part (Word), and its properties. A
    PDF with more than ``max_pages`` pages is refused."""
    progress = progress or (lambda done, total: None)
    if content_type == PDF:
        return extract_pdf(content, progress, max_pages)
    if content_type == DOCX:
        return extract_docx(content, progress)
    raise UnreadableDocument("it is not a PDF or a Word (.docx) document")
