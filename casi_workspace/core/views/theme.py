"""The theme's stylesheet: the colours the coordinators chose (Settings › Network identity), as CSS variables.

The Content-Security-Policy refuses inline styles, so the colours come as a stylesheet of the site's own.
base.html links it with the colours' hash in its address (`?v=`), so a browser keeps it until they change.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from casi_workspace.core.brand import brand_for_request, theme_css

YEAR = 365 * 24 * 60 * 60


@require_GET
def theme_stylesheet(request: HttpRequest) -> HttpResponse:
    brand = brand_for_request(request)
    response = HttpResponse(theme_css(brand), content_type="text/css; charset=utf-8")
    current = bool(brand.theme_version) and request.GET.get("v") == brand.theme_version
    # `private`: browsers keep it, while the anonymous page cache leaves it alone (it would drop Cache-Control).
    response["Cache-Control"] = f"private, max-age={YEAR}, immutable" if current else "private, max-age=300"
    return response
