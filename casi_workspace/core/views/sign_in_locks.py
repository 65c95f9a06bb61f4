"""The network coordinators' list of locked sign-ins, each unlocked with one button, and its viewset."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casi_workspace.core.errors import answer_403
from casi_workspace.core.pagination import paginate
from casi_workspace.core.permissions import user_is_coordinator
from casi_workspace.core.request_values import parsed_id
from casi_workspace.core.services.sign_in_locks import locked_sign_ins, sign_in_unlock
from casi_workspace.core.views.coordinators_settings import CoordinatorsSettingsViewSet

LOCKS_PER_PAGE = 50


@answer_403
def sign_in_locks(request: HttpRequest) -> HttpResponse:
    if not user_is_coordinator(request.user):
        raise PermissionDenied
    if request.method == "POST":
        attempt_id = parsed_id(request.POST.get("attempt"))
        unlocked = sign_in_unlock(attempt_id) if attempt_id else None
        if unlocked is None:
            messages.error(request, _("This sign-in is not locked (any more)."))
        else:
            messages.success(request, _("%(username)s may sign in again.") % {"username": unlocked.username})
        return redirect(request.path)
    locks = paginate(request, locked_sign_ins(), LOCKS_PER_PAGE)
    return TemplateResponse(request, "casi_workspace/admin/sign_in_locks.html", {"locks": locks})


class SignInLocksViewSet(CoordinatorsSettingsViewSet):
    """At /admin/casi_workspace/connexions-bloquees/, in the Settings menu of the network coordinators."""

    name = "casi_sign_in_locks"
    url_prefix = "casi_workspace/connexions-bloquees"
    icon = "lock"
    menu_label = gettext_lazy("Locked sign-ins")
    menu_name = "casi-sign-in-locks"
    menu_order = 900
    index_view = staticmethod(sign_in_locks)
