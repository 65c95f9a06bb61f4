"""Tables people open in a spreadsheet: CSV streamed row by row, Excel written row by row to a temporary file.

Both keep every text as text: a CSV cell a spreadsheet would run as a formula (OWASP "CSV injection":
`=`, `+`, `-`, `@`, tab, carriage return first) gets a leading quote, and an Excel cell holding text is typed
as a string, never a formula. Lists become "a|b|c".
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import FileResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A workbook in memory would grow with its rows: openpyxl's write-only mode writes them to disk as they come,
# and the finished file is sent from there.
SPOOL_BYTES = 8 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (OWASP "CSV injection") is kept as text by a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _joined(value: Any) -> Any:
    return "|".join(map(str, value)) if isinstance(value, list) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV's lines (with a byte-order mark, for Excel), every cell made safe."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(_joined(value)) if value is not None else "" for value in row])


def csv_response(headers: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_cell(sheet, value: Any):
    from openpyxl.cell import WriteOnlyCell

    value = _joined(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text as text: "=…" is never taken for a formula, "01" keeps its zero
    return cell


def xlsx_response(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], filename: str, *, sheet_name: str
) -> FileResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(list(headers))
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 -- closed by the response
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
