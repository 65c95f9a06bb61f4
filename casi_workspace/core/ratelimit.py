"""Counting the public forms' submissions per client address, in an hourly window held in the cache.

Each form counts under its own scope ("applications", "proposals", "newsletter"): the scope names the
cache key and salts the hash of the address, so that two forms never share a count and a hash kept by
one form cannot be matched against another's.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.crypto import salted_hmac

RATE_LIMIT_WINDOW = 60 * 60  # seconds: the settings count submissions per hour


def client_address_hash(scope: str, ip: str) -> str:
    """A keyed hash of the client address: enough to count submissions, useless to find the person.

    The salt is the one each form has always used, so that hashes already stored (applications, the
    newsletter's consents) stay comparable with new ones.
    """
    return salted_hmac(f"casi_workspace.{scope}.ip", ip or "", algorithm="sha256").hexdigest()


def rate_limit_exceeded(scope: str, ip: str, limit: int | None) -> bool:
    """Count one submission from `ip` under `scope`; True once the window holds more than `limit`.

    No limit when `limit` is falsy (the setting at 0). `cache.add` then `cache.incr` are atomic on Redis
    and memcached, so concurrent requests cannot slip under the limit together.
    """
    if not limit:
        return False
    key = f"casi_workspace:{scope}:rate:{client_address_hash(scope, ip)}"
    if cache.add(key, 1, timeout=RATE_LIMIT_WINDOW):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the window expired between add() and incr()
            cache.set(key, 1, timeout=RATE_LIMIT_WINDOW)
            count = 1
    return count > limit
