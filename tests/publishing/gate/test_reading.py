"""What the gate reads beyond a page's text layer, and what reading may cost (publishing.gate:
ocr, reading_pdf, pdf_objects, reading_word, limits). Pure functions: no database. OCR is slow,
so Tesseract runs here on one small scanned page and one small page of outlines; every other
OCR decision is tested with the reader replaced."""

import os
import time

import pytest

from publishing import gate
from publishing.gate import ocr, reading_pdf
from tests.support import gate_hogs
from tests.support.documents import (
    active_pdf,
    annotated_pdf,
    form_pdf,
    outlined_pdf,
    pdf,
    pdf_with,
    picture_xml,
    scanned_pdf,
    scanned_text_pdf,
    shape_text_xml,
    text_box_xml,
    typeset_pdf,
    word,
    word_bomb,
    word_with_macros,
    word_with_xml,
)

CHILD = gate.Identifier("Amara Okafor", "person", "A child's name")
SENTENCE = "The health visitor saw Amara Okafor at home."


def hits(content: bytes, content_type: str = gate.PDF, **kwargs) -> list[gate.Hit]:
    return gate.check(gate.extract(content, content_type, **kwargs), gate.Matcher([CHILD]))


@pytest.fixture
def no_ocr(monkeypatch):
    """Fails the test if a page is read by OCR."""
    monkeypatch.setattr(
        reading_pdf, "read_page", lambda *a, **k: pytest.fail("read by OCR"), raising=True
    )


@pytest.fixture
def fake_ocr(monkeypatch):
    """OCR replaced by a reading of the test's choosing; the pages it was asked to read."""
    asked = []

    def install(reading: ocr.PageReading):
        def read(page, rule):
            asked.append(page)
            return reading

        monkeypatch.setattr(reading_pdf, "read_page", read)
        return asked

    return install


class TestPagesWithoutATextLayer:
    def test_a_scanned_page_is_read_by_ocr_and_the_name_found_with_its_box(self):
        (hit,) = hits(scanned_text_pdf(SENTENCE))
        assert (hit.location, hit.matched) == ("page 1 (read by OCR)", "Amara Okafor")
        left, top, right, bottom = hit.box
        # On an A7 page (210 x 298 points), in the second line of the text.
        assert 20 < left < right < 200 and 30 < top < bottom < 120

    def test_text_converted_to_outlines_is_read_by_ocr(self):
        content = outlined_pdf(SENTENCE)
        extraction = gate.extract(content, gate.PDF)
        assert not extraction.unreadable
        assert not [loc for _, loc in extraction.locations if loc == "page 1"]  # no text layer
        (hit,) = gate.check(extraction, gate.Matcher([CHILD]))
        assert hit.location == "page 1 (read by OCR)" and hit.box

    def test_a_page_of_drawing_that_ocr_reads_nothing_on_cannot_be_checked(self):
        extraction = gate.extract(scanned_pdf(), gate.PDF)
        assert extraction.unreadable == ["page 1"]
        assert extraction.reasons["page 1"] == "no text can be read on it, by OCR either"

    def test_a_page_ocr_reads_with_low_confidence_cannot_be_checked_but_is_still_matched(
        self, fake_ocr
    ):
        fake_ocr(ocr.PageReading([("Amara", (1, 2, 3, 4)), ("Okafor", (5, 2, 9, 4))], [0], 41.0))
        extraction = gate.extract(outlined_pdf("Whatever it says"), gate.PDF)
        assert extraction.unreadable == ["page 1"]
        assert "41% confidence, below the 75%" in extraction.reasons["page 1"]
        (hit,) = gate.check(extraction, gate.Matcher([CHILD]))
        assert hit.box == (1, 2, 9, 4)

    def test_the_confidence_needed_is_a_setting(self, fake_ocr):
        fake_ocr(ocr.PageReading([("Child", (1, 2, 3, 4))], [0], 80.0))
        content = outlined_pdf("Whatever it says")
        assert gate.extract(content, gate.PDF).unreadable == []
        strict = gate.OcrRule(min_confidence=90)
        assert gate.extract(content, gate.PDF, ocr=strict).unreadable == ["page 1"]

    def test_a_page_of_text_is_not_read_by_ocr(self, no_ocr):
        content = typeset_pdf(
            "<h2>Summary</h2><table style='border: 1px solid black'><tr><td>Agency</td>"
            "<td style='border-bottom: 1px solid black'>Involvement</td></tr></table>"
            "<p>" + "The review found that agencies worked together. " * 20 + "</p>"
        )
        assert gate.extract(content, gate.PDF).pages == 1

    def test_a_page_of_text_with_a_small_logo_is_not_read_by_ocr(self, no_ocr):
        logo = typeset_pdf_with_image(width="15mm")
        assert gate.extract(logo, gate.PDF).pages == 1

    def test_a_page_of_text_with_a_large_picture_is_read_by_ocr_too(self, fake_ocr):
        asked = fake_ocr(ocr.PageReading([("Amara", (1, 2, 3, 4))], [0], 95.0))
        extraction = gate.extract(typeset_pdf_with_image(width="90mm"), gate.PDF)
        assert len(asked) == 1
        assert [loc for _, loc in extraction.locations][:2] == ["page 1", "page 1 (read by OCR)"]

    def test_without_tesseract_a_page_that_needs_ocr_cannot_be_checked(self, monkeypatch):
        def missing(page, rule):
            raise OSError("Tesseract is not installed")

        monkeypatch.setattr(reading_pdf, "read_page", missing)
        extraction = gate.extract(outlined_pdf("Whatever"), gate.PDF)
        assert extraction.unreadable == ["page 1"]
        assert "Tesseract is not installed" in extraction.reasons["page 1"]


