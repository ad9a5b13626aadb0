"""CSV exports are safe to open in a spreadsheet (issue 10, part 4; OWASP "CSV Injection")."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings

from tenants.spreadsheets import csv_lines, spreadsheet_safe


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("https://x","y")'],
)
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


def test_every_csv_export_goes_through_the_shared_writer():
    """No module but tenants/spreadsheets.py builds a csv.writer of its own."""
    root = Path(settings.BASE_DIR)
    writers = re.compile(r"csv\.(writer|DictWriter)\(")
    found = sorted(
        str(path.relative_to(root))
        for package in ("tenants", "casework", "publishing", "api", "frontend", "safeguard")
        for path in (root / package).rglob("*.py")
        if writers.search(path.read_text())
    )
    assert found == ["tenants/spreadsheets.py"]
