"""Benchmark: the anonymisation gate on a 100-page report with 200 known identifiers, and on a
scanned report read by OCR. Not a test; run it by hand:

    .venv/bin/python -m tests.perf.bench_gate [--runs 5] [--pages 100] [--identifiers 200]
        [--scanned-pages 20] [--scanned-runs 1]

It makes the report twice, as partnerships would upload it: a PDF typeset by WeasyPrint (A4,
embedded fonts, justified paragraphs, a heading per page) and a Word document of the same text
(python-docx, with a header and a table). Into the text go 20 of the identifiers (names split
over line breaks, possessives, initials with surnames, dates of birth in other formats) among
ordinary review prose. The identifiers are 100 people's names, 40 addresses, 20 schools or
placements and 40 dates of birth. It then times, ``--runs`` times after one warm-up, the gate's
own work — ``gate.extract`` (PDFium page by page, or the Word file part by part) and
``gate.check`` (every identifier and every pattern) — and prints the median, p95, min and max,
and how many hits it found. No database: the gate's reads and writes around this are a handful
of rows.

Then, as the gate's task runs it, the same PDF through ``gate.extract_bounded`` (a child Python
process with its memory and time limits: the start of that process is part of the figure), and
a scanned report of ``--scanned-pages`` A4 pages (the first pages of the same report, typeset,
rendered at 300 dpi in grey and put back in a PDF as one picture a page, as a scanner makes
them), which every page of is read by OCR: the seconds per page are the figure.
"""

import argparse
import datetime
import io
import os
import platform
import random
import statistics
import string
import subprocess
import sys
import time

from tests.perf.harness import percentile

PROSE = [
    "The health visitor saw the family at home and recorded that the baby was settled.",
    "Children's social care received a referral from the school about repeated absences.",
    "A strategy discussion was held and agencies agreed to share information weekly.",
    "The police attended after a neighbour reported shouting; no one answered the door.",
    "The GP noted a missed appointment and wrote offering another date.",
    "Learning: professionals should be curious about what they are told and check it.",
    "The review found that information was held by several agencies but not brought together.",
    "Recommendation: the partnership should audit how bruising in non-mobile babies is handled.",
]


def _word(rng, length):
    return "".join(rng.choices(string.ascii_lowercase, k=length)).title()


