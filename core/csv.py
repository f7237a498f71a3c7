"""CSV, one path for every download: API lists (through CSVRenderer) and chart data
(through csv_response) are written by the same writer, with a header even when empty.

For spreadsheets the same table also comes as CSV for Excel (UTF-8 with a byte-order mark,
without which Excel reads £ and en dashes as Windows-1252) and as XLSX, where every text cell
is stored as text, so a cell starting with = is never run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import numbers
from decimal import Decimal
from typing import TYPE_CHECKING

import orjson
from django.http import HttpResponse
from rest_framework import renderers

if TYPE_CHECKING:
    import pandas as pd

BOM = "\ufeff"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CSVTable(list):
    """Flat rows for CSV, with the column names (so an empty result still has its header)."""

    def __init__(self, rows: list[dict], columns: list[str]):
        super().__init__(rows)
        self.columns = columns


class CSVRenderer(renderers.BaseRenderer):
    """A CSVTable as CSV, one record per row; anything else (an error, one record) as one row."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        text = write_csv(as_table(data))
        request = (renderer_context or {}).get("request")
        return (BOM + text if request is not None and wants_excel(request) else text).encode("utf-8")


class XLSXRenderer(renderers.BaseRenderer):
    """The same table as CSVRenderer's, as an Excel workbook of one sheet."""

    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        return write_xlsx(as_table(data), getattr(view, "csv_filename", "data"))


def as_table(data) -> CSVTable:
    """A CSVTable as it is; an error as one row per problem; anything else (one record) as one row."""
    if isinstance(data, dict) and "errors" in data:
        return CSVTable([{"parameter": name, "problem": problem} for name, problems in data["errors"].items()
                         for problem in problems], ["parameter", "problem"])
    if not isinstance(data, CSVTable):
        row = flatten(dict(data or {}))
        return CSVTable([row], list(row))
    return data


def wants_excel(request) -> bool:
    """?excel=1: the CSV for Excel, with a byte-order mark."""
    return request.GET.get("excel") == "1"


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"),
# and some skip leading whitespace first, so " =1+1" runs too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS)):
        return "'" + value
    return value


def write_csv(table: CSVTable) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: neutralise(value) for key, value in row.items()} for row in table)
    return buffer.getvalue()


def write_xlsx(table: CSVTable, title: str) -> bytes:
    # openpyxl (with numpy, about 30 MB) is imported by the workers that write a spreadsheet.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    def cell_of(value):
        if value is None or value == "":
            return None
        if isinstance(value, numbers.Number):  # numbers (Decimal, numpy's too) stay numbers
            return value
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
        cell.data_type = "s"  # text, even when it starts with = (openpyxl would make that a formula)
        return cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])  # Excel's limit on a sheet's name
    sheet.freeze_panes = "A2"
    header = []
    for column in table.columns:
        cell = cell_of(column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in table:
        sheet.append([cell_of(row.get(column)) for column in table.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_response(table: CSVTable, filename: str, *, excel: bool = False) -> HttpResponse:
    text = write_csv(table)
    response = HttpResponse((BOM + text if excel else text).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table: CSVTable, filename: str) -> HttpResponse:
    response = HttpResponse(write_xlsx(table, filename), content_type=XLSX_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(request, table: CSVTable, filename: str, ext: str) -> HttpResponse:
    """A table as `ext` (csv or xlsx); a CSV for Excel with ?excel=1."""
    if ext == "xlsx":
        return xlsx_response(table, filename)
    return csv_response(table, filename, excel=wants_excel(request))


def frame_table(frame: pd.DataFrame) -> CSVTable:
    """A DataFrame's rows as a CSVTable; missing values become empty cells."""
    cleaned = frame.astype(object).where(frame.notna(), None)
    return CSVTable(cleaned.to_dict("records"), [str(column) for column in frame.columns])


PROVENANCE_COLUMNS = ["source_keys", "source_locators", "source_quotes"]


def flatten(record: dict) -> dict:
    """A JSON record as one flat CSV row: lists joined with '; ', citations as provenance columns."""
    row = {}
    for key, value in record.items():
        if key == "citations":
            row["source_keys"] = " | ".join(c["source"] for c in value)
            row["source_locators"] = " | ".join(c["locator"] for c in value)
            row["source_quotes"] = " | ".join(c["quote"] for c in value)
        elif isinstance(value, list):
            row[key] = "; ".join(str(item) for item in value)
        else:
            row[key] = "" if value is None else value
    return row


def stored_row(row: dict) -> str:
    """A flat CSV row as JSON text to store, every decimal written with all its digits (JSON
    numbers read as floats would turn 1230000.00 into 1230000.0); `read_stored_row` reads it back."""
    return orjson.dumps(row, default=_exact_decimal).decode()


def read_stored_row(text: str) -> dict:
    return json.loads(text, parse_float=Decimal)


def _exact_decimal(value):
    if isinstance(value, Decimal):
        return orjson.Fragment(str(value))
    raise TypeError(f"{type(value).__name__} cannot be stored in a CSV row")
