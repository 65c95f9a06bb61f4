"""Counting the public forms' submissions per client address, in an hourly window held in the cache."""

from __future__ import annotations

from django.core.cache import cache

RATE_LIMIT_WINDOW = 60 * 60  # seconds: the settings count submissions per hour


def rate_limit_exceeded(key: str, limit: int | None) -> bool:
    """Count one submission under `key`; True once the window holds more than `limit` (no limit when falsy).

    `cache.add` then `cache.incr` are atomic on Redis and memcached, so concurrent requests cannot
    slip under the limit together.
    """
    if not limit:
        return False
    if cache.add(key, 1, timeout=RATE_LIMIT_WINDOW):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the window expired between add() and incr()
            cache.set(key, 1, timeout=RATE_LIMIT_WINDOW)
            count = 1
    return count > limit
