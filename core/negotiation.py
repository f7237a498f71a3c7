"""Content negotiation for every API view: a `?format=` that names no format this endpoint has
(including an empty one) is a 400 listing the formats there are, not a 404 or a silent default."""

from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class FormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        requested = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if requested == "" or (requested is not None and not requested.strip()):
            raise _unknown_format(renderers, "The format is empty")
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404 as error:
            raise _unknown_format(renderers, "Unknown format") from error


def _unknown_format(renderers, problem: str) -> ValidationError:
    formats = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
    return ValidationError({"format": [f"{problem}; use one of: {formats}."]})
