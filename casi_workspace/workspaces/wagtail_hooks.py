"""The workspaces' admin wiring: "My organisation", "Our team", and the history of rights changes."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from casi_workspace.organisations.selectors import organisations_edited_by
from casi_workspace.workspaces.log_formatters import LiveFieldsChangeFormatter
from casi_workspace.workspaces.panels import MyOrganisationPanel
from casi_workspace.workspaces.services.live_fields import LOG_ACTION as LIVE_FIELDS_LOG_ACTION
from casi_workspace.workspaces.services.teams import organisations_managed_by
from casi_workspace.workspaces.views import my_organisation
from casi_workspace.workspaces.views import teams as team_views

admin_urlpatterns = [
    path("mon-association/", my_organisation.my_organisation, name="my_organisation"),
    path("teams/", team_views.teams, name="teams"),
    path("organisations/<int:page_id>/team/", team_views.team, name="team"),
    path("organisations/<int:page_id>/team/invite/", team_views.team_invite, name="team_invite"),
    path(
        "organisations/<int:page_id>/team/members/<int:membership_id>/role/",
        team_views.team_member_role,
        name="team_member_role",
    ),
    path(
        "organisations/<int:page_id>/team/members/<int:membership_id>/remove/",
        team_views.team_member_remove,
        name="team_member_remove",
    ),
    path(
        "organisations/<int:page_id>/team/invitations/<int:invitation_id>/revoke/",
        team_views.team_invitation_revoke,
        name="team_invitation_revoke",
    ),
]


@hooks.register("register_log_actions")
def register_live_fields_log_action(actions) -> None:
    actions.register_action(LIVE_FIELDS_LOG_ACTION)(LiveFieldsChangeFormatter)


@hooks.register("construct_homepage_panels")
def add_my_organisation_panel(request, panels) -> None:
    panels.insert(0, MyOrganisationPanel(request.user))


class MyOrganisationMenuItem(MenuItem):
    def is_shown(self, request):
        return organisations_edited_by(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_my_organisation_menu_item():
    return MyOrganisationMenuItem(
        _("My organisation"),
        reverse("casi_workspace_admin:my_organisation"),
        name="casi-my-organisation",
        icon_name="group",
        order=90,
    )


class TeamMenuItem(MenuItem):
    def is_shown(self, request):
        return organisations_managed_by(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_team_menu_item():
    return TeamMenuItem(
        _("Our team"),
        reverse("casi_workspace_admin:teams"),
        name="casi-our-team",
        icon_name="user",
        order=91,
    )
