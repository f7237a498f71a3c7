"""What every request and response goes through: bad bytes refused early, and the headers every
page and API response carries."""

from urllib.parse import unquote

from django.http import HttpResponseBadRequest, JsonResponse

from core.versioning import pinned_data_version

NUL_MESSAGE = "Requests may not contain NUL characters."


class DataVersionMiddleware:
    """Says which load of the evidence a response came from (X-Data-Version), and lets
    clients and shared caches keep GET responses briefly; ConditionalGetMiddleware adds the
    ETag so they can revalidate cheaply."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(("/static/", "/admin/", "/healthz")):
            return self.get_response(request)
        with pinned_data_version() as version:
            response = self.get_response(request)
        response["X-Data-Version"] = version["hash"]
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.setdefault("Cache-Control", "public, max-age=300")
        return response


class RejectNulMiddleware:
    """A NUL character in the path or query string is refused with a 400 before any view runs:
    no slug, search or filter can contain one, and databases reject it in text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in unquote(raw):
            if request.path.startswith("/api/"):
                return JsonResponse({"errors": {"detail": [NUL_MESSAGE]}, "status": 400}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
