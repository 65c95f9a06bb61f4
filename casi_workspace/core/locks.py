"""Locks that say whether some process is still at work, whatever happened to it.

A PostgreSQL advisory lock taken at the session level is held by the worker's connection, not by a
transaction: the worker commits as often as it likes while holding it, and the server releases it the moment
that connection goes away — a worker killed with `kill -9` included. Whoever asks whether the lock is free
therefore learns at once whether that work is still going on, without waiting for a lease to run out.

Other databases have no such lock (SQLite serves trials and tests): there `work_lock` holds nothing and
`work_lock_free` answers None, "unknown", for the caller to fall back on a lease.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def _key(name: str) -> int:
    """A stable signed 64-bit key for the name (PostgreSQL's advisory locks take a bigint)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _supported() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def work_lock(name: str) -> Iterator[bool]:
    """Hold the lock named `name` for the block; yields False when another session holds it (nothing is held)."""
    if not _supported():
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(name)])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(name)])


def work_lock_free(name: str) -> bool | None:
    """Whether nobody holds the lock named `name` right now; None where the database cannot tell."""
    if not _supported():
        return None
    with work_lock(name) as acquired:
        return acquired
