"""Start-up guards: bad configuration stops the process with one readable line, not a traceback."""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def fail(message: str) -> NoReturn:
    sys.stderr.write(f"casi_site: {message}\n")
    raise SystemExit(1)


def env_required(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        fail(f"the environment variable {name} is required in production ({hint}).")
    return value


def database_from_url(url: str) -> dict:
    """Django's DATABASES entry for a DATABASE_URL; a malformed URL stops the start with one line."""
    import dj_database_url

    try:
        database = dj_database_url.parse(
            url, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")), conn_health_checks=True
        )
    except ValueError as exc:
        fail(f"DATABASE_URL is not a valid database URL: {str(exc).split('. ')[0]}.")
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Several processes (the demo's or the browser tests' gunicorn workers, the task worker) write to one
        # file: a write transaction takes its lock when it begins and waits for it, rather than failing with
        # "database is locked" when a read turns into a write; readers don't wait for writers (WAL).
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            **database.get("OPTIONS", {}),
        }
    return database


def _one_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else exc.__class__.__name__


def check_database() -> None:
    """Open the default database once, so that a wrong DATABASE_URL fails at start."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        fail(f"the database is unreachable (check DATABASE_URL): {_one_line(exc)}")


def run_guarded(argv: list[str]) -> None:
    """Run a management command; a database that cannot be reached ends it with one line."""
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(argv)
    except OperationalError as exc:
        fail(f"database error (check DATABASE_URL): {_one_line(exc)}")
