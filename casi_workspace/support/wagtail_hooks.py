"""The support desk's admin wiring: the "Accompagnements" menu item and its screens."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.support.access import SupportAccess
from casi_workspace.support.panels import OrganisationSupportPanel
from casi_workspace.support.views import (
    desk_appointment,
    desk_assign,
    desk_attachment,
    desk_collectives,
    desk_detail,
    desk_erase,
    desk_figures,
    desk_figures_export,
    desk_list,
    desk_message,
    desk_note,
    desk_status,
    desk_suggestions,
)


class SupportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return SupportAccess(request.user).may_list


class SupportViewSet(ViewSet):
    name = "casi_support"
    url_prefix = "casi_workspace/accompagnements"
    icon = "help"
    menu_label = gettext_lazy("Support requests")
    menu_name = "casi-support"
    menu_order = 97
    add_to_admin_menu = True
    menu_item_class = SupportMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", desk_list, name="index"),
            path("<int:pk>/", desk_detail, name="detail"),
            path("suggestions/", desk_suggestions, name="suggestions"),
            path("<int:pk>/statut/", desk_status, name="status"),
            path("<int:pk>/attribution/", desk_assign, name="assign"),
            path("<int:pk>/note/", desk_note, name="note"),
            path("<int:pk>/message/", desk_message, name="message"),
            path("<int:pk>/rendez-vous/", desk_appointment, name="appointment"),
            path("<int:pk>/documents/<int:attachment_id>/", desk_attachment, name="attachment"),
            path("collectifs/", desk_collectives, name="collectives"),
            path("<int:pk>/effacer/", desk_erase, name="erase"),
            path("chiffres/", desk_figures, name="figures"),
            path("chiffres/export.csv", desk_figures_export, {"extension": "csv"}, name="figures_csv"),
            path("chiffres/export.xlsx", desk_figures_export, {"extension": "xlsx"}, name="figures_xlsx"),
        ]


@hooks.register("register_admin_viewset")
def register_support_viewset() -> SupportViewSet:
    return SupportViewSet()


@hooks.register("casi_organisation_edit_panels")
def organisation_support_panel() -> list:
    """The organisation's past support requests in its page editor, for those who see them (support/panels.py)."""
    return [OrganisationSupportPanel()]
