"""The site's Content-Security-Policy: the strict policy of the settings everywhere, and the admin's own.

Wagtail's admin still renders inline scripts and styles (wagtail/wagtail#1288), so under /admin/ they are
allowed, as are the data: and blob: images of its image tools, and its own frames (the live preview);
nothing else is loosened, and the public pages, where visitors' content is shown, keep the strict policy.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

ADMIN_POLICY = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", settings.MAP_TILE_ORIGIN],
    "frame-ancestors": ["'self'"],
}


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.replace is None and request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.replace = ADMIN_POLICY
        return parts
