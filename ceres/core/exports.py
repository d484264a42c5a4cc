"""The one way to write CSV and XLSX exports: every cell is inert in a spreadsheet.

A text cell beginning with =, +, -, @, a tab or a carriage return is read as a formula by Excel and LibreOffice
(CSV injection, OWASP « CSV Injection »): a juror named `=HYPERLINK("http://…","Cliquez")` would become a live link
in the UD's spreadsheet. Such cells are prefixed with an apostrophe in CSV, and stored as text with Excel's quote
prefix in XLSX (shown unchanged, never evaluated, even after an edit). Numbers and dates stay typed values.
"""

import csv
import datetime
import decimal
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def inert(value) -> str:
    """Text of a cell that no spreadsheet evaluates."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header: Sequence, rows: Iterable[Sequence], *, delimiter: str = ";") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([inert(cell) for cell in header])
    for row in rows:
        writer.writerow([inert(cell) for cell in row])
    return out.getvalue()


def _disposition(filename: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in filename)
    return f'attachment; filename="{safe}"'


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """CSV download (« ; », UTF-8 with BOM so spreadsheet software reads the accents)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    response.write("\ufeff" + csv_text(header, rows))
    return response


def _xlsx_value(cell, value):
    if isinstance(value, bool | int | float | decimal.Decimal | datetime.date | datetime.datetime):
        cell.value = value
        return
    text = "" if value is None else str(value)
    cell.value = text
    cell.data_type = "s"  # never "f" (openpyxl reads a leading « = » as a formula)
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def xlsx_cell(cell, value):
    """Fill an openpyxl cell (write-only mode included) inertly and return it."""
    _xlsx_value(cell, value)
    return cell
