"""What every request and response goes through: bad bytes refused early, and the headers every
page and API response carries."""

from contextlib import contextmanager, nullcontext
from urllib.parse import unquote

from django.db import Error, connections, router, transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.cache import set_response_etag
from psycopg2 import extensions

from core.db_router import pinned_database
from core.models import DataVersion
from core.versioning import pinned_data_version

NUL_MESSAGE = "Requests may not contain NUL characters."


class DataVersionMiddleware:
    """Says which load of the evidence a response came from (X-Data-Version). A GET reads the
    version and all its data from one database in one transaction, REPEATABLE READ on PostgreSQL,
    so a load that commits mid-request cannot put its data under the previous version's label."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(("/static/", "/admin/", "/healthz")):
            return self.get_response(request)
        with self.snapshot() if request.method in ("GET", "HEAD") else nullcontext():
            with pinned_data_version() as version:
                response = self.get_response(request)
        response["X-Data-Version"] = version["hash"]
        return response

    @contextmanager
    def snapshot(self):
        """One database and one read-only transaction for everything the request reads. Inside a
        transaction already (as tests are), the request shares that one."""
        alias = router.db_for_read(DataVersion)
        token = pinned_database.set(alias)
        connection = connections[alias]
        try:
            if connection.in_atomic_block:
                yield
            elif connection.vendor == "postgresql":
                with read_only_snapshot(connection):
                    yield
            else:
                with transaction.atomic(using=alias):
                    yield
        finally:
            pinned_database.reset(token)


@contextmanager
def read_only_snapshot(connection):
    """A REPEATABLE READ READ ONLY transaction on a PostgreSQL connection, begun by its first query.

    psycopg2 sends the transaction's characteristics with the BEGIN it sends before the first
    query, so a request that reads sends BEGIN, its queries and COMMIT, and one served from the
    cache sends nothing (a SET TRANSACTION inside `transaction.atomic` cost a round trip more,
    and three for a cached response). The characteristics are reset between the COMMIT and the
    return to autocommit: psycopg2 would send SET statements for them in autocommit mode."""
    connection.set_autocommit(False)
    raw = connection.connection
    raw.isolation_level, raw.readonly = extensions.ISOLATION_LEVEL_REPEATABLE_READ, True
    try:
        yield
    except BaseException:
        try:
            connection.rollback()
        except Error:  # the connection broke (a database deadline passed): the next request reconnects
            connection.close()
        raise
    else:
        connection.commit()
    finally:
        if connection.connection is raw and not raw.closed:
            raw.isolation_level = raw.readonly = None
            connection.set_autocommit(True)


class CachingHeadersMiddleware:
    """The outermost middleware, so it sees every cookie set inside: a successful GET or HEAD
    may be kept by clients and shared caches for five minutes, unless it sets a cookie, which
    a shared cache must never hand to someone else. HEAD gets the ETag GET gets."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or request.path.startswith(
                ("/admin/", "/healthz")):
            return response
        if response.cookies:
            response["Cache-Control"] = "private, no-cache"
        else:
            response.setdefault("Cache-Control", "public, max-age=300")
        if request.method == "HEAD" and not response.streaming and not response.has_header("ETag"):
            set_response_etag(response)
        return response


# What pages may load: only this site's own scripts, styles (plotly and Swagger UI set inline
# style attributes) and images; nothing may frame the site. Images may also be blob: URLs, which
# only this site's own scripts can make: plotly draws a chart's PNG download through one.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
    "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'self'",
    "form-action 'self'", "frame-ancestors 'none'",
])

# Browser features no page of the site uses, switched off for it and anything it could embed.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
    "gyroscope", "magnetometer", "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
))


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
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
