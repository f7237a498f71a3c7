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


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        self.fail_soft = params.pop("FAIL_SOFT", True)
        super().__init__(server, params)
        self._class = ReusedClient
        self._skip_until = 0.0  # per worker process; every thread of it sees the same outage

    def _call(self, operation: str, default, *args, **kwargs):
        if time.monotonic() < self._skip_until:
            return self._unavailable(default, None)
        try:
            return getattr(super(), operation)(*args, **kwargs)
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
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", None, key, delta, version)

    def clear(self):
        return self._call("clear", False)
