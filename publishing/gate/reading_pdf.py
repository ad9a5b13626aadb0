"""Reading a PDF for the gate with PDFium (pypdfium2), page by page, in the gate's Celery task
only (in a bounded child process): text, annotations, form fields, OCR of what has no text
layer, bookmarks and embedded files' names; the document information and XMP metadata by pypdf
(``pdf_objects``)."""

import threading
from collections.abc import Callable

from publishing.gate.extraction import Extraction, UnreadableDocument
from publishing.gate.ocr import OcrRule, needs_ocr, read_page
from publishing.gate.pdf_objects import pdf_metadata

# PDFium is not thread-safe: one document at a time in a process, whatever the worker pool.
_PDFIUM = threading.Lock()

# PDFium ends its lines with \r\n; and where a line ends in a hyphen after a letter it drops the
# line break and gives the hyphen as U+FFFE (U+0002 from its bounded-text call), whether it was
# typed (Smith-Jones) or the typesetter's (Oka-for, when it draws an ASCII hyphen). Put back the
# hyphen and the line break, as pypdf read them, so the matcher offers the word whole and in its
# halves.
_PDFIUM_HYPHEN = str.maketrans({"\ufffe": "-\n", "\x02": "-\n"})


def _pdfium_text(raw: str) -> str:
    """A page's text from PDFium, with the line breaks and hyphens pypdf would give."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").translate(_PDFIUM_HYPHEN)


def _utf16(buffer, length: int) -> str:
    """A string PDFium wrote as UTF-16LE into ``buffer`` (``length`` bytes with the final NUL)."""
    import ctypes

    return ctypes.string_at(buffer, max(length - 2, 0)).decode("utf-16-le", "replace")


def _pdfium_string(call, *args) -> str:
    """A string from a PDFium call that takes (…, buffer, buffer length) and returns the length
    it needs."""
    import ctypes

    needed = call(*args, None, 0)
    if needed <= 2:
        return ""
    buffer = ctypes.create_string_buffer(needed)
    call(*args, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), needed)
    return _utf16(buffer, needed)


# What a reader calls each kind of annotation (PDF 2.0, 12.5.6), for the finding's location.
ANNOTATION_NAMES = {
    "Text": "sticky note",
    "FreeText": "text box",
    "Popup": "pop-up note",
    "Widget": "form field",
    "FileAttachment": "attached file",
    "Highlight": "highlight",
    "Underline": "comment",
    "StrikeOut": "comment",
    "Squiggly": "comment",
    "Stamp": "stamp",
    "Ink": "drawing",
    "Link": "link",
}
ANNOTATION_KEYS = ("Contents", "T", "Subj", "TU")


def _annotation_subtype(annotation) -> str:
    import pypdfium2.raw as pdfium_c

    subtype = pdfium_c.FPDFAnnot_GetSubtype(annotation)
    for name in ANNOTATION_NAMES:
        if getattr(pdfium_c, f"FPDF_ANNOT_{name.upper()}", None) == subtype:
            return name
    return ""


def page_annotations(document, page) -> list[tuple[str, str]]:
    """(kind, text) of each annotation on ``page``: its contents, author and subject, a form
    field's value, an attached file's name."""
    import pypdfium2.raw as pdfium_c

    found = []
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annotation = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annotation:
            continue
        try:
            subtype = _annotation_subtype(annotation)
            values = [
                _pdfium_string(pdfium_c.FPDFAnnot_GetStringValue, annotation, key.encode())
                for key in ANNOTATION_KEYS
            ]
            if subtype == "Widget" and document.formenv is not None:
                values.append(
                    _pdfium_string(
                        pdfium_c.FPDFAnnot_GetFormFieldValue, document.formenv.raw, annotation
                    )
                )
            if subtype == "FileAttachment":
                attached = pdfium_c.FPDFAnnot_GetFileAttachment(annotation)
                if attached:
                    values.append(_pdfium_string(pdfium_c.FPDFAttachment_GetName, attached))
            text = "\n".join(dict.fromkeys(value for value in values if value.strip()))
            if text:
                found.append((ANNOTATION_NAMES.get(subtype, "annotation"), text))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annotation)
    return found


def _read_page(
    document, index: int, result: Extraction, rule: OcrRule, tesseract: list[bool]
) -> None:
    """One page into ``result``: its text, its annotations, and what OCR reads on it when its
    drawn content is not covered by text (``ocr.needs_ocr``). A page PDFium cannot load counts
    as unreadable: nothing on it can be checked."""
    import pypdfium2 as pdfium

    where = f"page {index + 1}"
    try:
        page = document[index]
    except pdfium.PdfiumError:
        result.cannot_read(where, "it cannot be read")
        return
    try:
        textpage = page.get_textpage()
        try:
            # Every character on the page, wherever it is drawn: the bounded call would leave
            # out text placed outside the page's box, which is still in the file.
            text = _pdfium_text(textpage.get_text_range())
            has_text = bool(text.strip())
            if has_text:
                result.add(where, text)
            ocr_it = needs_ocr(page, textpage, has_text, rule)
        finally:
            textpage.close()
        for kind, annotation in page_annotations(document, page):
            result.add(f"{kind} on {where}", annotation)
        if ocr_it:
            _ocr(page, where, has_text, result, rule, tesseract)
    except pdfium.PdfiumError:
        result.cannot_read(where, "it cannot be read")
    finally:
        page.close()


def _ocr(page, where: str, has_text: bool, result: Extraction, rule, tesseract) -> None:
    if not tesseract[0]:
        result.cannot_read(where, "it needs OCR, and Tesseract is not installed here")
        return
    try:
        reading = read_page(page, rule)
    except OSError:
        tesseract[0] = False
        result.cannot_read(where, "it needs OCR, and Tesseract is not installed here")
        return
    result.add_words(f"{where} (read by OCR)", reading.words, reading.lines)
    if reading.confidence is None:
        if not has_text:
            result.cannot_read(where, "no text can be read on it, by OCR either")
    elif reading.confidence < rule.min_confidence:
        result.cannot_read(
            where,
            f"OCR read it with {reading.confidence:.0f}% confidence, below the "
            f"{rule.min_confidence}% needed to trust it",
        )


def document_extras(document) -> list[tuple[str, str]]:
    """(location, text) of what a PDF carries beside its pages, as PDFium reads it: bookmark
    titles and embedded files' names and descriptions."""
    found = []
    titles = []
    for bookmark in document.get_toc(max_depth=32):
        title = bookmark.get_title()
        if title.strip():
            titles.append(title)
    if titles:
        found.append(("bookmarks", "\n".join(titles)))
    for index in range(document.count_attachments()):
        attachment = document.get_attachment(index)
        described = [attachment.get_name(), attachment.get_desc() or ""]
        found.append(("an embedded file's name", "\n".join(v for v in described if v.strip())))
    return found


def extract_pdf(
    content: bytes,
    progress: Callable[[int, int], None],
    max_pages: int | None,
    rule: OcrRule | None = None,
) -> Extraction:
    """Everything a reader of the PDF could see or copy: each page's text (read by PDFium, ~2 ms
    a page), its annotations and form fields' values, and OCR of what is drawn without a text
    layer (``publishing.gate.ocr``); then bookmarks, embedded files' names, the document
    information (every key) and the XMP metadata. PDFium is C code reading an untrusted file:
    it runs only in the gate's Celery task, in a child process with bounded memory and time
    (``limits.run_bounded``); the file is one that passed ``inspect`` at upload (at most 25 MB),
    and every document and page opened is closed again."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    rule = rule or OcrRule()
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
            # Form fields' values are read through the form environment, opened before pages.
            document.init_forms()
            result = Extraction(pages=pages)
            tesseract = [True]
            for number in range(1, pages + 1):
                _read_page(document, number - 1, result, rule, tesseract)
                progress(number, pages)
            for location, text in document_extras(document):
                result.add(location, text)
        finally:
            document.close()
    metadata, problem = pdf_metadata(content)
    for location, text in metadata:
        result.add(location, text)
    if problem:
        result.cannot_read("document properties", problem)
    return result
