"""The anonymisation gate's engine (publishing.gate): reading documents, and finding identifiers
and identifying patterns in them. Pure functions: no database, no partnership."""

import datetime
import io
import random
import string

import docx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from publishing import gate
from publishing.pdf import placeholder_pdf
from tests.support.documents import encrypted_pdf, pdf, typeset_pdf

CHILD = gate.Identifier("Amara Okafor", "person", "A child's name")
DOB = gate.Identifier("2012-03-14", "date_of_birth", "A child's date of birth")


def hits_in(text: str, *identifiers: gate.Identifier) -> list[gate.Hit]:
    return gate.check_text(text, gate.Matcher(identifiers), "page 1")


def matched(text: str, *identifiers: gate.Identifier) -> list[str]:
    return [hit.matched for hit in hits_in(text, *identifiers)]


class TestNames:
    @pytest.mark.parametrize(
        "text",
        [
            "Amara Okafor was seen.",
            "AMARA OKAFOR was seen.",
            "amara okafor was seen.",
            "Amara\nOkafor was seen.",
            "Amara\r\n   Okafor was seen.",
            "Amara's mother",
            "Amara’s mother",
            "the Okafors' flat",
            "the Okafors moved",
            "A. Okafor attended",
            "A Okafor attended",
            "The Oka-\nfor family",
            "Àmara Ökafor",
        ],
    )
    def test_a_child_is_found_however_their_name_is_written(self, text):
        assert hits_in(text, CHILD), text

    def test_the_full_name_is_one_hit_and_each_part_alone_another(self):
        found = hits_in("Amara Okafor, then Amara, then Okafor.", CHILD)
        assert [hit.matched for hit in found] == ["Amara Okafor", "Amara", "Okafor"]
        assert all(hit.rule == "identifier:person" for hit in found)

    def test_a_name_inside_another_word_is_not_a_hit(self):
        assert hits_in("Amaranth grows; Okaforian studies.", CHILD) == []

    def test_every_hit_is_shown_in_its_context_and_place(self):
        extraction = gate.Extraction()
        extraction.add("page 1", "Nothing here.")
        extraction.add("page 2", "On the second page the report says Amara was at home.")
        (hit,) = gate.check(extraction, gate.Matcher([CHILD]))
        assert hit.location == "page 2"
        assert hit.matched == "Amara"
        assert hit.before.endswith("the report says ")
        assert hit.after.startswith(" was at home")

    def test_an_address_is_found_whole_or_by_its_parts(self):
        address = gate.Identifier("12 Acacia Avenue, Thornton Heath", "address", "An address")
        assert matched("They lived at 12 acacia\navenue.", address) == ["12 acacia avenue"]
        assert matched("12 Acacia Avenue, Thornton Heath", address) == [
            "12 Acacia Avenue, Thornton Heath"
        ]

    def test_a_school_is_found_with_or_without_its_apostrophe(self):
        school = gate.Identifier("St Mary's Primary School", "place", "A school")
        assert matched("at St Marys Primary School", school) == ["St Marys Primary School"]
        assert matched("at ST. MARY’S PRIMARY SCHOOL", school)


class TestDatesOfBirth:
    @pytest.mark.parametrize(
        "text",
        [
            "14/03/2012",
            "14/3/2012",
            "14.03.2012",
            "14-03-2012",
            "14/03/12",
            "2012-03-14",
            "14 March 2012",
            "14th March 2012",
            "14th of March 2012",
            "14 Mar 2012",
            "March 14, 2012",
            "14\nMarch\n2012",
        ],
    )
    def test_a_known_date_of_birth_is_found_in_every_usual_format(self, text):
        assert matched(f"She was seen on {text} at home.", DOB), text

    def test_other_dates_are_not_the_child_s(self):
        assert matched("Seen on 15 March 2012 and on 14/04/2012.", DOB) == []

    @pytest.mark.parametrize(
        "text",
        ["born on 3 June 2015", "Date of birth: 03/06/2015", "DOB 2015-06-03", "d.o.b. 3.6.15"],
    )
    def test_any_full_date_written_as_a_date_of_birth_is_a_hit(self, text):
        (hit,) = hits_in(f"The sibling, {text}, lived there.")
        assert hit.rule == "date_of_birth"

    def test_a_date_that_is_not_a_birth_is_not_a_pattern_hit(self):
        assert hits_in("The strategy meeting was held on 3 June 2015.") == []


