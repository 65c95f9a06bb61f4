"""The workspaces' admin wiring: "My organisation", "Our team", and the history of rights changes."""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.workspaces.log_formatters import LiveFieldsChangeFormatter
from casi_workspace.workspaces.panels import MyOrganisationPanel
from casi_workspace.workspaces.services.live_fields import LOG_ACTION as LIVE_FIELDS_LOG_ACTION
from casi_workspace.workspaces.views.my_organisation import MyOrganisationViewSet
from casi_workspace.workspaces.views.teams import TeamViewSet


@hooks.register("register_log_actions")
def register_live_fields_log_action(actions) -> None:
    actions.register_action(LIVE_FIELDS_LOG_ACTION)(LiveFieldsChangeFormatter)


@hooks.register("construct_homepage_panels")
def add_my_organisation_panel(request, panels) -> None:
    panels.insert(0, MyOrganisationPanel(request.user))


@hooks.register("register_admin_viewset")
def register_workspace_viewsets() -> list[ViewSet]:
    return [MyOrganisationViewSet(), TeamViewSet()]
