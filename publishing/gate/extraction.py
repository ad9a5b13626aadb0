"""What reading a document gives the gate: its text in reading order, with where each part came
from, and the parts nothing could be read on."""

from dataclasses import dataclass, field

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class UnreadableDocument(Exception):
    """The file is not a document the gate can read (damaged, encrypted, not what it says)."""


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