def nhs_number(first_nine: str) -> str | None:
    weights = range(10, 1, -1)
    total = sum(int(d) * w for d, w in zip(first_nine, weights, strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return None if check == 10 else first_nine + str(check)


class TestPatterns:
    def test_a_valid_nhs_number_is_found_in_its_usual_spacings(self):
        for text in ("943 476 5919", "9434765919", "943-476-5919"):
            (hit,) = hits_in(f"NHS number {text}.")
            assert hit.rule == "nhs_number", text

    def test_a_ten_digit_number_with_a_wrong_check_digit_is_not_an_nhs_number(self):
        assert [h.rule for h in hits_in("Reference 9434765918.")] != ["nhs_number"]

    @given(st.text(alphabet=string.digits, min_size=9, max_size=9), st.sampled_from([" ", "-", ""]))
    def test_every_valid_nhs_number_is_found(self, first_nine, separator):
        number = nhs_number(first_nine)
        assume(number is not None and len(set(number)) > 1)
        spaced = separator.join([number[:3], number[3:6], number[6:]])
        found = hits_in(f"Her number is {spaced} on file.")
        assert [hit.rule for hit in found] == ["nhs_number"]
        assert found[0].matched == spaced

    @given(st.text(alphabet=string.digits, min_size=10, max_size=10))
    def test_no_invalid_nhs_number_is_taken_for_one(self, digits):
        assume(not gate.nhs_number_is_valid(digits))
        assert "nhs_number" not in {hit.rule for hit in hits_in(f"Ref {digits} end")}

    @pytest.mark.parametrize(
        ("text", "rule"),
        [
            ("NI number AB 12 34 56 C", "ni_number"),
            ("NI number AB123456C", "ni_number"),
            ("postcode CR0 1AA", "postcode"),
            ("postcode SW1A 1AA", "postcode"),
            ("postcode cr01aa", "postcode"),
            ("call 020 8726 6000", "phone"),
            ("call 07700 900123", "phone"),
            ("call +44 7700 900123", "phone"),
            ("call (020) 8726 6000", "phone"),
            ("write to jo.bloggs@example.org.uk", "email"),
        ],
    )
    def test_identifying_patterns_are_found(self, text, rule):
        assert [hit.rule for hit in hits_in(text)] == [rule]

    @pytest.mark.parametrize(
        "text",
        [
            "NI number QQ 12 34 56 C",  # Q never starts one
            "NI number AB 12 34 56 E",  # suffixes run A to D
            "Between 2015 and 2016, 12 agencies met 340 times.",
            "Section 47 enquiries began in 2019-20.",
        ],
    )
    def test_lookalikes_are_not_hits(self, text):
        assert hits_in(text) == []


@st.composite
def names(draw):
    letters = st.text(alphabet=string.ascii_letters, min_size=3, max_size=12)
    return draw(letters).capitalize(), draw(letters).capitalize()


FILLER = ["the", "report", "found", "that", "agencies", "worked", "together", "at", "home"]


class TestNameProperties:
    @settings(suppress_health_check=[HealthCheck.too_slow], max_examples=60)
    @given(
        names(),
        st.sampled_from([" ", "\n", "  \n ", "\t"]),
        st.sampled_from(["", "'s", "’s", "s'"]),
        st.booleans(),
        st.randoms(use_true_random=False),
    )
    def test_a_name_in_any_case_split_anyhow_with_a_possessive_is_found(
        self, name, space, suffix, upper, rng
    ):
        given_name, family = name
        written = f"{given_name}{space}{family}{suffix}"
        written = written.upper() if upper else written.lower()
        words = [rng.choice(FILLER) for _ in range(6)]
        text = " ".join([*words[:3], written, *words[3:]])
        identifier = gate.Identifier(f"{given_name} {family}", "person", "A child's name")
        found = hits_in(text, identifier)
        assert len(found) == 1
        assert found[0].matched.replace(" ", "").lower().startswith((given_name + family).lower())

    @settings(max_examples=60)
    @given(names(), st.lists(st.sampled_from(FILLER), min_size=1, max_size=30))
    def test_text_without_the_name_has_no_hit(self, name, filler):
        given_name, family = name
        assume(not {given_name.lower(), family.lower()} & {w.lower() for w in FILLER})
        assume(
            not any(w.lower().startswith(given_name.lower()[:1]) and len(w) == 1 for w in filler)
        )
        identifier = gate.Identifier(f"{given_name} {family}", "person", "A child's name")
        assert hits_in(" ".join(filler), identifier) == []

    @settings(max_examples=40)
    @given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31)))
    def test_a_date_of_birth_is_found_in_every_format(self, day):
        identifier = gate.Identifier(day.isoformat(), "date_of_birth", "A child's date of birth")
        month = gate.MONTHS[day.month - 1]
        for text in (
            f"{day.day:02d}/{day.month:02d}/{day.year}",
            f"{day.day}.{day.month}.{day.year % 100:02d}",
            day.isoformat(),
            f"{day.day} {month.title()} {day.year}",
            f"{month[:3].title()} {day.day}, {day.year}",
        ):
            assert matched(f"seen on {text} again", identifier), text


