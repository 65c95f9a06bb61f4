"""Refusals: the base class of every refused request, and the admin's real 403 page.

Wagtail's admin turns a PermissionDenied raised by a view into a redirect to the dashboard with a
message; for personal data and rights-bearing actions the plugin answers a refusal as a 403.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


class CasiError(Exception):
    """A request the plugin refuses, with the French message meant for the person who made it.

    Each domain's refusals derive from it (`TeamError`, `NewsletterError`, `WorkingGroupError`…);
    `forbidden` tells a view to answer 403 rather than 400.
    """

    def __init__(self, message: str = "", *, forbidden: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.forbidden = forbidden


def permission_denied(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(request, "casi_workspace/admin/permission_denied.html", status=403)


def not_found(request: HttpRequest, message: str, *, back_url: str = "") -> TemplateResponse:
    """The admin's 404 for a forged or outdated id, saying what was not found."""
    return request_refused(request, _("Not found"), message, status=404, back_url=back_url)


def request_refused(
    request: HttpRequest, title: str, message: str, *, status: int, back_url: str = ""
) -> TemplateResponse:
    """The admin's page for a request refused with a reason (`title`, then `message`, then the way back)."""
    context = {"title": title, "message": message, "back_url": back_url}
    return TemplateResponse(request, "casi_workspace/admin/request_refused.html", context, status=status)


def answer_403(view):
    """Decorate an admin view so that a PermissionDenied it raises becomes the 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return permission_denied(request)

    return wrapped
