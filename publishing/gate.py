"""The anonymisation gate's engine: reading a document's text and finding what identifies a child
or a family in it (DESIGN §2 step 7, §5). Pure functions, no database: ``publishing.services``
runs them on a document and keeps what they find as the redaction log.

Two kinds of check:

- *identifiers* the case record holds (children's names and dates of birth, and the identifiers
  to check recorded on the publication: family members, addresses, schools, placements, foster
  carers, hospitals, professionals). Matched on words, not characters: case, accents and
  punctuation do not matter, a name split over a line break (or hyphenated across one) still
  matches, as do possessives ("Amara's", "the Okafors'"), plurals ("the Okafors") and an
  initial with the surname ("A. Okafor"). A date of birth matches in the usual formats
  (14/03/2012, 14.3.12, 2012-03-14, 14 March 2012, 14th of Mar 2012, March 14, 2012).
- *patterns* that identify whoever they belong to: NHS numbers (with a valid check digit),
  National Insurance numbers, UK postcodes, phone numbers, email addresses and any full date
  written as someone's date of birth.
"""

import datetime
import io
import re
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from xml.etree import ElementTree

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTEXT_CHARS = 60
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTH_NUMBERS = {name: str(n) for n, name in enumerate(MONTHS, 1)}
MONTH_NUMBERS.update({name[:3]: str(n) for n, name in enumerate(MONTHS, 1)})
MONTH_NUMBERS["sept"] = "9"
# DOCX parts whose words reach a reader: the body, headers and footers, notes and comments, and
# the document's properties (an author's name is an identifier too).
DOCX_TEXT_PARTS = re.compile(
    r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$"
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024


class UnreadableDocument(Exception):
    """The file is not a document the gate can read (damaged, encrypted, not what it says)."""


# --- Reading a document ------------------------------------------------------------------------


@dataclass
class Extraction:
    """A document's text, in reading order, with where each part starts (``locations``: offset
    in ``text`` → "page 3", "header", …)."""

    text: str = ""
    locations: list[tuple[int, str]] = field(default_factory=list)
    pages: int = 0
    # Pages that hold pictures but no text a machine can read (a scan): nothing on them can be
    # checked, so the gate cannot pass the document.
    unreadable: list[str] = field(default_factory=list)

    def add(self, location: str, text: str) -> None:
        if not text:
            return
        if self.text:
            self.text += "\n"
        self.locations.append((len(self.text), location))
        self.text += text

    def location_of(self, offset: int) -> str:
        found = self.locations[0][1] if self.locations else ""
        for start, location in self.locations:
            if start > offset:
                break
            found = location
        return found


def _pdf_reader(content: bytes):
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


def _docx_parts(content: bytes) -> zipfile.ZipFile:
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


def inspect(content: bytes, content_type: str) -> int:
    """The number of pages (PDF) or parts (Word) of a document, or ``UnreadableDocument``. Used
    when a document is uploaded: a file the gate could not read is refused there and then."""
    if content_type == PDF:
        return len(_pdf_reader(content).pages)
    if content_type == DOCX:
        archive = _docx_parts(content)
        try:
            import docx

            docx.Document(io.BytesIO(content))
        except Exception as error:  # python-docx raises many kinds on a damaged file
            raise UnreadableDocument("it is not a readable Word document") from error
        return len([name for name in archive.namelist() if DOCX_TEXT_PARTS.match(name)])
    raise UnreadableDocument("it is not a PDF or a Word (.docx) document")


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


def _extract_pdf(
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


def _extract_docx(content: bytes, progress: Callable[[int, int], None]) -> Extraction:
    archive = _docx_parts(content)
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
        return _extract_pdf(content, progress, max_pages)
    if content_type == DOCX:
        return _extract_docx(content, progress)
    raise UnreadableDocument("it is not a PDF or a Word (.docx) document")


# --- Folding text for comparison ---------------------------------------------------------------

_QUOTES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'"}
_DASHES = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\u00ad"}


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` lowercased, without accents, with one kind of apostrophe and hyphen; and, for
    each character of the result, the offset of the character it came from."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char in _QUOTES:
            folded = "'"
        elif char in _DASHES:
            folded = "-"
        elif char.isascii():
            folded = char.lower()
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        out.append(folded)
        where.extend([index] * len(folded))
    return "".join(out), where


_TOKEN = re.compile(r"[^\W_]+")
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")
# A hyphen at the end of a line, joining the two halves of one word.
_LINE_BREAK_HYPHEN = re.compile(r"^-[ \t]*\r?\n\s*$")


@dataclass(frozen=True)
class Token:
    forms: tuple[str, ...]
    start: int  # offsets in the folded text
    end: int
    # Forms of this word joined with the next one, when a hyphen at a line's end split them.
    joined: tuple[str, ...] = ()


def _forms(word: str) -> tuple[str, ...]:
    """The ways a word of the text may stand for a word of an identifier: itself; without a
    plural or possessive s; a month's number; a day without its ordinal or leading zero."""
    forms = [word]
    if len(word) > 3 and word.endswith("s"):
        forms.append(word[:-1])
    if word in MONTH_NUMBERS:
        forms.append(MONTH_NUMBERS[word])
    ordinal = _ORDINAL.match(word)
    if ordinal:
        forms.append(str(int(ordinal.group(1))))
    elif word.isdigit() and len(word) <= 4:
        forms.append(str(int(word)))
    return tuple(dict.fromkeys(forms))


def _is_possessive_s(folded: str, word: str, start: int) -> bool:
    return word == "s" and start > 0 and folded[start - 1] == "'"


def tokens(folded: str) -> list[Token]:
    """The words of folded text. A lone "s" after an apostrophe (a possessive) is dropped, and
    a word hyphenated across a line break is also offered whole."""
    found: list[Token] = []
    for match in _TOKEN.finditer(folded):
        word, start, end = match.group(), match.start(), match.end()
        if _is_possessive_s(folded, word, start):
            continue
        if found and _LINE_BREAK_HYPHEN.match(folded[found[-1].end : start]):
            previous = found[-1]
            joined = _forms(folded[previous.start : previous.end] + word)
            found[-1] = Token(previous.forms, previous.start, previous.end, joined)
        found.append(Token(_forms(word), start, end))
    return found


def words(text: str) -> list[str]:
    """An identifier as the words it is matched on."""
    folded, _ = fold(text)
    result = []
    for match in _TOKEN.finditer(folded):
        if not _is_possessive_s(folded, match.group(), match.start()):
            result.append(match.group())
    return result


# --- What to look for --------------------------------------------------------------------------


@dataclass(frozen=True)
class Identifier:
    """A real identifier from the case record, and what it is in the users' words (the label
    names the kind of thing, never the thing: "a child's family name")."""

    value: str
    kind: str  # person, given_name, family_name, date_of_birth, address, place, other
    label: str


def _name_variants(value: str, kind: str) -> list[tuple[str, ...]]:
    parts = words(value)
    if not parts:
        return []
    if kind in ("given_name", "family_name"):
        return [tuple(parts)]
    variants = [tuple(parts)]
    if len(parts) >= 2:
        given, family = parts[0], parts[-1]
        # Each part alone (a first name, a surname), and an initial with the surname.
        variants += [(part,) for part in parts if len(part) >= 2]
        variants.append((given[0], family))
    return variants


def _date_variants(day: datetime.date) -> list[tuple[str, ...]]:
    d, m, y, yy = str(day.day), str(day.month), str(day.year), str(day.year % 100)
    return [(d, m, y), (d, m, yy), (y, m, d), (m, d, y), (d, "of", m, y)]


def _place_variants(value: str) -> list[tuple[str, ...]]:
    """An address or a place: the whole of it, and each part of an address (split at commas or
    lines) that has two words or more ("12 Acacia Avenue"), so one written differently is still
    found."""
    variants = []
    whole = words(value)
    if whole:
        variants.append(tuple(whole))
    for part in re.split(r"[,\n;]+", value):
        part_words = words(part)
        if len(part_words) >= 2:
            variants.append(tuple(part_words))
    return variants


def variants_of(identifier: Identifier) -> list[tuple[str, ...]]:
    if identifier.kind == "date_of_birth":
        try:
            day = datetime.date.fromisoformat(identifier.value.strip())
        except ValueError:
            return [tuple(words(identifier.value))] if words(identifier.value) else []
        return _date_variants(day)
    if identifier.kind in ("person", "given_name", "family_name"):
        return _name_variants(identifier.value, identifier.kind)
    if identifier.kind == "address":
        return _place_variants(identifier.value)
    found = words(identifier.value)
    return [tuple(found)] if found else []


class Matcher:
    """Every variant of every identifier, in a trie of words: a text is read once, each word
    looked up in a dictionary, whatever the number of identifiers."""

    def __init__(self, identifiers: Iterable[Identifier]):
        self.root: dict = {}
        self.count = 0
        for identifier in identifiers:
            self.count += 1
            for variant in variants_of(identifier):
                node = self.root
                for word in variant:
                    node = node.setdefault(word, {})
                node.setdefault(None, []).append(identifier)

    def matches(self, found: list[Token]) -> list[tuple[int, int, Identifier]]:
        """(first token, last token, identifier) for the longest match starting at each word;
        a match inside a longer one ("Okafor" in "Amara Okafor") is not counted again."""
        results = []
        for start in range(len(found)):
            best: tuple[int, Identifier] | None = None
            frontier = [(self.root, start)]
            while frontier:
                node, position = frontier.pop()
                if None in node and position > start and (best is None or position - 1 > best[0]):
                    best = (position - 1, node[None][0])
                if position >= len(found):
                    continue
                token = found[position]
                for form in token.forms:
                    if form in node:
                        frontier.append((node[form], position + 1))
                for form in token.joined:
                    if form in node:
                        frontier.append((node[form], position + 2))
            if best is not None:
                results.append((start, min(best[0], len(found) - 1), best[1]))
        kept: list[tuple[int, int, Identifier]] = []
        covered_until = -1
        for start, end, identifier in results:
            if end <= covered_until:
                continue
            kept.append((start, end, identifier))
            covered_until = end
        return kept


# --- Patterns ----------------------------------------------------------------------------------


def nhs_number_is_valid(digits: str) -> bool:
    """NHS Digital's modulus 11 check: weights 10 to 2 on the first nine digits; the check digit
    is 11 minus the remainder (11 counts as 0; 10 means the number cannot exist)."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    weights = range(10, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], weights, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


_NI_BAD_FIRST = set("dfiquv")
_NI_BAD_SECOND = set("dfioquv")
_NI_BAD_PREFIXES = {"bg", "gb", "kn", "nk", "nt", "tn", "zz"}


def ni_number_is_valid(prefix: str) -> bool:
    """HMRC's rules for the two prefix letters of a National Insurance number."""
    prefix = prefix.lower()
    return (
        prefix[0] not in _NI_BAD_FIRST
        and prefix[1] not in _NI_BAD_SECOND
        and prefix not in _NI_BAD_PREFIXES
    )


_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_FULL_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD},?\s+\d{{4}}"
    rf"|{_MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
PATTERNS = {
    "nhs_number": (
        "An NHS number",
        re.compile(r"(?<![\d])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d])"),
    ),
    "ni_number": (
        "A National Insurance number",
        re.compile(r"(?<![a-z0-9])([a-z]{2})\s?(\d{2})\s?(\d{2})\s?(\d{2})\s?([a-d])(?![a-z0-9])"),
    ),
    "email": (
        "An email address",
        re.compile(r"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+"),
    ),
    "phone": (
        "A phone number",
        re.compile(
            r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?!\d)"
        ),
    ),
    "postcode": (
        "A postcode",
        re.compile(
            r"(?<![a-z0-9])(?:gir\s?0aa|[a-pr-uwyz][a-hk-y]?\d[a-z\d]?\s?\d[abd-hjlnp-uw-z]{2})"
            r"(?![a-z0-9])"
        ),
    ),
    "date_of_birth": (
        "A date of birth",
        re.compile(rf"(?:\bborn\b|\bbirth\b|\bdob\b|\bd\.o\.b\b\.?)[^.;\n]{{0,40}}?({_FULL_DATE})"),
    ),
}


def _phone_digits_ok(matched: str) -> bool:
    digits = re.sub(r"\D", "", matched)
    if matched.lstrip().startswith("+44"):
        digits = "0" + digits[2:].removeprefix("0")
    return digits.startswith("0") and len(digits) in (10, 11)


def pattern_matches(folded: str) -> list[tuple[int, int, str, str]]:
    """(start, end, rule, label) of every pattern found in folded text; where two overlap (a
    10-digit phone number with a valid NHS check digit) the first rule listed wins."""
    found: list[tuple[int, int, str, str]] = []
    for rule, (label, pattern) in PATTERNS.items():
        for match in pattern.finditer(folded):
            start, end = match.span()
            if rule == "nhs_number" and not nhs_number_is_valid("".join(match.groups())):
                continue
            if rule == "ni_number" and not ni_number_is_valid(match.group(1)):
                continue
            if rule == "phone" and not _phone_digits_ok(match.group()):
                continue
            if rule == "date_of_birth":
                start, end = match.span(1)
            if any(s < end and start < e for s, e, _, _ in found):
                continue
            found.append((start, end, rule, label))
    return sorted(found)


# --- The check ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    rule: str  # "identifier:<kind>" or a pattern's name
    label: str
    location: str
    before: str
    matched: str
    after: str
    offset: int
    end: int


def _squash(text: str) -> str:
    return " ".join(text.split())


def _hit(extraction: Extraction, start: int, end: int, rule: str, label: str) -> Hit:
    text = extraction.text
    return Hit(
        rule=rule,
        label=label,
        location=extraction.location_of(start),
        before=("…" if start > CONTEXT_CHARS else "")
        + _squash(text[max(0, start - CONTEXT_CHARS) : start])
        + (" " if start and text[start - 1].isspace() else ""),
        matched=_squash(text[start:end]),
        after=(" " if end < len(text) and text[end].isspace() else "")
        + _squash(text[end : end + CONTEXT_CHARS])
        + ("…" if end + CONTEXT_CHARS < len(text) else ""),
        offset=start,
        end=end,
    )


def check(extraction: Extraction, matcher: Matcher) -> list[Hit]:
    """Every identifier and pattern found in the extracted text, in reading order, each with
    its context."""
    folded, where = fold(extraction.text)
    if not folded:
        return []
    found = tokens(folded)
    hits = []
    for first, last, identifier in matcher.matches(found):
        start, end = where[found[first].start], where[found[last].end - 1] + 1
        hits.append(_hit(extraction, start, end, f"identifier:{identifier.kind}", identifier.label))
    for start, end, rule, label in pattern_matches(folded):
        original_start, original_end = where[start], where[end - 1] + 1
        if any(h.offset <= original_start < h.end for h in hits):
            continue
        hits.append(_hit(extraction, original_start, original_end, rule, label))
    return sorted(hits, key=lambda h: h.offset)


def check_text(text: str, matcher: Matcher, location: str = "") -> list[Hit]:
    """The same check on plain text (a publication's public record)."""
    extraction = Extraction()
    extraction.add(location, text)
    return check(extraction, matcher)
