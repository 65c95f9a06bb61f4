"""What the site answers about its own security: the sign-in lockout page, and /.well-known/security.txt."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from casi_workspace.conf import get_setting, host_setting
from casi_workspace.core.links import absolute_url

SECURITY_TXT_VALIDITY = datetime.timedelta(days=365)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer once too many sign-ins failed: a French page, status 429, the same for any account
    (it names nobody, so it tells nothing about which accounts exist)."""
    cooloff = host_setting("AXES_COOLOFF_TIME")
    minutes = int(cooloff.total_seconds() // 60) if isinstance(cooloff, datetime.timedelta) else None
    return render(request, "casi_workspace/pages/lockout.html", {"minutes": minutes}, status=429)


@require_GET
@cache_control(max_age=24 * 60 * 60, public=True)
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: whom to tell about a vulnerability. `Expires` is recomputed, so the file never goes stale."""
    expires = (timezone.now() + SECURITY_TXT_VALIDITY).replace(microsecond=0)
    lines = [
        f"Contact: {get_setting('SECURITY_CONTACT')}",
        f"Expires: {expires.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fr, en",
        f"Canonical: {absolute_url('/.well-known/security.txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
