"""The health check that load balancers and monitoring call."""

from __future__ import annotations

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _cache_state() -> str:
    available = getattr(cache, "available", None)
    if available is None:
        return "ok"  # a cache in the process's memory, which cannot be unreachable
    return "ok" if available() else "unavailable"


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Each dependency's state; 503 only when the site cannot serve (the database does not answer). A cache
    that cannot be reached is reported, with 200: the site serves without it, only slower."""
    checks = {"cache": _cache_state()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable", **checks}, status=503)
    status = "ok" if checks["cache"] == "ok" else "degraded"
    return JsonResponse({"status": status, "database": "ok", **checks})
