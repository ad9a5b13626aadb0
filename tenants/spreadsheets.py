"""CSV and Excel files the platform hands out, safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)`` planted in a chronology by a
joint review's participant would run in the lead's business manager's spreadsheet). As OWASP's
"CSV Injection" advice has it, such a cell is prefixed with ``'``, which makes it text. Every CSV
export goes through ``csv_lines`` and every Excel one through ``xlsx_bytes``; none builds its own
``csv.writer`` or workbook. (openpyxl would store a text starting with ``=`` as a formula: the
same prefix keeps it text there too.)
"""

import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> object:
    """``value`` as a cell no spreadsheet runs as a formula: text starting as a formula gets a
    leading ``'``; numbers and everything else are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one CSV line (RFC 4180 quoting, ``\\r\\n`` ends), every cell made
    spreadsheet-safe; lazily, so a long export streams."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([spreadsheet_safe(value) for value in row])
        yield buffer.getvalue()


def xlsx_bytes(rows: Iterable[Iterable], *, title: str) -> bytes:
    """The rows as one Excel (.xlsx) worksheet named ``title``, the first row bold as headings,
    every text cell made spreadsheet-safe and stored as text, never as a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for number, row in enumerate(rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=spreadsheet_safe(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if number == 0:
                cell.font = Font(bold=True)
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
