"""The API throttle, kept apart from core.api so DRF can load it while its own modules import.

Each client gets a fixed window that starts with its first request; the requests in it are
counted atomically (with Redis, one script: INCR, and an expiry on the first), so concurrent
requests on any number of workers can never let more than the rate through. DRF's own throttle
reads a list of timestamps and writes it back, so requests that overlap overwrite each other's
entries. When Redis cannot be reached the count goes on in the worker's memory: each worker then
allows the rate on its own, and a client over it still gets a 429, never an error.
"""

import logging
import time

from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle

from core.redis_cache import CacheUnavailable

logger = logging.getLogger(__name__)


def count_in_window(cache, key: str, window: int) -> tuple[int, float]:
    """Count one request under `key`: how many the window holds now, and seconds until it ends.
    Redis counts in one round trip (ResilientRedisCache.count_in_window); other caches in steps."""
    if hasattr(cache, "count_in_window"):
        return cache.count_in_window(key, window)
    for _ in range(3):  # a window that ends between two of the steps below starts again
        now = time.time()
        if cache.add(f"{key}:start", now, window):
            start = now
        else:
            start = cache.get(f"{key}:start")
            if start is None:
                continue
        counter = f"{key}:{start!r}"
        cache.add(counter, 0, window + 1)  # outlives the window's start, so incr finds it
        try:
            return cache.incr(counter), max(0.0, start + window - now)
        except ValueError:
            continue
    raise RuntimeError(f"could not count a request for {key}")


def count_request(key: str, window: int) -> tuple[int, float]:
    """count_in_window() in the throttle's cache, or in this worker's memory while it is down."""
    try:
        return count_in_window(caches["throttle"], key, window)
    except CacheUnavailable as error:
        logger.warning("throttle counting in worker memory: %s", error)
        return count_in_window(caches["throttle-fallback"], key, window)


class AnonThrottle(AnonRateThrottle):
    """The anonymous rate (API_ANON_RATE), per client address, across every worker with Redis."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        count, self.seconds_left = count_request(key, self.duration)
        return count <= self.num_requests

    def wait(self) -> float:
        return self.seconds_left
