"""The check: every identifier and pattern found in a document's text, each in its context."""

from dataclasses import dataclass

from publishing.gate.extraction import Box, Extraction
from publishing.gate.matching import Matcher, fold, tokens
from publishing.gate.patterns import pattern_matches

CONTEXT_CHARS = 60


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
    # Where on the page, for words read by OCR: (left, top, right, bottom) in points from the
    # page's top left.
    box: Box | None = None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _hit(extraction: Extraction, start: int, end: int, rule: str, label: str) -> Hit:
    """A hit with up to ``CONTEXT_CHARS`` either side, within the part (page, annotation,
    properties…) it was found in."""
    text = extraction.text
    first, _ = extraction.span_of(start)
    _, last = extraction.span_of(max(start, end - 1))
    before_from = max(first, start - CONTEXT_CHARS)
    after_to = min(last, end + CONTEXT_CHARS)
    return Hit(
        rule=rule,
        label=label,
        location=extraction.location_of(start),
        before=("…" if before_from > first else "")
        + _squash(text[before_from:start])
        + (" " if start > first and text[start - 1].isspace() else ""),
        matched=_squash(text[start:end]),
        after=(" " if end < after_to and text[end].isspace() else "")
        + _squash(text[end:after_to])
        + ("…" if after_to < last else ""),
        offset=start,
        end=end,
        box=extraction.box_of(start, end),
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
