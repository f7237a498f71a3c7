"""What every API endpoint shares: CSV export and the error format (pagination is in
oa_evidence.pagination).

- `?format=csv` answers with every matching row (not one page), flat columns and provenance.
- Every error body is `{"errors": {"<parameter>": ["<problem>", …]}}` with its status.
"""

from __future__ import annotations

import csv
import io

from rest_framework import renderers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class CSVRenderer(renderers.BaseRenderer):
    """Flat rows (a list of dicts with the same keys) as CSV, one record per row."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict):  # an error body, or a single record
            data = [{"error": str(data)}] if "errors" in data else [data]
        buffer = io.StringIO()
        if data:
            writer = csv.DictWriter(buffer, fieldnames=list(data[0].keys()), lineterminator="\n")
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
        if getattr(request.accepted_renderer, "format", None) == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            response = Response(self.csv_rows(queryset))
            response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}.csv"'
            return response
        return super().list(request, *args, **kwargs)

    def csv_rows(self, queryset) -> list[dict]:
        raise NotImplementedError


def exception_handler(exc, context):
    """Errors as {"errors": {parameter: [problems]}}; filter errors name their parameter."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and "detail" in detail and len(detail) == 1:
        errors = {"detail": [str(detail["detail"])]}
    elif isinstance(detail, dict):
        errors = {key: [str(item) for item in (value if isinstance(value, list) else [value])]
                  for key, value in detail.items()}
    else:
        errors = {"detail": [str(item) for item in detail]}
    response.data = {"errors": errors, "status": response.status_code}
    if response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data["hint"] = "See /api/v1/docs/ for the parameters each endpoint accepts."
    return response
