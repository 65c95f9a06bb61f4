"""The workspaces' admin wiring: "My organisation", "Our team", the history of rights changes, the admin's styles."""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.organisations.selectors import organisations_edited_by
from casi_workspace.workspaces.log_formatters import LiveFieldsChangeFormatter
from casi_workspace.workspaces.panels import MyOrganisationPanel
from casi_workspace.workspaces.services.live_fields import LOG_ACTION as LIVE_FIELDS_LOG_ACTION
from casi_workspace.workspaces.views.my_organisation import MyOrganisationViewSet
from casi_workspace.workspaces.views.teams import TeamViewSet

# Wagtail's "Your pages and snippets in a workflow": the "My organisation" panel lists the same items.
WAGTAIL_WORKFLOW_PANEL = "user_objects_in_workflow_moderation"


@hooks.register("register_log_actions")
def register_live_fields_log_action(actions) -> None:
    actions.register_action(LIVE_FIELDS_LOG_ACTION)(LiveFieldsChangeFormatter)


@hooks.register("construct_homepage_panels")
def add_my_organisation_panel(request, panels) -> None:
    """The "My organisation" panel first; for an organisation's editor, it replaces Wagtail's list of what waits."""
    panels.insert(0, MyOrganisationPanel(request.user))
    if organisations_edited_by(request.user).exists():
        panels[:] = [panel for panel in panels if getattr(panel, "name", "") != WAGTAIL_WORKFLOW_PANEL]


@hooks.register("insert_global_admin_css")
def admin_css() -> str:
    """The plugin's admin styles: the dashboard's panel, the editor's action bar and the moderator's banner."""
    return format_html('<link rel="stylesheet" href="{}">', static("casi_workspace/css/admin.css"))


@hooks.register("register_admin_viewset")
def register_workspace_viewsets() -> list[ViewSet]:
    return [MyOrganisationViewSet(), TeamViewSet()]
