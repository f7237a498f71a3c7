"""API pagination: page numbers with `count`, `next`, `previous`, `results`, the data
version, and `Link` headers; a bad `page` or `page_size` is a 400 naming the parameter."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.versioning import current_data_version

PAGE_FIELDS = {
    "count": "How many records match, on every page together.",
    "next": "The URL of the next page; null on the last.",
    "previous": "The URL of the previous page; null on the first.",
    "results": "This page's records.",
    "data_version": "Which load of the evidence the records come from (cite it with the data).",
}


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({"page_size": [f"Must be a whole number from 1 to {self.max_page_size}."]})
        if int(raw) > self.max_page_size:
            raise ValidationError({"page_size": [f"The maximum page size is {self.max_page_size}."]})
        return int(raw)

    def validate(self, request) -> None:
        """400 for a `page` or `page_size` that is not a whole number in range."""
        self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param, "1")
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationError({"page": ["Must be a whole number of 1 or more."]})

    def paginate_queryset(self, queryset, request, view=None):
        self.validate(request)
        raw = request.query_params.get(self.page_query_param, "1")
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:  # a page past the end: not found, but say which parameter
            raise NotFound({"page": [f"There is no page {raw}."]}) from error

    def get_paginated_response(self, data):
        response = Response({
            "count": self.page.paginator.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "data_version": current_data_version(),
            "results": data,
        })
        links = []
        if self.get_next_link():
            links.append(f'<{self.get_next_link()}>; rel="next"')
        if self.get_previous_link():
            links.append(f'<{self.get_previous_link()}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        url = self.request.build_absolute_uri()
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)
        base["properties"]["data_version"] = {
            "type": "object",
            "properties": {"hash": {"type": "string"}, "loaded_at": {"type": "string"}},
        }
        for name, description in PAGE_FIELDS.items():
            base["properties"][name]["description"] = description
        return base


