"""Django's Redis cache, made safe to lose: short socket timeouts, no retries, and a worker that
saw Redis fail leaves it alone for a few seconds instead of waiting on it in every request.

The page and API cache (FAIL_SOFT, the default) then behaves as an empty cache: reads miss, writes
are dropped, and every response is computed from the database. The throttle's cache is not fail
soft: it raises CacheUnavailable, so core.throttling can count in the worker's memory instead.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Seconds. A healthy Redis on the same network answers in well under a millisecond.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "retry": Retry(NoBackoff(), 0),
                   "health_check_interval": 0}
RETRY_AFTER_FAILURE_SECONDS = 5


class CacheUnavailable(Exception):
    """Redis could not be reached, or did not answer in time."""


class ReusedClient(RedisCacheClient):
    """Django's client builds a new redis.Redis for every operation, and redis-py fills some 170
    response callbacks into each: a fifth of a millisecond, several times per request. One
    redis.Redis per connection pool, reused (it is safe to share between threads)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(id(pool))) is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# One request counted in a fixed window that starts with the client's first request: the count,
# and milliseconds until the window ends. Atomic in Redis, and one round trip.
COUNT_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
"""


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        self.fail_soft = params.pop("FAIL_SOFT", True)
        super().__init__(server, params)
        self._class = ReusedClient
        self._skip_until = 0.0  # per worker process; every thread of it sees the same outage
        self._count_script = None

    def _call(self, operation, default, *args, **kwargs):
        if time.monotonic() < self._skip_until:
            return self._unavailable(default, None)
        try:
            return operation(*args, **kwargs)
        except RedisError as error:
            self._skip_until = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS
            logger.warning("Redis cache unavailable (%s: %s); not trying it for %s s",
                           type(error).__name__, error, RETRY_AFTER_FAILURE_SECONDS)
            return self._unavailable(default, error)

    def _unavailable(self, default, error):
        if self.fail_soft:
            return default
        raise CacheUnavailable(str(error or "Redis failed a moment ago")) from error

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, None, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._call(super().incr, None, key, delta, version)

    def clear(self):
        return self._call(super().clear, False)

    def count_in_window(self, key: str, window: int) -> tuple[int, float]:
        """Count one request under `key` (core.throttling): the window's count, and seconds left in it."""
        return self._call(self._count_in_window, None, key, window)

    def _count_in_window(self, key: str, window: int) -> tuple[int, float]:
        client = self._cache.get_client(write=True)
        if self._count_script is None:
            self._count_script = client.register_script(COUNT_IN_WINDOW)  # sent by its SHA after the first time
        count, milliseconds = self._count_script(keys=[self.make_and_validate_key(key)], args=[window * 1000],
                                                 client=client)
        return count, max(0, milliseconds) / 1000
