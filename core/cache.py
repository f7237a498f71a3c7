"""Whole-response caching for a site whose data changes only when the evidence is loaded.

Every key includes the data version, so a new load makes every cached page stale at once; no
invalidation is needed. Pages are cached by the middleware; API responses are cached inside the
viewsets (after throttling, so the documented rate still applies). With RESPONSE_CACHE_SECONDS=0
nothing is cached.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from rest_framework.response import Response

from core.versioning import current_data_version

SKIPPED_PREFIXES = ("/admin/", "/static/", "/api/", "/healthz")


def cache_key(kind: str, request, *extra: str) -> str:
    raw = "|".join([request.get_host(), request.get_full_path(), *extra])
    return f"response:{kind}:{current_data_version()['token']}:{hashlib.sha1(raw.encode()).hexdigest()}"


def enabled() -> bool:
    return settings.RESPONSE_CACHE_SECONDS > 0


class PageCacheMiddleware:
    """Serve GET pages from the cache; store successful, cookie-free HTML responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or request.method not in ("GET", "HEAD") or request.path.startswith(SKIPPED_PREFIXES):
            return self.get_response(request)
        key = cache_key("page", request)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, response, settings.RESPONSE_CACHE_SECONDS)
        return response


def cached_api_response(view, request, compute):
    """An API response's data (and its Link, Content-Disposition and X- headers), from the cache."""
    if not enabled():
        return compute()
    key = cache_key("api", request, getattr(request.accepted_renderer, "format", ""))
    cached = cache.get(key)
    if cached is not None:
        data, headers = cached
        response = Response(data)
        for name, value in headers.items():
            response[name] = value
        return response
    response = compute()
    if response.status_code == 200:
        headers = {name: value for name, value in response.items()
                   if name in ("Link", "Content-Disposition") or name.startswith("X-")}  # the view's own
        cache.set(key, (response.data, headers), settings.RESPONSE_CACHE_SECONDS)
    return response


def cached_for_this_data(name: str, compute, seconds: int = 600):
    """`compute()`, cached until the data version changes (or `seconds` pass)."""
    key = f"{name}:{current_data_version()['token']}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


# Values this process keeps for the current data version (kept_for_this_data): name -> (token, value).
_kept: dict[str, tuple[str, object]] = {}


def kept_for_this_data(name: str, compute):
    """`compute()`, kept in this process's memory until the data version changes: for a value read
    on every request and too big to fetch from the shared cache each time (the facet bitmaps
    are about 1 MB for 10,000 projects)."""
    token = current_data_version()["token"]
    kept = _kept.get(name)
    if kept is None or kept[0] != token:
        kept = _kept[name] = (token, compute())
    return kept[1]


def forget_for_this_data(name: str) -> None:
    """Drop a value kept for the current data version, when what it was computed from is rebuilt
    without a new version (a refresh; the tests' factories)."""
    cache.delete(f"{name}:{current_data_version()['token']}")
    _kept.pop(name, None)


def forget_kept() -> None:
    """Drop every value this process keeps (between tests, whose rows roll back)."""
    _kept.clear()
