"""The data version: which load of the fixtures a response was built from."""

from django.core.cache import cache

from core.models import DataVersion

DATA_VERSION_CACHE_KEY = "data-version"


def current_data_version() -> dict:
    """The latest load's hash and time, cached briefly so it costs no query per request."""
    version = cache.get(DATA_VERSION_CACHE_KEY)
    if version is None:
        latest = DataVersion.objects.order_by("-loaded_at").first()
        version = {"hash": "", "loaded_at": None}
        if latest:
            version = {"hash": latest.content_hash[:12], "loaded_at": latest.loaded_at}
        cache.set(DATA_VERSION_CACHE_KEY, version, 30)
    return version


def forget_data_version() -> None:
    """After a load: this process's next request reads the new version (others within 30 s)."""
    cache.delete(DATA_VERSION_CACHE_KEY)