class TestReadingDocuments:
    def test_a_pdf_is_read_page_by_page(self):
        pdf = placeholder_pdf([["first page"], ["second page with Amara Okafor"]])
        extraction = gate.extract(pdf, gate.PDF)
        assert extraction.pages == 2
        (hit,) = gate.check(extraction, gate.Matcher([CHILD]))
        assert hit.location == "page 2"

    def test_a_pdf_s_properties_are_checked_too(self):
        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        writer.add_metadata({"/Author": "Amara Okafor"})
        buffer = io.BytesIO()
        writer.write(buffer)
        extraction = gate.extract(buffer.getvalue(), gate.PDF)
        (hit,) = gate.check(extraction, gate.Matcher([CHILD]))
        assert hit.location == "document properties"

    def test_an_encrypted_pdf_cannot_be_used(self):
        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        writer.encrypt("secret")
        buffer = io.BytesIO()
        writer.write(buffer)
        with pytest.raises(gate.UnreadableDocument, match="encrypted"):
            gate.inspect(buffer.getvalue(), gate.PDF)

    def test_a_damaged_pdf_cannot_be_used(self):
        with pytest.raises(gate.UnreadableDocument):
            gate.inspect(b"%PDF-1.7\nthis is not really a pdf", gate.PDF)

    def test_a_page_with_a_picture_and_no_text_is_unreadable(self):
        from tests.support.documents import scanned_pdf

        extraction = gate.extract(scanned_pdf(), gate.PDF)
        assert extraction.unreadable == ["page 1"]

    def test_a_pdf_that_needs_a_password_or_only_has_an_owner_s_cannot_be_read(self):
        # Refused at upload; the gate's own reading refuses it too.
        for content in (encrypted_pdf("secret"), encrypted_pdf("")):
            with pytest.raises(gate.UnreadableDocument, match="encrypted"):
                gate.extract(content, gate.PDF)

    @pytest.mark.parametrize("content", [b"%PDF-1.7\nthis is not really a pdf", b"", b"hello"])
    def test_a_file_that_is_not_a_pdf_cannot_be_read(self, content):
        with pytest.raises(gate.UnreadableDocument, match="not a readable PDF"):
            gate.extract(content, gate.PDF)

    def test_a_pdf_with_more_pages_than_allowed_is_not_read(self):
        with pytest.raises(gate.UnreadableDocument, match="more than 2 pages"):
            gate.extract(pdf("one", "two", "three"), gate.PDF, max_pages=2)
        assert gate.extract(pdf("one", "two"), gate.PDF, max_pages=2).pages == 2

    def test_a_page_that_cannot_be_read_is_unreadable(self):
        # A page tree whose first page is not a page: pypdf counts one page, PDFium two, and
        # cannot load the first.
        content = pdf("page one", "page two").replace(b"/Type /Page ", b"/Type /Pagx ", 1)
        extraction = gate.extract(content, gate.PDF)
        assert extraction.unreadable == ["page 1"]
        assert extraction.text == "page two"

    def test_each_page_is_closed_before_the_next_and_the_file_at_the_end(self, monkeypatch):
        import pypdfium2 as pdfium

        made = []
        for kind in (pdfium.PdfDocument, pdfium.PdfPage, pdfium.PdfTextPage):

            def init(self, *args, _original=kind.__init__, **kwargs):
                _original(self, *args, **kwargs)
                made.append(self)

            monkeypatch.setattr(kind, "__init__", init)
        open_pages = []

        def progress(done, total):
            pages = [o for o in made if o.raw and not isinstance(o, pdfium.PdfDocument)]
            open_pages.append(len(pages))

        gate.extract(pdf("one", "two", "three"), gate.PDF, progress)
        with pytest.raises(gate.UnreadableDocument):
            gate.extract(encrypted_pdf(""), gate.PDF)
        assert open_pages == [0, 0, 0]
        assert len(made) == 8  # two files, three pages with a text page each
        assert all(not o.raw for o in made)

    def test_a_word_document_is_read_with_its_tables_headers_and_properties(self):
        document = docx.Document()
        document.add_paragraph("The review found nothing identifying.")
        table = document.add_table(rows=1, cols=1)
        table.cell(0, 0).text = "Okafor household"
        document.sections[0].header.paragraphs[0].text = "Confidential: Amara"
        document.core_properties.author = "Amara Okafor"
        buffer = io.BytesIO()
        document.save(buffer)
        extraction = gate.extract(buffer.getvalue(), gate.DOCX)
        locations = [hit.location for hit in gate.check(extraction, gate.Matcher([CHILD]))]
        assert "header" in locations and "document properties" in locations
        assert any(location.startswith("main text") for location in locations)

    def test_a_zip_that_is_not_a_word_document_cannot_be_used(self):
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        with pytest.raises(gate.UnreadableDocument):
            gate.inspect(buffer.getvalue(), gate.DOCX)


