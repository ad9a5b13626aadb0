"""A PDF's objects as pypdf reads them (pure Python: safe in the web process): its document
information and XMP metadata, for the gate to read; and the active content that refuses an
upload.

**Active content** (``pdf_active_content``), refused at upload because public pages serve PDFs
inline, in the reader's browser: JavaScript (a ``/JS`` entry or a ``/JavaScript`` action
anywhere it can run: the ``/JavaScript`` name tree, ``/OpenAction``, additional actions ``/AA``
of the document, pages, annotations and form fields, annotations' and bookmarks' ``/A``
actions and the ``/Next`` actions they chain to), ``/Launch`` actions (which start a program or
open a file), and embedded files (the ``/EmbeddedFiles`` name tree, file attachment
annotations, any ``/EF`` file specification), and XFA forms (whose XML can carry scripts).
The walk is bounded (``MAX_OBJECTS``): a file
whose structure is larger than that is refused too.
"""

import io
from xml.etree import ElementTree

from publishing.gate.extraction import ActiveContent, UnreadableDocument

MAX_OBJECTS = 200_000
# Keys whose values cannot run anything (content, fonts, the structure tree) or lead back up
# the tree: not followed.
SKIPPED_KEYS = {"/Contents", "/Resources", "/Font", "/Parent", "/P", "/Dest", "/StructTreeRoot"}


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


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1", "replace")
    return str(value)


def _xmp_values(data: bytes) -> list[str]:
    root = ElementTree.fromstring(data)  # noqa: S314 - entities are not expanded by expat's default
    values = []
    for node in root.iter():
        values += [value for value in node.attrib.values() if value.strip()]
        if node.text and node.text.strip():
            values.append(node.text.strip())
    return values


def pdf_metadata(content: bytes) -> tuple[list[tuple[str, str]], str]:
    """(location, text) of the document information (every key, as "Key: value") and of the
    XMP metadata (every value and attribute); and, when they cannot be read, why (so the gate
    does not pass them unread)."""
    from pypdf import PdfReader

    found: list[tuple[str, str]] = []
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        info = reader.trailer.get("/Info")
        info = info.get_object() if info is not None else {}
        for key, value in info.items():
            found.append(("document properties", f"{str(key).lstrip('/')}: {_text(value)}"))
        metadata = reader.root_object.get("/Metadata")
        if metadata is not None:
            values = _xmp_values(metadata.get_object().get_data())
            if values:
                found.append(("XMP metadata", "\n".join(values)))
    except Exception:  # pypdf and expat raise many kinds on a damaged file
        return found, "its document information or XMP metadata cannot be read"
    return found, ""


def _name(value) -> str:
    return str(value) if value is not None else ""


def pdf_active_content(reader) -> list[str]:
    """What in the PDF runs or hides a file, in a person's words (empty: nothing)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: dict[str, None] = {}
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer.get("/Root")]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            found["a structure too large to check for scripts"] = None
            break
        if isinstance(item, ArrayObject):
            stack.extend(item)
            continue
        if not isinstance(item, DictionaryObject):
            continue
        action = _name(item.get("/S"))
        if "/JS" in item or action == "/JavaScript":
            found["JavaScript"] = None
        if action == "/Launch":
            found["a Launch action (it can start a program)"] = None
        if "/EF" in item or _name(item.get("/Type")) == "/EmbeddedFile":
            found["an embedded file"] = None
        if _name(item.get("/Subtype")) == "/FileAttachment":
            found["a file attachment"] = None
        if "/EmbeddedFiles" in item:
            found["an embedded file"] = None
        if "/JavaScript" in item and _name(item.get("/Type")) != "/Action":
            found["JavaScript"] = None
        if "/XFA" in item:
            found["an XFA form (it can carry scripts)"] = None
        # Content streams and fonts cannot run anything: skip them; follow everything else.
        for key, value in item.items():
            if key in SKIPPED_KEYS:
                continue
            stack.append(value)
    return list(found)


def pdf_refuse_active_content(reader) -> None:
    found = pdf_active_content(reader)
    if found:
        raise ActiveContent(
            "it contains "
            + ", ".join(found)
            + ". Public pages open PDFs in the reader's browser: save it again without them"
        )
