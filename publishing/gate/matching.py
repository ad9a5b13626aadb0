"""Folding text for comparison, its words, and the identifiers the case record holds matched on
those words (a trie: one dictionary look-up per word of the text)."""

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

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