class TestReadingTypesetPdfs:
    """PDFium reads a PDF's text differently from pypdf (its line ends, the hyphens it hides):
    the gate still sees the same words."""

    def test_a_name_the_typesetter_hyphenated_over_a_line_is_found(self):
        content = typeset_pdf("<p>The Oka&shy;for family</p>", width="10mm")
        extraction = gate.extract(content, gate.PDF)
        assert "Oka\u2010\nfor" in extraction.text
        (hit,) = gate.check(extraction, gate.Matcher([CHILD]))
        assert (hit.location, hit.matched) == ("page 1", "Oka\u2010 for")

    def test_a_name_typed_with_a_hyphen_at_a_line_s_end_is_found_whole(self):
        # PDFium gives such a hyphen as U+FFFE and drops the line break.
        extraction = gate.extract(pdf("The Oka-\nfor family moved."), gate.PDF)
        assert extraction.text == "The Oka-\nfor family moved."
        (hit,) = gate.check(extraction, gate.Matcher([CHILD]))
        assert hit.matched == "Oka- for"

    def test_a_double_barrelled_name_broken_at_its_hyphen_keeps_the_hyphen(self):
        family = gate.Identifier("Mensah-Okafor", "family_name", "A family name")
        content = typeset_pdf("<p>Mrs Mensah-Okafor came</p>", width="28mm")
        extraction = gate.extract(content, gate.PDF)
        assert "Mensah-\nOkafor" in extraction.text
        (hit,) = gate.check(extraction, gate.Matcher([family]))
        assert (hit.before, hit.matched, hit.after) == ("Mrs ", "Mensah- Okafor", " came")

    def test_a_justified_report_is_found_page_by_page_with_its_context(self):
        content = typeset_pdf(
            "<h2>Summary</h2><p style='text-align: justify'>"
            + "The review found that agencies worked together. " * 8
            + "</p>",
            "<p style='text-align: justify'>The health visitor saw Amara's mother, who said "
            "the baby was born on 14 March 2012 at home.</p>",
            "<p>A.\u00a0Okafor attended the strategy discussion.</p>",
        )
        extraction = gate.extract(content, gate.PDF)
        assert extraction.pages == 3
        assert "\r" not in extraction.text
        found = gate.check(extraction, gate.Matcher([CHILD, DOB]))
        assert [(h.location, h.rule, h.matched) for h in found] == [
            ("page 2", "identifier:person", "Amara"),
            ("page 2", "identifier:date_of_birth", "14 March 2012"),
            ("page 3", "identifier:person", "A. Okafor"),
        ]
        assert found[0].before.endswith("health visitor saw ")
        assert found[0].after.startswith("'s mother, who said")

    def test_text_drawn_outside_the_page_is_still_checked(self):
        # Nobody sees it in a viewer, but it is in the published file for anyone to copy.
        content = typeset_pdf(
            "<p>A report.</p>"
            "<p style='position: absolute; left: -300mm; top: -300mm'>Amara Okafor</p>"
        )
        (hit,) = gate.check(gate.extract(content, gate.PDF), gate.Matcher([CHILD]))
        assert hit.matched == "Amara Okafor"


def test_two_hundred_identifiers_over_a_long_text_are_all_found():
    rng = random.Random(7)
    identifiers = [
        gate.Identifier(
            f"{''.join(rng.choices(string.ascii_lowercase, k=7)).title()} "
            f"{''.join(rng.choices(string.ascii_lowercase, k=8)).title()}",
            "person",
            "A name",
        )
        for _ in range(200)
    ]
    planted = identifiers[::20]
    words = [rng.choice(FILLER) for _ in range(20000)]
    for n, identifier in enumerate(planted):
        words.insert(1000 * n + 500, identifier.value)
    found = hits_in(" ".join(words), *identifiers)
    assert sorted(hit.matched for hit in found) == sorted(i.value for i in planted)