def typeset_pdf_with_image(width: str) -> bytes:
    """A page of text with a grey picture ``width`` wide (a logo, or a photograph)."""
    import base64
    import io

    from PIL import Image

    image = Image.new("RGB", (200, 150), (120, 120, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = base64.b64encode(buffer.getvalue()).decode()
    return typeset_pdf(
        f'<img src="data:image/png;base64,{data}" style="width: {width}">'
        "<p>" + "The review found that agencies worked together. " * 12 + "</p>"
    )


class TestEverythingAPdfCarries:
    @pytest.mark.parametrize(
        ("content", "location"),
        [
            (lambda: annotated_pdf("Spoke to Amara Okafor's mother"), "sticky note on page 1"),
            (lambda: annotated_pdf("Amara Okafor", kind="free text"), "text box on page 1"),
            (lambda: form_pdf("Amara Okafor"), "form field on page 1"),
            (lambda: pdf_with(bookmark="Amara Okafor"), "bookmarks"),
            (lambda: pdf_with(properties={"/Custodian": "Amara Okafor"}), "document properties"),
            (lambda: pdf_with(properties={"/Producer": "Amara Okafor"}), "document properties"),
            (lambda: pdf_with(xmp="Amara Okafor"), "XMP metadata"),
            (lambda: pdf_with(attachment=("notes.txt", "Amara Okafor")), "an embedded file's name"),
        ],
    )
    def test_a_name_anywhere_in_the_file_is_found_where_it_is(self, no_ocr, content, location):
        found = hits(content())
        assert [(hit.location, hit.matched) for hit in found] == [(location, "Amara Okafor")]

    def test_a_sticky_note_s_context_is_its_own_words(self, no_ocr):
        (hit,) = hits(annotated_pdf("Spoke to Amara Okafor's mother"))
        assert (hit.before, hit.after) == ("Spoke to ", "'s mother")


class TestEverythingAWordFileCarries:
    @pytest.mark.parametrize(
        ("body", "header", "location"),
        [
            (picture_xml("Photo of Amara Okafor"), "", "main text, a picture's alt text"),
            (picture_xml("", title="Amara Okafor"), "", "main text, a picture's alt text"),
            (text_box_xml("Amara Okafor"), "", "main text, paragraph 3"),
            (shape_text_xml("Amara Okafor"), "", "main text, paragraph 2"),
            ("", text_box_xml("Amara Okafor"), "header"),
            ("", shape_text_xml("Amara Okafor"), "header"),
        ],
    )
    def test_alt_text_text_boxes_and_shapes_are_read(self, body, header, location):
        found = hits(word_with_xml(body, header), gate.DOCX)
        # Once: the text box's fallback copy is not read twice.
        assert [(hit.location, hit.matched) for hit in found] == [(location, "Amara Okafor")]


@pytest.fixture(scope="module")
def bomb():
    return word_bomb(150)


class TestBoundedReading:
    def test_a_word_zip_bomb_is_refused_at_upload_and_cannot_be_read(self, bomb):
        assert len(bomb) < 250 * 1024
        with pytest.raises(gate.UnreadableDocument, match="zip bomb"):
            gate.inspect(bomb, gate.DOCX)
        with pytest.raises(gate.UnreadableDocument, match="zip bomb"):
            gate.extract(bomb, gate.DOCX)

    def test_the_bytes_counted_are_those_decompressed_not_those_declared(self, bomb):
        import io
        import zipfile

        limits = gate.Limits(unpacked_mb=10, unpack_ratio=10_000)
        # The bomb's body says it is 1 MB; the bytes are counted as they come out.
        archive = zipfile.ZipFile(io.BytesIO(bomb))
        archive.getinfo("word/document.xml").file_size = 1024 * 1024
        with pytest.raises(gate.UnreadableDocument):
            gate.ArchiveBudget(limits).read(archive, "word/document.xml")
        # It says it is a terabyte: still stopped at the cap, having decompressed no more.
        archive = zipfile.ZipFile(io.BytesIO(bomb))
        archive.getinfo("word/document.xml").file_size = 1024**4
        budget = gate.ArchiveBudget(limits)
        with pytest.raises(gate.UnreadableDocument, match="unpacks to more than 10 MB"):
            budget.read(archive, "word/document.xml")
        assert budget.total <= 10 * 1024 * 1024 + 64 * 1024

    def test_an_archive_over_its_total_cap_cannot_be_read(self):
        content = word(*[os.urandom(3000).hex() for _ in range(400)])  # ~2.4 MB, incompressible
        limits = gate.Limits(unpacked_mb=1)
        with pytest.raises(gate.UnreadableDocument, match="unpacks to more than 1 MB"):
            gate.inspect(content, gate.DOCX, limits)
        assert gate.inspect(content, gate.DOCX) == 1

    def test_the_reading_child_returns_the_extraction_and_relays_progress(self):
        seen = []
        extraction = gate.extract_bounded(
            pdf("one", "two Amara Okafor"), gate.PDF, lambda done, total: seen.append(done)
        )
        assert seen == [1, 2]
        (hit,) = gate.check(extraction, gate.Matcher([CHILD]))
        assert hit.location == "page 2"

    def test_the_reading_child_s_refusal_reaches_the_parent(self, bomb):
        with pytest.raises(gate.UnreadableDocument, match="zip bomb"):
            gate.extract_bounded(bomb, gate.DOCX)

    def test_a_child_that_takes_too_much_memory_is_stopped_by_its_limit(self):
        started = time.monotonic()
        with pytest.raises(gate.UnreadableDocument, match="needed more than 64 MB of memory"):
            gate.run_bounded(gate_hogs.take_memory, bounds=gate.Limits(memory_mb=64))
        assert time.monotonic() - started < 30

    def test_a_child_that_takes_too_long_is_killed(self):
        seen = []
        started = time.monotonic()
        with pytest.raises(gate.UnreadableDocument, match="more than 2 seconds"):
            gate.run_bounded(
                gate_hogs.take_time,
                bounds=gate.Limits(seconds=2),
                progress=lambda done, total: seen.append(done),
            )
        assert time.monotonic() - started < 10
        assert seen == [1]

    def test_a_reader_s_unforeseen_failure_is_cannot_be_checked_not_a_failed_task(self):
        with pytest.raises(gate.UnreadableDocument, match=r"reading it failed \(KeyError\)"):
            gate.run_bounded(gate_hogs.fail, bounds=gate.Limits())

    def test_a_child_that_crashes_is_reported_not_fatal(self):
        with pytest.raises(gate.UnreadableDocument, match="stopped by signal 11"):
            gate.run_bounded(gate_hogs.crash, bounds=gate.Limits())


class TestActiveContent:
    @pytest.mark.parametrize(
        ("what", "named"),
        [
            ("javascript", "JavaScript"),
            ("open action", "JavaScript"),
            ("annotation script", "JavaScript"),
            ("launch", "a Launch action"),
            ("attachment", "an embedded file"),
            ("xfa", "an XFA form"),
        ],
    )
    def test_a_pdf_with_active_content_is_refused_naming_it(self, what, named):
        with pytest.raises(gate.ActiveContent, match=named):
            gate.inspect(active_pdf(what), gate.PDF)

    def test_a_file_attachment_annotation_is_active_content(self):
        # The same note made into a file attachment (pypdf writes "/Subtype /Text").
        content = annotated_pdf("A note").replace(b"/Subtype /Text", b"/Subtype /FileAttachment", 1)
        with pytest.raises(gate.ActiveContent, match="a file attachment"):
            gate.inspect(content, gate.PDF)

    @pytest.mark.parametrize(
        "content",
        [
            lambda: pdf("A report."),
            lambda: annotated_pdf("A note"),
            lambda: form_pdf("A value"),
            lambda: pdf_with(bookmark="Contents"),
        ],
    )
    def test_an_ordinary_pdf_is_not_active_content(self, content):
        assert gate.inspect(content(), gate.PDF) == 1

    def test_a_word_file_with_macros_is_refused(self):
        with pytest.raises(gate.ActiveContent, match="macros"):
            gate.inspect(word_with_macros(), gate.DOCX)
