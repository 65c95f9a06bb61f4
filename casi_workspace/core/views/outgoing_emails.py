"""The network coordinators' read-only list of the emails not (or not surely) delivered, and its viewset."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

from casi_workspace.core.delivery import outgoing_emails_unsent
from casi_workspace.core.errors import answer_403
from casi_workspace.core.pagination import paginate
from casi_workspace.core.permissions import user_is_coordinator
from casi_workspace.core.views.coordinators_settings import CoordinatorsSettingsViewSet

EMAILS_PER_PAGE = 50


@answer_403
def outgoing_emails(request: HttpRequest) -> HttpResponse:
    if not user_is_coordinator(request.user):
        raise PermissionDenied
    emails = paginate(request, outgoing_emails_unsent(), EMAILS_PER_PAGE)
    return TemplateResponse(request, "casi_workspace/admin/outgoing_emails.html", {"emails": emails})


class OutgoingEmailsViewSet(CoordinatorsSettingsViewSet):
    """At /admin/casi_workspace/courriels-sortants/, in the Settings menu of the network coordinators."""

    name = "casi_outgoing_emails"
    url_prefix = "casi_workspace/courriels-sortants"
    icon = "mail"
    menu_label = gettext_lazy("Outgoing emails")
    menu_name = "casi-outgoing-emails"
    menu_order = 910
    index_view = staticmethod(outgoing_emails)
