"""The data version: which load of the fixtures a response was built from.

Each request reads the version once (DataVersionMiddleware pins it), so the label a page shows,
the key it is cached under and the data it shows all belong to the same load. The version's
`token` is unique to each load, even a reload of earlier content, so nothing cached before a
load can be served after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

from core.models import DataVersion

DATA_VERSION_CACHE_KEY = "data-version"
_pinned: ContextVar[dict | None] = ContextVar("pinned_data_version", default=None)


def read_data_version() -> dict:
    """The latest load's short hash, time and token: from the shared cache when there is one
    (the loader forgets it there), else from the database (one small query)."""
    seconds = settings.DATA_VERSION_CACHE_SECONDS
    version = cache.get(DATA_VERSION_CACHE_KEY) if seconds else None
    if version is None:
        latest = DataVersion.objects.order_by("-loaded_at").first()
        version = {"hash": "", "loaded_at": None, "token": "none"}
        if latest:
            version = {"hash": latest.short_hash, "loaded_at": latest.loaded_at,
                       "token": f"{latest.short_hash}-{latest.loaded_at.timestamp():.6f}"}
        if seconds:
            cache.set(DATA_VERSION_CACHE_KEY, version, seconds)
    return version


def current_data_version() -> dict:
    """The version the current request is built from; outside a request, the latest."""
    return _pinned.get() or read_data_version()


@contextmanager
def pinned_data_version() -> Iterator[dict]:
    """Read the version once and use it for everything until the block ends."""
    version = read_data_version()
    token = _pinned.set(version)
    try:
        yield version
    finally:
        _pinned.reset(token)


def forget_data_version() -> None:
    """After a load: every process sharing the cache reads the new version on its next request."""
    cache.delete(DATA_VERSION_CACHE_KEY)
