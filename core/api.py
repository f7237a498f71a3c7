"""What every API endpoint shares: CSV export and the error format (pagination is in
core.pagination).

- `?format=csv` answers with every matching row (not one page), flat columns and provenance;
  `?format=jsonl` with every matching row as newline-delimited JSON, with no envelope.
- Every error body is `{"errors": {"<parameter>": ["<problem>", …]}}` with its status.
"""

from __future__ import annotations

from rest_framework import status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.cache import cached_api_response
from core.csv import PROVENANCE_COLUMNS, CSVRenderer, CSVTable, flatten
from core.renderers import JSONLinesRenderer


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint whose list also answers ?format=csv with all matching rows."""

    lookup_field = "slug"
    csv_filename = "export"

    def get_renderers(self):
        return [*super().get_renderers(), CSVRenderer(), JSONLinesRenderer()]

    def list(self, request, *args, **kwargs):
        return cached_api_response(self, request, lambda: self._list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return cached_api_response(self, request, lambda: super(ReadOnlyViewSet, self).retrieve(
            request, *args, **kwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(request, "accepted_renderer", None) and request.accepted_renderer.format == "jsonl":
            # No rows is an empty body, from which DRF drops the Content-Type; say what it is anyway.
            response.add_post_render_callback(_keep_ndjson_content_type)
        return response

    def _list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        every_row = getattr(request.accepted_renderer, "format", None)
        if every_row not in ("csv", "jsonl"):
            page = self.paginate_queryset(self.listed(queryset))
            return self.get_paginated_response(self.rows(page))
        self.paginator.validate(request)  # every row, not one page, but bad paging is still a 400
        if every_row == "jsonl":
            return Response(self.rows(self.listed(queryset)))
        response = Response(CSVTable(self.csv_rows(queryset), self.csv_columns()))
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}.csv"'
        return response

    def listed(self, queryset):
        """What a list pages over: the records themselves, or (see web.api) their stored rows."""
        return queryset

    def rows(self, listed) -> list:
        """The JSON rows of a page (or of every row) of `listed()`."""
        return list(self.get_serializer(listed, many=True).data)

    def csv_rows(self, queryset) -> list[dict]:
        return [flatten(row) for row in self.get_serializer(queryset, many=True).data]

    def csv_columns(self) -> list[str]:
        """The flat column names of the list serializer (what flatten() produces)."""
        columns = []
        for name in self.get_serializer().fields:
            columns += PROVENANCE_COLUMNS if name == "citations" else [name]
        return columns


def _keep_ndjson_content_type(response):
    if not response.has_header("Content-Type"):
        response["Content-Type"] = JSONLinesRenderer.media_type


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
NULLABLE_STRING = {"type": "string", "nullable": True}

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: the parameters at fault (or 'detail') with their problems, and the status.",
    "properties": {
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                   "description": "Each parameter at fault (or 'detail'), with its problems."},
        "status": {"type": "integer", "description": "The HTTP status, repeated."},
        "hint": {"type": "string", "description": "Where to read what the endpoint accepts (on a 400)."},
    },
    "required": ["errors", "status"],
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_RESPONSES = {
    "400": "Invalid parameter: the body names the parameter and the problem.",
    "404": "No such record.",
    "405": "The API is read-only.",
    "406": "The requested format is not available.",
    "429": "Too many requests: see the documented throttle rate.",
}


def _filter_bounds(generator) -> dict[str, dict]:
    """The numeric bounds the endpoints' filters enforce, by parameter name, so the schema states them."""
    bounds = {}
    for _path, _pattern, _method, callback in generator.endpoints:
        filterset = getattr(getattr(callback, "cls", None), "filterset_class", None)
        for name, filter_ in (filterset.base_filters.items() if filterset else ()):
            limits = {"minimum": filter_.extra.get("min_value"), "maximum": filter_.extra.get("max_value")}
            limits = {key: value for key, value in limits.items() if value is not None}
            if limits:
                bounds[name] = limits
    return bounds


def _link_lists_to_details(paths: dict) -> None:
    """OpenAPI links from each list to its detail (the first result's key), so clients and
    stateful testers (schemathesis) can follow a list to its records."""
    operations = {operation["operationId"]: operation for methods in paths.values() for operation in methods.values()}
    for operation_id, operation in operations.items():
        detail = operations.get(operation_id.removesuffix("_list") + "_retrieve")
        if not operation_id.endswith("_list") or detail is None:
            continue
        key = next(parameter["name"] for parameter in detail["parameters"] if parameter["in"] == "path")
        operation["responses"]["200"]["links"] = {detail["operationId"]: {
            "operationId": detail["operationId"],
            "parameters": {key: f"$response.body#/results/0/{key}"},
            "description": f"The first listed record, by its {key}.",
        }}


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: every operation can answer with the shared error body, numeric
    filters state the bounds they enforce, and each list links to its detail."""
    _link_lists_to_details(result.get("paths", {}))
    bounds = _filter_bounds(generator)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter["name"] in bounds:
                    parameter["schema"].update(bounds[parameter["name"]])
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(code, {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_REF},
                                "text/csv": {"schema": {"type": "string"}},
                                "application/x-ndjson": {"schema": ERROR_REF}},
                })
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    return result