def identifiers(rng, count: int):
    from publishing import gate

    found = []
    people = count // 2
    for _ in range(people):
        found.append(gate.Identifier(f"{_word(rng, 6)} {_word(rng, 8)}", "person", "A name"))
    for _ in range(count // 5):
        address = f"{rng.randint(1, 200)} {_word(rng, 7)} Road, {_word(rng, 9)}"
        found.append(gate.Identifier(address, "address", "An address"))
    for _ in range(count // 10):
        found.append(gate.Identifier(f"{_word(rng, 7)} Primary School", "place", "A school"))
    while len(found) < count:
        day = datetime.date(2005, 1, 1) + datetime.timedelta(days=rng.randint(0, 6000))
        found.append(gate.Identifier(day.isoformat(), "date_of_birth", "A date of birth"))
    return found


def planted(identifier, rng) -> str:
    """An identifier written as a report might (and as the gate must still find it)."""
    if identifier.kind == "person":
        given, family = identifier.value.split()
        return rng.choice(
            [f"{given}\n{family}", f"{given}'s", f"{given[0]}. {family}", f"the {family}s'"]
        )
    if identifier.kind == "date_of_birth":
        day = datetime.date.fromisoformat(identifier.value)
        return rng.choice([day.strftime("%d/%m/%Y"), day.strftime("%d %B %Y")])
    return identifier.value.split(",")[0]


def report_paragraphs(rng, pages: int, found) -> list[list[str]]:
    """Paragraphs for each page, with 20 identifiers planted."""
    chosen = rng.sample(found, 20)
    plants = {rng.randrange(pages * 6): identifier for identifier in chosen}
    result = []
    for page in range(pages):
        paragraphs = []
        for n in range(6):
            text = " ".join(rng.choice(PROSE) for _ in range(5))
            identifier = plants.get(page * 6 + n)
            if identifier is not None:
                text += " " + planted(identifier, rng) + " was mentioned."
            paragraphs.append(text)
        result.append(paragraphs)
    return result


def pdf_report(pages_text) -> bytes:
    from weasyprint import HTML

    body = "".join(
        f'<section style="break-after: page"><h2>Section {n + 1}</h2>'
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</section>"
        for n, paragraphs in enumerate(pages_text)
    )
    html = (
        "<html><head><style>@page { size: A4; margin: 20mm } body { font-family: serif;"
        " font-size: 11pt; text-align: justify }</style></head><body>" + body + "</body></html>"
    )
    return HTML(string=html).write_pdf()


def word_report(pages_text) -> bytes:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Local child safeguarding practice review"
    for n, paragraphs in enumerate(pages_text):
        document.add_heading(f"Section {n + 1}", level=2)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Agency"
    table.cell(0, 1).text = "Involvement"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def scanned_report(pdf: bytes, pages: int, dpi: int = 300) -> bytes:
    """The first ``pages`` pages of ``pdf`` as a scanner would give them back: pictures only."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        images = [
            document[n].render(scale=dpi / 72, grayscale=True).to_pil()
            for n in range(min(pages, len(document)))
        ]
    finally:
        document.close()
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def timed(function, runs: int, warm_up: bool = True) -> tuple[list[float], object]:
    timings, result = [], None
    for run in range(runs + warm_up):
        started = time.perf_counter()
        result = function()
        if run or not warm_up:
            timings.append(time.perf_counter() - started)
    return timings, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--identifiers", type=int, default=200)
    parser.add_argument("--scanned-pages", type=int, default=20)
    parser.add_argument("--scanned-runs", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings.test")
    import django

    django.setup()
    from pypdf import PdfReader

    from publishing import gate

    rng = random.Random(2026)
    found = identifiers(rng, args.identifiers)
    pages_text = report_paragraphs(rng, args.pages, found)
    reports = [
        ("PDF", pdf_report(pages_text), gate.PDF),
        ("Word", word_report(pages_text), gate.DOCX),
    ]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(
        f"{datetime.date.today().isoformat()}, commit {commit}, {platform.node()}: "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"{'':<8}{'size':>9}{'pages':>7}{'hits':>6}{'median':>10}{'p95':>10}{'min':>10}"
        f"{'max':>10}   extract / check (median)"
    )
    for label, content, content_type in reports:
        pages = len(PdfReader(io.BytesIO(content)).pages) if content_type == gate.PDF else "-"
        timings, extracts, checks, hits = [], [], [], []
        for run in range(args.runs + 1):
            started = time.perf_counter()
            matcher = gate.Matcher(found)
            extraction = gate.extract(content, content_type)
            middle = time.perf_counter()
            hits = gate.check(extraction, matcher)
            ended = time.perf_counter()
            if run:
                timings.append(ended - started)
                extracts.append(middle - started)
                checks.append(ended - middle)
        print(
            f"{label:<8}{len(content) / 1024:>7.0f}kB{pages!s:>7}{len(hits):>6}"
            f"{statistics.median(timings):>9.2f}s{percentile(timings, 0.95):>9.2f}s"
            f"{min(timings):>9.2f}s{max(timings):>9.2f}s   "
            f"{statistics.median(extracts):.2f}s / {statistics.median(checks):.2f}s"
        )
    pdf_content = reports[0][1]

    def bounded(content, matcher_identifiers):
        matcher = gate.Matcher(matcher_identifiers)
        extraction = gate.extract_bounded(content, gate.PDF, limits=gate.Limits())
        return extraction, gate.check(extraction, matcher)

    timings, (_, hits) = timed(lambda: bounded(pdf_content, found), args.runs)
    print(
        f"{'PDF, in the bounded child':<27}{len(hits):>5} hits  median "
        f"{statistics.median(timings):.2f}s  p95 {percentile(timings, 0.95):.2f}s  "
        f"min {min(timings):.2f}s  max {max(timings):.2f}s"
    )
    if not args.scanned_pages:
        return 0
    scan = scanned_report(pdf_content, args.scanned_pages)
    # No warm-up: every run starts a new reading process and Tesseract anew.
    timings, (extraction, hits) = timed(
        lambda: bounded(scan, found), args.scanned_runs, warm_up=False
    )
    pages = extraction.pages
    ocr_pages = len({loc for _, loc in extraction.locations if loc.endswith("(read by OCR)")})
    print(
        f"{'scanned PDF, OCR':<27}{len(hits):>5} hits  {pages} pages ({ocr_pages} read by OCR, "
        f"{len(extraction.unreadable)} cannot be checked), {len(scan) / 1024:.0f} kB: median "
        f"{statistics.median(timings):.1f}s, {statistics.median(timings) / pages:.2f} s a page"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
