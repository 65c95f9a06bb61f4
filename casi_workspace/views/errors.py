"""Refusals in the admin: a real 403 page.

Wagtail's admin turns a PermissionDenied raised by a view into a redirect to the dashboard with a
message; for personal data and rights-bearing actions the plugin answers a refusal as a 403.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse


def permission_denied(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(request, "casi_workspace/admin/permission_denied.html", status=403)


def answer_403(view):
    """Decorate an admin view so that a PermissionDenied it raises becomes the 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return permission_denied(request)

    return wrapped
