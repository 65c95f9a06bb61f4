"""A Redis cache that an outage slows down instead of taking the site off line.

The site keeps its page cache, brand, breadcrumbs and the public forms' rate limits in the cache; none of
them is a fact the site needs, so while Redis cannot be reached each call answers as a cache that holds
nothing would: a read misses, a write is dropped, a rate-limit count starts again (the forms are then
limited by their honeypots alone). After a failure Redis is left alone for `RETRY_SECONDS` (every request
would otherwise wait for its connection timeout), then tried again: the cache resumes by itself. A
warning is logged once per `WARNING_SECONDS`, not once per request.

A write dropped during the outage may have been an invalidation (a publication bumps the page cache's
generation): when Redis answers again, the process that dropped one empties the site's keys (those under
the cache's KEY_PREFIX) before using them, so that no page cached before the outage outlives a change.

In the settings: `"BACKEND": "casi_workspace.core.cache.ResilientRedisCache"`, with short socket timeouts
in OPTIONS (`socket_connect_timeout`, `socket_timeout`) so that a Redis that does not answer costs little.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.retry_seconds = float(params.get("RETRY_SECONDS", 5))
        self.warning_seconds = float(params.get("WARNING_SECONDS", 60))
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._warned_at = float("-inf")
        self._writes_lost = False

    def _call(self, operation: Callable[[], Any], fallback: Any, *, write: bool) -> Any:
        now = time.monotonic()
        if now < self._down_until:
            self._writes_lost = self._writes_lost or write
            return fallback
        try:
            if self._writes_lost:
                self._forget_all()
            return operation()
        except OUTAGE_ERRORS as error:
            self._failed(error, now, write=write)
            return fallback

    def _failed(self, error: Exception, now: float, *, write: bool) -> None:
        with self._lock:
            self._down_until = now + self.retry_seconds
            self._writes_lost = self._writes_lost or write
            if now - self._warned_at >= self.warning_seconds:
                self._warned_at = now
                logger.warning("The cache (Redis) cannot be reached, pages are served uncached: %s", error)

    def _forget_all(self) -> None:
        """Delete every key of this site (the KEY_PREFIX), once, after an outage that dropped writes."""
        client = self._cache.get_client(write=True)
        pattern = f"{self.key_prefix}:*" if self.key_prefix else "*"
        for keys in _chunks(client.scan_iter(match=pattern, count=500), 500):
            client.delete(*keys)
        self._writes_lost = False
        logger.warning("The cache (Redis) answers again; entries kept from before the outage were dropped.")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True: as if the key were new, so that a count starts again and a generation is taken as fresh.
        return self._call(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), True, write=True)

    def get(self, key, default=None, version=None):
        return self._call(lambda: super(ResilientRedisCache, self).get(key, default, version), default, write=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None, write=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False, write=True)

    def delete(self, key, version=None):
        return self._call(lambda: super(ResilientRedisCache, self).delete(key, version), False, write=True)

    def get_many(self, keys, version=None):
        return self._call(lambda: super(ResilientRedisCache, self).get_many(keys, version), {}, write=False)

    def has_key(self, key, version=None):
        return self._call(lambda: super(ResilientRedisCache, self).has_key(key, version), False, write=False)

    def incr(self, key, delta=1, version=None):
        return self._call(lambda: super(ResilientRedisCache, self).incr(key, delta, version), delta, write=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = list(data)
        return self._call(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), failed, write=True)

    def delete_many(self, keys, version=None):
        return self._call(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None, write=True)

    def clear(self):
        return self._call(lambda: super(ResilientRedisCache, self).clear(), None, write=True)

    def available(self) -> bool:
        """Whether Redis answers now (the health check asks)."""
        try:
            return bool(self._cache.get_client().ping())
        except OUTAGE_ERRORS:
            return False


def _chunks(items, size: int):
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
