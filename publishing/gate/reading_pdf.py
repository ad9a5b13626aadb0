"""Reading a PDF for the gate: PDFium (pypdfium2) page by page, in the gate's Celery task only;
and pypdf's reading of an upload in the web process."""

import io
import threading
from collections.abc import Callable

from publishing.gate.extraction import Extraction, UnreadableDocument


def pdf_reader(content: bytes):
    """pypdf's reading of an upload: pure Python, so the web process that receives the file
    never runs a C parser on it (PDFium reads the text later, in the gate's Celery task)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        encrypted = reader.is_encrypted
        pages = len(reader.pages) if not encrypted else 0
    except (PdfReadError, ValueError, TypeError, KeyError, OSError, RecursionError) as error:
        raise UnreadableDocument("it is not a readable PDF") from error
    if encrypted:
        raise UnreadableDocument("it is encrypted or password-protected")
    if pages == 0:
        raise UnreadableDocument("it has no pages")
    return reader


# PDFium is not thread-safe: one document at a time in a process, whatever the worker pool.
_PDFIUM = threading.Lock()
# PDFium ends its lines with \r\n; and where a line ends in a hyphen after a letter it drops the
# line break and gives the hyphen as U+FFFE (U+0002 from its bounded-text call), whether it was
# typed (Smith-Jones) or the typesetter's (Oka-for, when it draws an ASCII hyphen). Put back the
# hyphen and the line break, as pypdf read them, so the matcher offers the word whole and in its
# halves.
_PDFIUM_HYPHEN = str.maketrans({"\ufffe": "-\n", "\x02": "-\n"})
PDF_PROPERTIES = ("Title", "Author", "Subject", "Keywords")


def _pdfium_text(raw: str) -> str:
    """A page's text from PDFium, with the line breaks and hyphens pypdf would give."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").translate(_PDFIUM_HYPHEN)


def _pdfium_page(document, index: int) -> tuple[str, bool]:
    """(text, has pictures) of one page. A page PDFium cannot read counts as a picture: nothing
    on it can be checked."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        page = document[index]
    except pdfium.PdfiumError:
        return "", True
    try:
        textpage = page.get_textpage()
        try:
            # Every character on the page, wherever it is drawn: the bounded call would leave
            # out text placed outside the page's box, which is still in the file.
            text = _pdfium_text(textpage.get_text_range())
        finally:
            textpage.close()
        if text.strip():
            return text, False
        images = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
        return "", next(images, None) is not None
    except pdfium.PdfiumError:
        return "", True
    finally:
        page.close()


def _pdfium_properties(document) -> str:
    import pypdfium2 as pdfium

    values = []
    for key in PDF_PROPERTIES:
        try:
            value = document.get_metadata_value(key)
        except pdfium.PdfiumError:  # damaged properties are no reason to refuse the text
            continue
        if value.strip():
            values.append(value)
    return "\n".join(values)


def extract_pdf(
    content: bytes, progress: Callable[[int, int], None], max_pages: int | None
) -> Extraction:
    """The text of a PDF, read by PDFium (~2 ms a page; pypdf, in Python, took ~85). PDFium is C
    code reading an untrusted file: it runs only here, in the gate's Celery task; the file is one
    that passed ``inspect`` at upload (at most 25 MB), and every document and page opened is
    closed again."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(content)
        except pdfium.PdfiumError as error:
            if error.err_code == pdfium_c.FPDF_ERR_PASSWORD:
                raise UnreadableDocument("it is encrypted or password-protected") from error
            raise UnreadableDocument("it is not a readable PDF") from error
        try:
            # Refused at upload too (by pypdf); checked again as PDFium sees the file.
            if pdfium_c.FPDF_GetSecurityHandlerRevision(document) != -1:
                raise UnreadableDocument("it is encrypted or password-protected")
            pages = len(document)
            if pages <= 0:
                raise UnreadableDocument("it has no pages")
            if max_pages is not None and pages > max_pages:
                raise UnreadableDocument(f"it has more than {max_pages} pages")
            result = Extraction(pages=pages)
            for number in range(1, pages + 1):
                text, pictures = _pdfium_page(document, number - 1)
                if text.strip():
                    result.add(f"page {number}", text)
                elif pictures:
                    result.unreadable.append(f"page {number}")
                progress(number, pages)
            result.add("document properties", _pdfium_properties(document))
            return result
        finally:
            document.close()
