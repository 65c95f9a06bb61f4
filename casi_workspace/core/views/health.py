"""The health check that load balancers and monitoring call."""

from __future__ import annotations

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casi_workspace.core.services.health import health_report


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Each dependency's state (core/services/health.py); 503 only when the site cannot serve, that is when
    the database does not answer. A cache that cannot be reached, a late task queue or a periodic command that
    stopped running are reported with 200: the site serves, someone should look."""
    try:
        return JsonResponse(health_report())
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
