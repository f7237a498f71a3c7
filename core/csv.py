"""CSV, one path for every download: API lists (through CSVRenderer) and chart data
(through csv_response) are written by the same writer, with a header even when empty."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import orjson
import pandas as pd
from django.http import HttpResponse
from rest_framework import renderers


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
        if isinstance(data, dict) and "errors" in data:  # an error: one row per problem
            data = CSVTable([{"parameter": name, "problem": problem} for name, problems in data["errors"].items()
                             for problem in problems], ["parameter", "problem"])
        elif not isinstance(data, CSVTable):
            row = flatten(dict(data or {}))
            data = CSVTable([row], list(row))
        return write_csv(data).encode("utf-8")


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


def csv_response(table: CSVTable, filename: str) -> HttpResponse:
    response = HttpResponse(write_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


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
