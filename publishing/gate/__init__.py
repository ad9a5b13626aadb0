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

Laid out by topic: ``reading`` (with ``reading_pdf``, ``pdf_objects`` and ``reading_word``)
turns a file into an ``Extraction``, with ``ocr`` for pages without a text layer and
``limits`` bounding what reading may cost; ``matching`` folds text into words and matches
identifiers on them; ``patterns`` finds the identifying patterns; ``check`` puts both together
as ``Hit``s.
"""

from publishing.gate.check import CONTEXT_CHARS, Hit, check, check_text
from publishing.gate.extraction import (
    DOCX,
    PDF,
    ActiveContent,
    Box,
    Extraction,
    UnreadableDocument,
)
from publishing.gate.limits import ArchiveBudget, Limits, run_bounded
from publishing.gate.matching import (
    MONTH_NUMBERS,
    MONTHS,
    Identifier,
    Matcher,
    Token,
    fold,
    tokens,
    variants_of,
    words,
)
from publishing.gate.ocr import OcrRule
from publishing.gate.patterns import (
    PATTERNS,
    nhs_number_is_valid,
    ni_number_is_valid,
    pattern_matches,
)
from publishing.gate.pdf_objects import pdf_active_content
from publishing.gate.reading import extract, extract_bounded, inspect

__all__ = [
    "CONTEXT_CHARS",
    "DOCX",
    "MONTHS",
    "MONTH_NUMBERS",
    "PATTERNS",
    "PDF",
    "ActiveContent",
    "ArchiveBudget",
    "Box",
    "Extraction",
    "Hit",
    "Identifier",
    "Limits",
    "Matcher",
    "OcrRule",
    "Token",
    "UnreadableDocument",
    "check",
    "check_text",
    "extract",
    "extract_bounded",
    "fold",
    "inspect",
    "nhs_number_is_valid",
    "ni_number_is_valid",
    "pattern_matches",
    "pdf_active_content",
    "run_bounded",
    "tokens",
    "variants_of",
    "words",
]
