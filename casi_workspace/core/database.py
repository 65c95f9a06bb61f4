"""When the database goes away: telling an outage from a failed query, and waiting for the database to return.

A restart of PostgreSQL closes every connection: the next query on one raises OperationalError ("terminating
connection due to administrator command", "server closed the connection unexpectedly"), or InterfaceError
on a connection Django already knows is closed, and a new connection is refused until the server is back.
The web requests answer 503 meanwhile (`core/views/errors.py`); the task worker waits (`core/worker.py`).
"""

from __future__ import annotations

import time

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import InterfaceError, OperationalError

OUTAGE_ERRORS = (OperationalError, InterfaceError)
# The first wait, and the longest between two tries: a restart takes seconds, and the worker should
# resume within a second or two of the server's return.
FIRST_WAIT_SECONDS = 0.25
LONGEST_WAIT_SECONDS = 2.0


def is_outage_error(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from or while handling, is the database's connection failing."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OUTAGE_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def first_line(error: BaseException) -> str:
    """The error's message in one line, for a log line (psycopg's run over several)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def connection_lost(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the connection a failed query used is gone (closed, or no longer answering), rather than the
    query having failed on a connection that still works (a timeout, a lock)."""
    return not connections[alias].is_usable()


def database_wait(alias: str = DEFAULT_DB_ALIAS) -> float:
    """Drop the connection and wait until a new one opens; return the seconds waited.

    Tries again after FIRST_WAIT_SECONDS, doubling up to LONGEST_WAIT_SECONDS, for as long as it takes:
    a process waiting here ends on a signal, as it would when idle.
    """
    started = time.monotonic()
    delay = FIRST_WAIT_SECONDS
    connection = connections[alias]
    while True:
        connection.close()
        time.sleep(delay)
        try:
            connection.ensure_connection()
        except OUTAGE_ERRORS:
            delay = min(delay * 2, LONGEST_WAIT_SECONDS)
            continue
        return time.monotonic() - started
