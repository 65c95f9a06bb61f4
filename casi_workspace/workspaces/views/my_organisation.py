"""The "My organisation" menu entry: the explorer on the user's organisation, or a choice among several."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from casi_workspace.core.errors import permission_denied
from casi_workspace.organisations.selectors import organisations_edited_by


def my_organisation(request: HttpRequest) -> HttpResponse:
    organisations = list(organisations_edited_by(request.user)[:50])
    if not organisations:
        return permission_denied(request)
    if len(organisations) == 1:
        return redirect("wagtailadmin_explore", organisations[0].pk)
    return TemplateResponse(request, "casi_workspace/admin/my_organisations.html", {"organisations": organisations})
