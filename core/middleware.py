"""Response headers that every page and API response carries."""

from core.versioning import current_data_version


class DataVersionMiddleware:
    """Says which load of the evidence a response came from (X-Data-Version), and lets
    clients and shared caches keep GET responses briefly; ConditionalGetMiddleware adds the
    ETag so they can revalidate cheaply."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(("/static/", "/admin/")):
            return response
        version = current_data_version()
        response["X-Data-Version"] = version["hash"]
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.setdefault("Cache-Control", "public, max-age=300")
        return response
