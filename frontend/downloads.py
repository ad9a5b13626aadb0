"""How a private file (a referral's attachment, a review document, an action's evidence, a
publication's document) or a list exported as a spreadsheet leaves the platform: as a download
that no cache keeps and no browser sniffs. Who may have it is the selector's, which also records
the download."""

from collections.abc import Iterable

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from tenants.spreadsheets import csv_lines, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The formats a list downloads in: what the address ends with, and its content type.
SPREADSHEET_FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file(file, name: str, content_type: str) -> FileResponse:
    return _private(
        FileResponse(file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    )


def spreadsheet(rows: Iterable[Iterable], *, name: str, file_format: str) -> HttpResponse:
    """``rows`` (the first the headings) as ``name``.csv, streamed, or ``name``.xlsx; both
    formula-safe (``tenants.spreadsheets``)."""
    if file_format == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, title=name), content_type=XLSX)
    else:
        response = StreamingHttpResponse(csv_lines(rows), content_type=SPREADSHEET_FORMATS["csv"])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return _private(response)
