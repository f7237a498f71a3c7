"""What every API endpoint shares: CSV export and the error format (pagination is in
core.pagination).

- `?format=csv` answers with every matching row (not one page), flat columns and provenance.
- Every error body is `{"errors": {"<parameter>": ["<problem>", …]}}` with its status.
"""

from __future__ import annotations

import csv
import io

from rest_framework import renderers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.cache import cached_api_response


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
        if not isinstance(data, CSVTable):
            row = {"error": str(data)} if isinstance(data, dict) and "errors" in data else dict(data or {})
            data = CSVTable([row], list(row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=data.columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
        return buffer.getvalue().encode("utf-8")


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint whose list also answers ?format=csv with all matching rows."""

    lookup_field = "slug"
    csv_filename = "export"

    def get_renderers(self):
        return [*super().get_renderers(), CSVRenderer()]

    def list(self, request, *args, **kwargs):
        return cached_api_response(self, request, lambda: self._list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return cached_api_response(self, request, lambda: super(ReadOnlyViewSet, self).retrieve(
            request, *args, **kwargs))

    def _list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            response = Response(CSVTable(self.csv_rows(queryset), self.csv_columns()))
            response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}.csv"'
            return response
        return super().list(request, *args, **kwargs)

    def csv_rows(self, queryset) -> list[dict]:
        return [flatten(row) for row in self.get_serializer(queryset, many=True).data]

    def csv_columns(self) -> list[str]:
        """The flat column names of the list serializer (what flatten() produces)."""
        columns = []
        for name in self.get_serializer().fields:
            columns += PROVENANCE_COLUMNS if name == "citations" else [name]
        return columns


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


def exception_handler(exc, context):
    """Errors as {"errors": {parameter: [problems]}}; filter errors name their parameter."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and "detail" in detail and len(detail) == 1:
        inner = detail["detail"]
        errors = ({key: [str(v) for v in value] for key, value in inner.items()} if isinstance(inner, dict)
                  else {"detail": [str(inner)]})
    elif isinstance(detail, dict):
        errors = {key: [str(item) for item in (value if isinstance(value, list) else [value])]
                  for key, value in detail.items()}
    else:
        errors = {"detail": [str(item) for item in detail]}
    response.data = {"errors": errors, "status": response.status_code}
    if response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data["hint"] = "See /api/v1/docs/ for the parameters each endpoint accepts."
    return response


NULLABLE_NUMBER = {"type": "number", "nullable": True}

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "status": {"type": "integer"},
        "hint": {"type": "string"},
    },
    "required": ["errors", "status"],
}
ERROR_RESPONSES = {
    "400": "Invalid parameter: the body names the parameter and the problem.",
    "404": "No such record.",
    "405": "The API is read-only.",
    "406": "The requested format is not available.",
    "429": "Too many requests: see the documented throttle rate.",
}


def _filter_bounds() -> dict[str, dict]:
    """The numeric bounds our filters enforce, by parameter name, so the schema states them."""
    from costs.filters import CostLineFilter
    from web.filters import ProjectFilter

    bounds = {}
    for filterset in (ProjectFilter, CostLineFilter):
        for name, filter_ in filterset.base_filters.items():
            limits = {"minimum": filter_.extra.get("min_value"), "maximum": filter_.extra.get("max_value")}
            limits = {key: value for key, value in limits.items() if value is not None}
            if limits:
                bounds[name] = limits
    return bounds


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: every operation can answer with the shared error body, and
    numeric filters state the bounds they enforce."""
    bounds = _filter_bounds()
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter["name"] in bounds:
                    parameter["schema"].update(bounds[parameter["name"]])
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(code, {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_SCHEMA},
                                "text/csv": {"schema": {"type": "string"}}},
                })
    return result
