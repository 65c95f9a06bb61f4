"""Values read from a request: identifiers in addresses and forms, and the client's address.

A forged or huge identifier means "not found", never a 500: SQLite raises OverflowError past the largest
value an integer column holds, PostgreSQL a DataError.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

MAX_ID = 2**63 - 1  # the largest value a database integer column holds


def parsed_id(value: str | None) -> int | None:
    """A positive identifier typed in a form or a query string, or None for anything else."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def checked_id(pk: int) -> int:
    """An identifier from the URL (`<int:…>`), or 404 past what a database column holds."""
    if pk > MAX_ID:
        raise Http404
    return pk


def client_ip(request: HttpRequest) -> str:
    """The address the request came from. Behind a reverse proxy, the host site must make REMOTE_ADDR the
    client's (X-Forwarded-For is not read here: anyone can forge it)."""
    return request.META.get("REMOTE_ADDR", "")
