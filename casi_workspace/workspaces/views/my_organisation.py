"""The "My organisation" menu entry: the explorer on the user's organisation, or a choice among several."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.core.errors import permission_denied
from casi_workspace.organisations.selectors import organisations_edited_by
from casi_workspace.workspaces.services.teams import user_can_export_organisation


def my_organisation(request: HttpRequest) -> HttpResponse:
    organisations = list(organisations_edited_by(request.user)[:50])
    if not organisations:
        return permission_denied(request)
    if len(organisations) == 1:
        return redirect("wagtailadmin_explore", organisations[0].pk)
    for organisation in organisations:
        organisation.may_download_data = user_can_export_organisation(request.user, organisation)
    return TemplateResponse(request, "casi_workspace/admin/my_organisations.html", {"organisations": organisations})


class MyOrganisationMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return organisations_edited_by(request.user).exists()


class MyOrganisationViewSet(ViewSet):
    """At /admin/casi_workspace/mon-association/, in the menu of whoever edits an organisation."""

    name = "casi_my_organisation"
    url_prefix = "casi_workspace/mon-association"
    icon = "group"
    menu_label = _("My organisation")
    menu_name = "casi-my-organisation"
    menu_order = 90
    add_to_admin_menu = True
    menu_item_class = MyOrganisationMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [path("", my_organisation, name="index")]
