"""CSV and Excel exports are safe to open in a spreadsheet (issue 10, part 4; issue 14, item 3;
OWASP "CSV Injection")."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from tenants.spreadsheets import csv_lines, spreadsheet_safe, xlsx_bytes

RUNNABLE = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("https://x","y")']


def xlsx_cells(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("cell", RUNNABLE)
def test_a_cell_a_spreadsheet_would_run_is_made_text(cell):
    assert spreadsheet_safe(cell) == "'" + cell
    (line,) = csv_lines([[cell]])
    assert next(csv.reader(io.StringIO(line))) == ["'" + cell]


@pytest.mark.parametrize("cell", ["Health visit", "1+1", "", "a=b", "'quoted", "child's"])
def test_ordinary_text_is_left_as_it_is(cell):
    assert spreadsheet_safe(cell) == cell


def test_numbers_and_other_values_are_left_alone():
    assert spreadsheet_safe(-3) == -3
    assert spreadsheet_safe(None) is None
    assert list(csv_lines([["a", 1, None]])) == ["a,1,\r\n"]


def test_an_excel_file_holds_no_formula_and_keeps_its_values():
    data = xlsx_bytes([["Heading", "Number"], *[[cell, 7] for cell in RUNNABLE]], title="actions")
    header, *rows = xlsx_cells(data)
    assert [cell.value for cell in header] == ["Heading", "Number"] and header[0].font.b
    for (cell, number), typed in zip(rows, RUNNABLE, strict=True):
        # Stored as text ("s"), never as a formula ("f"), with the same prefix as the CSV.
        assert (cell.data_type, cell.value) == ("s", "'" + typed)
        assert (number.data_type, number.value) == ("n", 7)
    assert load_workbook(io.BytesIO(data)).sheetnames == ["actions"]


def test_every_csv_export_goes_through_the_shared_writer():
    """No module but tenants/spreadsheets.py builds a csv.writer of its own."""
    root = Path(settings.BASE_DIR)
    writers = re.compile(r"csv\.(writer|DictWriter)\(|Workbook\(")
    found = sorted(
        str(path.relative_to(root))
        for package in ("tenants", "casework", "publishing", "api", "frontend", "safeguard")
        for path in (root / package).rglob("*.py")
        if writers.search(path.read_text())
    )
    assert found == ["tenants/spreadsheets.py"]
