"""Reading a Word (.docx) document for the gate: the XML parts whose words reach a reader."""

import io
import re
import zipfile
from collections.abc import Callable
from xml.etree import ElementTree

from publishing.gate.extraction import Extraction, UnreadableDocument

# DOCX parts whose words reach a reader: the body, headers and footers, notes and comments, and
# the document's properties (an author's name is an identifier too).
DOCX_TEXT_PARTS = re.compile(
    r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$"
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024


def docx_parts(content: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = archive.namelist()
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableDocument("it is not a readable Word document") from error
    if "word/document.xml" not in names:
        raise UnreadableDocument("it is not a Word document")
    if total > DOCX_MAX_UNCOMPRESSED:
        raise UnreadableDocument("it unpacks to more than 200 MB")
    return archive


def _docx_paragraphs(xml: bytes) -> list[str]:
    root = ElementTree.fromstring(xml)  # noqa: S314 - the package's own XML, entities not expanded
    paragraphs = []
    for paragraph in root.iter(f"{W}p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag in (f"{W}t", f"{W}delText", f"{W}instrText") and node.text:
                pieces.append(node.text)
            elif node.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                pieces.append(" ")
        text = "".join(pieces)
        if text.strip():
            paragraphs.append(text)
    return paragraphs


def _part_label(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].removesuffix(".xml")
    if stem == "document":
        return "main text"
    return re.sub(r"\d+$", "", stem)


def extract_docx(content: bytes, progress: Callable[[int, int], None]) -> Extraction:
    archive = docx_parts(content)
    parts = sorted(
        (name for name in archive.namelist() if DOCX_TEXT_PARTS.match(name)),
        key=lambda name: (not name.endswith("document.xml"), name),
    )
    result = Extraction(pages=len(parts))
    for number, name in enumerate(parts, 1):
        try:
            paragraphs = _docx_paragraphs(archive.read(name))
        except (ElementTree.ParseError, KeyError, zipfile.BadZipFile) as error:
            raise UnreadableDocument(f"its {_part_label(name)} cannot be read") from error
        label = _part_label(name)
        for index, paragraph in enumerate(paragraphs, 1):
            where = f"{label}, paragraph {index}" if label == "main text" else label
            result.add(where, paragraph)
        progress(number, result.pages)
    if "docProps/core.xml" in archive.namelist():
        try:
            core = ElementTree.fromstring(archive.read("docProps/core.xml"))  # noqa: S314
            values = [node.text for node in core.iter() if node.text and node.text.strip()]
        except ElementTree.ParseError:
            values = []
        result.add("document properties", "\n".join(values))
    if not result.text.strip():
        result.unreadable.append("the whole document")
    return result
