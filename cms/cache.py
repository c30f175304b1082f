"""A Redis cache that the site survives losing, and a file cache that stays cheap to write when large.

Everything kept in the cache can be rebuilt from the database (API responses,
the content version, throttling counters), so when Redis is unreachable the
site answers from the database instead of failing: every cache operation
behaves as a miss, the first error of an outage is logged as a warning, and
the return of Redis once.

While Redis is down, operations do not try it again for ``retry_after``
seconds (an ``OPTIONS`` entry, 5 by default), so that a server that no longer
answers costs one connect timeout every few seconds rather than one per cache
call of every request.

What Redis holds when it answers again is what it held before the outage:
whatever should have been replaced or deleted meanwhile (a publication's new
content version) was not. So before anything is read from it again, the
receivers of ``available_again`` renew what must not be served stale; until
they have, the process goes on without the cache.

Without Redis, the processes of one machine share a directory of files
(``SharedFileCache``).
"""

import itertools
import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from book.signals import cache_available_again as available_again

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)

# Set in the thread running the receivers of ``available_again``, whose cache calls go through.
_recovering = threading.local()


class _Outage:
    """Whether the Redis at one location is known to be down, shared by the threads of a process."""

    def __init__(self):
        self.lock = threading.Lock()
        # Held by the one thread that tries Redis again and runs the receivers.
        self.recovery = threading.Lock()
        self.down_since = None
        self.retry_at = 0.0
        self.failures = 0


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
        known_down = self._outage.down_since is not None and not getattr(_recovering, "active", False)
        if known_down and not self._recover():
            return miss
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except UNAVAILABLE as error:
            self._failed(error)
            return miss

    def run(self, function, miss=None):
        """``function(client)`` on the raw Redis client, for commands the cache API lacks (pipelines, INCRBY).

        Read as a miss while Redis is down, like every other operation. Keys
        given to the client are ``make_key``'s.
        """
        known_down = self._outage.down_since is not None and not getattr(_recovering, "active", False)
        if known_down and not self._recover():
            return miss
        try:
            return function(self._cache.get_client(write=True))
        except UNAVAILABLE as error:
            self._failed(error)
            return miss

    def _failed(self, error):
        outage = self._outage
        with outage.lock:
            first = outage.down_since is None
            if first:
                outage.down_since = time.monotonic()
            outage.retry_at = time.monotonic() + self.retry_after
            outage.failures += 1
        if first:
            logger.warning(
                "Cache at %s unavailable, serving without it: %s", self._redacted_location(), error
            )

    def _recover(self):
        """Whether Redis, down until now, answers again and the receivers of ``available_again`` have run.

        One thread tries, once every ``retry_after`` seconds; the others go on
        without the cache meanwhile.
        """
        outage = self._outage
        if time.monotonic() < outage.retry_at or not outage.recovery.acquire(blocking=False):
            return False
        try:
            if outage.down_since is None:
                return True
            failures = outage.failures
            try:
                self._cache.get_client(write=True).ping()
            except UNAVAILABLE as error:
                self._failed(error)
                return False
            _recovering.active = True
            try:
                results = available_again.send_robust(sender=type(self), cache=self)
            finally:
                _recovering.active = False
            errors = [result for _receiver, result in results if isinstance(result, Exception)]
            if errors or outage.failures != failures:
                for error in errors:
                    logger.error(
                        "Cache at %s is back but could not be renewed: %s",
                        self._redacted_location(),
                        error,
                        exc_info=error,
                    )
                with outage.lock:
                    outage.retry_at = time.monotonic() + self.retry_after
                return False
            with outage.lock:
                outage.down_since = None
            logger.warning("Cache at %s available again.", self._redacted_location())
            return True
        finally:
            outage.recovery.release()

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


class SharedFileCache(FileBasedCache):
    """Django's file cache, which counts its files every so many writes rather than before each one.

    Django's lists the whole directory before every write, to tell whether ``MAX_ENTRIES`` are
    reached and a third of the entries must go: a cost that grows with the cache, about 2 ms a write
    with 2,000 files and 170 ms with 100,000. Counted once every hundredth of ``MAX_ENTRIES`` writes
    of the process, a write costs about the same at any size; between two counts the directory may
    exceed ``MAX_ENTRIES`` by that many entries for each process writing to it.
    """

    # Shared by the threads of the process: each has an instance of its own (a request's, under runserver).
    _writes = itertools.count(1)

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self.cull_every = max(1, self._max_entries // 100)

    def _cull(self):
        if next(self._writes) % self.cull_every == 0:
            super()._cull()
