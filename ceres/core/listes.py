"""Exports of the list pages: « ?export=csv » or « ?export=xlsx » gives the rows of the current filters and scope.

Streamed: CSV row by row, XLSX through openpyxl's write-only workbook (rows go to a temporary file, not to memory), the
queryset read by chunks, so a national export of 2 million rows keeps a flat memory. Every cell goes through
`ceres.core.exports` (formulas neutralised). An export of personal data is journaled (who, which list, which filters).
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from ceres.core.dates import fr_date
from ceres.core.exports import XLSX_CONTENT_TYPE, inert, xlsx_cell
from ceres.core.journal import journal_record
from ceres.core.models import JournalEntry

FORMATS = ("csv", "xlsx")
CHUNK = 2000


@dataclass(frozen=True)
class Colonne:
    header: str
    value: Callable  # row -> cell value


class _Echo:
    def write(self, value):
        return value


def csv_lines(columns: list[Colonne], rows: Iterable) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([inert(c.header) for c in columns])
    for row in rows:
        yield writer.writerow([inert(_plain(c.value(row))) for c in columns])


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return fr_date(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return value


def xlsx_file(columns: list[Colonne], rows: Iterable, *, title: str):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([xlsx_cell(WriteOnlyCell(sheet), c.header) for c in columns])
    for row in rows:
        values = []
        for column in columns:
            value = column.value(row)
            if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            values.append(xlsx_cell(WriteOnlyCell(sheet), value))
        sheet.append(values)
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


class ExportMixin:
    """For a list page: define `export_name`, `export_columns()` and `export_rows()` (filtered, scoped, ordered)."""

    export_name = "export"
    export_personal = False  # True: candidates, jurors… the export is journaled

    def export_columns(self) -> list[Colonne]:
        raise NotImplementedError

    def export_rows(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for key in ("page", "export"):
            query.pop(key, None)
        context["export_query"] = query.urlencode() + "&" if query else ""
        return context

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt not in FORMATS:
            return super().get(request, *args, **kwargs)
        rows = self.export_rows()
        if hasattr(rows, "iterator"):
            # One query read by chunks: a single snapshot and linear time (OFFSET pages would re-scan the rows
            # already sent, quadratic on a national export). On PostgreSQL it is a server-side cursor; the CSV is
            # read after the view's transaction has committed, in autocommit, so Django declares it WITH HOLD. The
            # connection stays open until the server has sent the last byte: Django closes it on request_finished,
            # which the WSGI server fires by calling response.close() after the iteration.
            rows = rows.iterator(chunk_size=CHUNK)
        if self.export_personal:
            filters = {k: v for k, v in request.GET.items() if k not in ("export", "page")}
            journal_record(
                action=JournalEntry.Action.VIEW,
                obj=request.user,
                by=request.user,
                operation=f"export_{self.export_name}",
                changes={"format": fmt, "filtres": filters},
            )
        filename = f"ceres-{self.export_name}-{timezone.localdate():%Y-%m-%d}.{fmt}"
        if fmt == "csv":
            response = StreamingHttpResponse(
                csv_lines(self.export_columns(), rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        handle = xlsx_file(self.export_columns(), rows, title=self.export_name)
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
