"""A Redis cache that the site survives losing.

Everything kept in the cache can be rebuilt from the database (API responses,
the content version, throttling counters), so when Redis is unreachable the
site answers from the database instead of failing: every cache operation
behaves as a miss, the first error of an outage is logged as a warning, and
the return of Redis once.

While Redis is down, operations do not try it again for ``retry_after``
seconds (an ``OPTIONS`` entry, 5 by default), so that a server that no longer
answers costs one connect timeout every few seconds rather than one per cache
call of every request.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


class _Outage:
    """Whether the Redis at one location is known to be down, shared by the threads of a process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None
        self.retry_at = 0.0


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, reading an unreachable Redis as an empty cache."""

    _outages = {}
    _outages_lock = threading.Lock()

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("retry_after", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        with self._outages_lock:
            self._outage = self._outages.setdefault(self._location, _Outage())

    def _call(self, operation, miss, *args, **kwargs):
        outage = self._outage
        if outage.down_since is not None and time.monotonic() < outage.retry_at:
            return miss
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except UNAVAILABLE as error:
            with outage.lock:
                first = outage.down_since is None
                if first:
                    outage.down_since = time.monotonic()
                outage.retry_at = time.monotonic() + self.retry_after
            if first:
                logger.warning(
                    "Cache at %s unavailable, serving without it: %s", self._redacted_location(), error
                )
            return miss
        if outage.down_since is not None:
            with outage.lock:
                was_down = outage.down_since is not None
                outage.down_since = None
            if was_down:
                logger.warning("Cache at %s available again.", self._redacted_location())
        return result

    def _redacted_location(self):
        """The location without a password that a Redis URL may carry."""
        parts = urlsplit(self._servers[0])
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def incr(self, key, delta=1, version=None):
        """Like a missing key when Redis is down: ``ValueError``, as callers of ``incr`` expect."""
        missing = object()
        result = self._call("incr", missing, key, delta=delta, version=version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", False)
