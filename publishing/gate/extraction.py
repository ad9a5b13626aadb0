"""What reading a document gives the gate: its text in reading order, with where each part came
from (and, for words read by OCR, where on the page), and the parts nothing could be read on."""

import bisect
from dataclasses import dataclass, field

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# A word's box on its page: (left, top, right, bottom) in points from the page's top left.
Box = tuple[float, float, float, float]


class UnreadableDocument(Exception):
    """The file is not a document the gate can read (damaged, encrypted, not what it says, or
    past a limit on what reading it may cost)."""


class ActiveContent(UnreadableDocument):
    """The file carries something that runs or hides another file (JavaScript, a Launch
    action, an embedded file, Word macros): refused at upload, whatever its words."""


@dataclass
class Extraction:
    """A document's text, in reading order, with where each part starts (``locations``: offset
    in ``text`` → "page 3", "header", …) and, for words read by OCR, their boxes (``boxes``:
    offset → box on the page)."""

    text: str = ""
    locations: list[tuple[int, str]] = field(default_factory=list)
    pages: int = 0
    # Parts on which something is drawn that could not be read (a scan OCR could not read with
    # confidence): nothing on them can be checked, so the gate cannot pass the document.
    unreadable: list[str] = field(default_factory=list)
    # Why each unreadable part could not be read, in a person's words.
    reasons: dict[str, str] = field(default_factory=dict)
    box_starts: list[int] = field(default_factory=list)
    boxes: list[tuple[int, Box]] = field(default_factory=list)

    def add(self, location: str, text: str) -> None:
        if not text:
            return
        if self.text:
            self.text += "\n"
        self.locations.append((len(self.text), location))
        self.text += text

    def add_words(self, location: str, words: list[tuple[str, Box]], lines: list[int]) -> None:
        """Words read by OCR, each with its box; ``lines`` the index of the word each line
        starts with (the words of a line are joined by spaces, the lines by line breaks)."""
        if not words:
            return
        if self.text:
            self.text += "\n"
        self.locations.append((len(self.text), location))
        starts = set(lines)
        for index, (word, box) in enumerate(words):
            if index:
                self.text += "\n" if index in starts else " "
            self.box_starts.append(len(self.text))
            self.boxes.append((len(self.text) + len(word), box))
            self.text += word

    def cannot_read(self, location: str, reason: str) -> None:
        self.unreadable.append(location)
        self.reasons[location] = reason

    def location_of(self, offset: int) -> str:
        found = self.locations[0][1] if self.locations else ""
        for start, location in self.locations:
            if start > offset:
                break
            found = location
        return found

    def span_of(self, offset: int) -> tuple[int, int]:
        """Where the part holding ``offset`` starts and ends in ``text``."""
        start, end = 0, len(self.text)
        for position, _location in self.locations:
            if position > offset:
                end = position - 1  # the line break that joins two parts
                break
            start = position
        return start, end

    def box_of(self, start: int, end: int) -> Box | None:
        """The box around the OCR'd words from ``start`` to ``end``, if they were OCR'd."""
        first = bisect.bisect_right(self.box_starts, start) - 1
        if first < 0 or self.boxes[first][0] <= start:
            first += 1
        inside = []
        for index in range(max(first, 0), len(self.boxes)):
            if self.box_starts[index] >= end:
                break
            inside.append(self.boxes[index][1])
        if not inside:
            return None
        return (
            min(box[0] for box in inside),
            min(box[1] for box in inside),
            max(box[2] for box in inside),
            max(box[3] for box in inside),
        )
