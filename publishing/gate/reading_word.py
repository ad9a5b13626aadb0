"""Reading a Word (.docx) document for the gate: every XML part whose words reach a reader, by
streaming with caps on what the archive unpacks to (``limits.ArchiveBudget``).

Read: the body, headers and footers, footnotes, endnotes and comments (with tracked deletions
and field codes), text boxes and shapes' text (``w:txbxContent``, inside those parts), DrawingML
text (``a:t``: shapes, SmartArt, charts), pictures' alt text and titles (``wp:docPr``
``descr``/``title``), and the document's properties (core, extended and custom). Pictures are
not read by OCR (see the README).
"""

import io
import re
import zipfile
from collections.abc import Callable
from xml.etree import ElementTree

from publishing.gate.extraction import ActiveContent, Extraction, UnreadableDocument
from publishing.gate.limits import ArchiveBudget, Limits

# DOCX parts whose words reach a reader: the body, headers and footers, notes and comments,
# charts and SmartArt; then the document's properties (an author's name is an identifier too).
DOCX_TEXT_PARTS = re.compile(
    r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments"
    r"|charts/chart\d*|diagrams/(data|drawing)\d*)\.xml$"
)
DOCX_PROPERTY_PARTS = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
TEXT_TAGS = {f"{W}t", f"{W}delText", f"{W}instrText", f"{A}t"}
SPACE_TAGS = {f"{W}tab", f"{W}br", f"{W}cr", f"{A}br"}
PARAGRAPH_TAGS = {f"{W}p", f"{A}p"}
XML_ERROR_NO_MEMORY = 1  # expat's code when it runs out of memory
# A part that holds Word macros (VBA), whatever the file is called.
MACRO_TYPES = ("vbaproject", "macroenabled", "vbadata")


def docx_parts(content: bytes, limits: Limits | None = None) -> zipfile.ZipFile:
    """The archive, once it is known to hold a Word document and nothing active."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnreadableDocument("it is not a readable Word document") from error
    if "word/document.xml" not in names:
        raise UnreadableDocument("it is not a Word document")
    docx_refuse_macros(archive, ArchiveBudget(limits or Limits()))
    return archive


def docx_refuse_macros(archive: zipfile.ZipFile, budget: ArchiveBudget) -> None:
    """A Word file with macros is a .docm, whatever its name: refused (``ActiveContent``). Known
    by its parts' content types and by a ``vbaProject.bin`` anywhere in the archive."""
    found = [name for name in archive.namelist() if "vbaproject" in name.lower()]
    if "[Content_Types].xml" in archive.namelist():
        types = budget.read(archive, "[Content_Types].xml").decode("utf-8", "replace").lower()
        found += [kind for kind in MACRO_TYPES if kind in types]
    if found:
        raise ActiveContent("it contains Word macros (VBA): save it as a .docx without them")


def _paragraphs(xml: bytes) -> list[tuple[str, str]]:
    """(kind, text) in reading order: each paragraph's own text (not that of a text box inside
    it, which is a paragraph of its own), and each picture's alt text. The markup-compatibility
    fallback repeats what its choice holds, so it is skipped."""
    root = ElementTree.fromstring(xml)  # noqa: S314 - the package's own XML, entities not expanded
    found: list[tuple[str, list[str]]] = []
    stack: list[tuple[ElementTree.Element, int]] = [(root, -1)]
    while stack:
        node, paragraph = stack.pop()
        if node.tag == MC_FALLBACK:
            continue
        if node.tag in PARAGRAPH_TAGS:
            found.append(("text", []))
            paragraph = len(found) - 1
        elif node.tag in TEXT_TAGS and node.text and paragraph >= 0:
            found[paragraph][1].append(node.text)
        elif node.tag in SPACE_TAGS and paragraph >= 0:
            found[paragraph][1].append(" ")
        elif node.tag == f"{WP}docPr":
            described = [node.get("title") or "", node.get("descr") or ""]
            found.append(("alt text", [" ".join(part for part in described if part.strip())]))
        stack.extend((child, paragraph) for child in reversed(node))
    return [(kind, "".join(pieces)) for kind, pieces in found if "".join(pieces).strip()]


def part_label(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].removesuffix(".xml")
    if stem == "document":
        return "main text"
    return re.sub(r"\d+$", "", stem)


def _property_values(xml: bytes) -> list[str]:
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314
    except ElementTree.ParseError:
        return []
    # Words, not the counts and flags the extended properties are mostly made of.
    return [
        node.text
        for node in root.iter()
        if node.text
        and any(char.isalpha() for char in node.text)
        and node.text.strip().lower() not in ("true", "false")
    ]


def extract_docx(
    content: bytes, progress: Callable[[int, int], None], limits: Limits | None = None
) -> Extraction:
    limits = limits or Limits()
    archive = docx_parts(content, limits)
    budget = ArchiveBudget(limits)
    parts = sorted(
        (name for name in archive.namelist() if DOCX_TEXT_PARTS.match(name)),
        key=lambda name: (not name.endswith("document.xml"), name),
    )
    result = Extraction(pages=len(parts))
    for number, name in enumerate(parts, 1):
        label = part_label(name)
        try:
            paragraphs = _paragraphs(budget.read(archive, name))
        except ElementTree.ParseError as error:
            if error.code == XML_ERROR_NO_MEMORY:
                raise MemoryError from error
            raise UnreadableDocument(f"its {label} cannot be read") from error
        except KeyError as error:
            raise UnreadableDocument(f"its {label} cannot be read") from error
        index = 0
        for kind, paragraph in paragraphs:
            if kind == "alt text":
                where = f"{label}, a picture's alt text"
            elif label == "main text":
                index += 1
                where = f"{label}, paragraph {index}"
            else:
                where = label
            result.add(where, paragraph)
        progress(number, result.pages)
    values = []
    for name in DOCX_PROPERTY_PARTS:
        if name in archive.namelist():
            values += _property_values(budget.read(archive, name))
    result.add("document properties", "\n".join(values))
    if not result.text.strip():
        result.cannot_read("the whole document", "no text can be read in it")
    return result
