"""Reading the words drawn on a PDF page that has no text layer for them (a scan, or text that
design software turned into outlines), with Tesseract (Debian's ``tesseract-ocr`` and
``tesseract-ocr-eng``, through pytesseract).

**Which pages are read by OCR** (``needs_ocr``, cheap for a page of text): from PDFium's page
objects, the page is laid on a grid of ``GRID`` by ``GRID`` cells; a cell is *drawn* when an image,
or a filled vector path at least ``MIN_SIDE`` points wide and high (a glyph's outline; not a
hairline rule), overlaps it; it is *covered* when a box of the page's extracted text overlaps
it. The page is read by OCR when

1. it has no extracted text and anything drawn (a scan, text as outlines, a lone picture); or
2. its drawn cells not covered by text are at least ``OcrRule.min_uncovered_percent`` of the
   page (2 %: about a 3.5 cm square on A4 — a photograph, a screenshot, a chart, a paragraph
   turned into outlines beside real text; not a small logo).

A page with no image and no filled path is never rendered, so a text page costs one pass over
its objects. A page of a scan that also carries an (invisible) OCR text layer is read again:
its margins are picture not covered by text, and the layer may be wrong.

**When OCR is trusted** (``OcrRule.min_confidence``, 75 by default): Tesseract gives each word a
confidence from 0 to 100. Over the words with a letter or a digit, weighted by their length,
the page's mean confidence must reach it; below, the page "cannot be checked" (its words are
still matched). A page with nothing but drawings on which OCR reads no word "cannot be checked"
either: a page is never silently blank.
"""

from dataclasses import dataclass

from publishing.gate.extraction import Box

GRID = 24
MIN_SIDE = 2.0  # points: thinner shapes are rules and borders, not words
# Render at most this many pixels (A3 at 300 dpi is 17 million), whatever the page's size.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class OcrRule:
    """``dpi``: the resolution pages are rendered at for Tesseract; ``min_confidence``: the
    length-weighted mean word confidence (0 to 100) a page's OCR must reach to be trusted;
    ``min_uncovered_percent``: the share of the page drawn and not covered by text that sends a
    page with text to OCR too; ``language``: Tesseract's language."""

    dpi: int = 300
    min_confidence: int = 75
    min_uncovered_percent: float = 2.0
    language: str = "eng"


@dataclass
class PageReading:
    """What OCR read on one page: its words with their boxes (points from the page's top left),
    the index of the word each line starts with, and the page's mean confidence (None when it
    read no word)."""

    words: list[tuple[str, Box]]
    lines: list[int]
    confidence: float | None


def _cells(rect: tuple[float, float, float, float], width: float, height: float) -> set[int]:
    left, bottom, right, top = rect
    left, right = max(left, 0.0), min(right, width)
    bottom, top = max(bottom, 0.0), min(top, height)
    if right <= left or top <= bottom:
        return set()
    cell_w, cell_h = width / GRID, height / GRID
    first_col, last_col = int(left / cell_w), min(int(right / cell_w), GRID - 1)
    first_row, last_row = int(bottom / cell_h), min(int(top / cell_h), GRID - 1)
    return {
        row * GRID + col
        for row in range(first_row, last_row + 1)
        for col in range(first_col, last_col + 1)
    }


def _bounds(obj) -> tuple[float, float, float, float] | None:
    import ctypes

    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return None
    return left.value, bottom.value, right.value, top.value


def _is_drawing(obj, depth: int = 0) -> bool:
    """An image, a filled path big enough to be a glyph, or a form holding one."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return True
    if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
            return False
        bounds = _bounds(obj)
        return bool(
            fill.value
            and bounds
            and bounds[2] - bounds[0] >= MIN_SIDE
            and bounds[3] - bounds[1] >= MIN_SIDE
        )
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
        count = pdfium_c.FPDFFormObj_CountObjects(obj)
        return any(
            _is_drawing(pdfium_c.FPDFFormObj_GetObject(obj, i), depth + 1) for i in range(count)
        )
    return False


def drawn_cells(page) -> set[int]:
    """The grid cells of ``page`` (a pypdfium2 page) that images and filled paths draw on."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    cells: set[int] = set()
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue  # the common case, decided with one call
        if _is_drawing(obj):
            bounds = _bounds(obj)
            if bounds:
                cells |= _cells(bounds, width, height)
    return cells


def text_cells(page, textpage) -> set[int]:
    width, height = page.get_size()
    cells: set[int] = set()
    for index in range(textpage.count_rects()):
        cells |= _cells(textpage.get_rect(index), width, height)
    return cells


def needs_ocr(page, textpage, has_text: bool, rule: OcrRule) -> bool:
    """Whether ``page`` is read by OCR (the rule in this module's docstring)."""
    drawn = drawn_cells(page)
    if not drawn:
        return False
    if not has_text:
        return True
    uncovered = drawn - text_cells(page, textpage)
    return 100 * len(uncovered) / (GRID * GRID) >= rule.min_uncovered_percent


def _confidence(words: list[tuple[str, float]]) -> float | None:
    weighted = [(conf, len(word)) for word, conf in words if any(c.isalnum() for c in word)]
    total = sum(length for _, length in weighted)
    if not total:
        return None
    return sum(conf * length for conf, length in weighted) / total


def read_page(page, rule: OcrRule) -> PageReading:
    """Render ``page`` with PDFium and read it with Tesseract. Raises ``OSError`` when
    Tesseract is not installed."""
    import pytesseract

    width, height = page.get_size()
    scale = rule.dpi / 72
    if width * height * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / (width * height)) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True, draw_annots=False)
    try:
        image = bitmap.to_pil()
        try:
            data = pytesseract.image_to_data(
                image, lang=rule.language, output_type=pytesseract.Output.DICT
            )
        except pytesseract.TesseractNotFoundError as error:
            raise OSError("Tesseract is not installed") from error
        finally:
            image.close()
    finally:
        bitmap.close()
    words: list[tuple[str, Box]] = []
    confidences: list[tuple[str, float]] = []
    lines: list[int] = []
    line_of_last = None
    for index, text in enumerate(data["text"]):
        text = (text or "").strip()
        if data["level"][index] != 5 or not text:
            continue
        line = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        if line != line_of_last:
            lines.append(len(words))
            line_of_last = line
        left, top = data["left"][index] / scale, data["top"][index] / scale
        right = left + data["width"][index] / scale
        bottom = top + data["height"][index] / scale
        words.append((text, (round(left, 1), round(top, 1), round(right, 1), round(bottom, 1))))
        confidences.append((text, max(float(data["conf"][index]), 0.0)))
    return PageReading(words, lines, _confidence(confidences))
