"""The plugin's admin wiring, and only wiring: admin URLs, menu items, permissions. Views do the work."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from .admin_panels import MyOrganisationPanel
from .document_permissions import LibraryDocumentPermissionPolicy
from .log_formatters import LiveFieldsChangeFormatter
from .modeladmin import MembershipApplicationAdmin
from .selectors import (
    moderation_queue_count,
    organisations_edited_by,
    page_is_expired,
    pages_visible_to_editor,
    user_can_moderate,
    user_is_coordinator,
)
from .selectors_workgroups import group_invitation_of, page_in_working_group
from .services.live_fields import LOG_ACTION as LIVE_FIELDS_LOG_ACTION
from .services.teams import organisations_managed_by
from .snippets import SectorViewSet
from .views import documents_admin, imports, my_organisation, newsletter_admin, uploads
from .views import moderation as moderation_views
from .views import teams as team_views

admin_urlpatterns = [
    path("organisations/import/", imports.import_organisations, name="import_organisations"),
    path("mon-association/", my_organisation.my_organisation, name="my_organisation"),
    path("lettre/abonnes/<int:pk>/export/", newsletter_admin.subscriber_data_export, name="subscriber_export"),
    path("lettre/abonnes/<int:pk>/effacer/", newsletter_admin.subscriber_data_erase, name="subscriber_erase"),
    path("lettre/numeros/<int:pk>/remplir/", newsletter_admin.issue_fill, name="issue_fill"),
    path("lettre/numeros/<int:pk>/apercu/", newsletter_admin.issue_preview, name="issue_preview"),
    path("lettre/numeros/<int:pk>/envoi/", newsletter_admin.issue_send, name="issue_send"),
]
# Login throttling is the host site's (django-axes); with it, the coordinators unlock accounts here.
SIGN_IN_LOCKS = apps.is_installed("axes")
if SIGN_IN_LOCKS:
    from .views import sign_in_locks

    admin_urlpatterns.append(path("connexions-bloquees/", sign_in_locks.sign_in_locks, name="sign_in_locks"))


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return [newsletter_admin.IssueViewSet(), newsletter_admin.SubscriberViewSet()]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("casi_workspace/", include((admin_urlpatterns, "casi_workspace_admin"))),
        # Ahead of Wagtail's own route for the same address (this app comes first in INSTALLED_APPS).
        path(
            "documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/",
            uploads.create_from_uploaded_document,
        ),
        # The files of working groups' document versions: refused with a reason (document_permissions.py).
        path("documents/edit/<int:document_id>/", documents_admin.document_edit),
        path("documents/delete/<int:document_id>/", documents_admin.document_delete),
    ]


class ImportOrganisationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(imports.IMPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_import_organisations_menu_item():
    return ImportOrganisationsMenuItem(
        _("Import organisations"),
        reverse("casi_workspace_admin:import_organisations"),
        name="casi-import-organisations",
        icon_name="upload",
        order=450,
    )


class CoordinatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_coordinator(request.user)


def sign_in_locks_menu_item() -> MenuItem:
    return CoordinatorsMenuItem(
        _("Locked sign-ins"),
        reverse("casi_workspace_admin:sign_in_locks"),
        name="casi-sign-in-locks",
        icon_name="lock",
        order=900,
    )


if SIGN_IN_LOCKS:
    hooks.register("register_settings_menu_item", sign_in_locks_menu_item)


@hooks.register("register_log_actions")
def register_live_fields_log_action(actions) -> None:
    actions.register_action(LIVE_FIELDS_LOG_ACTION)(LiveFieldsChangeFormatter)


@hooks.register("register_permissions")
def register_permissions():
    """The organisations' custom permissions, so that Settings › Groups can grant them."""
    return Permission.objects.filter(
        content_type__app_label="casi_workspace",
        codename__in=["import_organisations", "change_organisation_membership"],
    )


# Versions' files of shared documents are changed and deleted through the library only, by everyone.
register_permission_policy(get_document_model(), LibraryDocumentPermissionPolicy(), exact_class=True)
modeladmin_register(MembershipApplicationAdmin)
register_snippet(SectorViewSet)


# --- "Mon association" and leak-proof choosers ------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def add_my_organisation_panel(request, panels) -> None:
    panels.insert(0, MyOrganisationPanel(request.user))


@hooks.register("construct_page_chooser_queryset")
def hide_other_organisations_drafts(pages, request):
    return pages_visible_to_editor(pages, request.user)


# The other admin views that name a page are guarded by `middleware.PrivatePageChooserMiddleware`.


@hooks.register("construct_reports_menu")
def hide_site_wide_reports(request, menu_items: list) -> None:
    """The page-types report is the network coordinators' (the middleware refuses it to everyone else)."""
    if not user_is_coordinator(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination) -> None:
    """Wagtail shows a move's confirmation page without checking the move (only its POST does): refuse it."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


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


# --- "Our team": an association's managers manage its members and invitations ----------------------------

admin_urlpatterns += [
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


# --- Moderation: the coordinators' queue ------------------------------------------------------------------

admin_urlpatterns += [
    path("moderation/", moderation_views.moderation_queue_view, name="moderation"),
]


class ModerationMenuItem(MenuItem):
    """Shown to whoever may decide a moderation step; the label counts what waits for them."""

    def is_shown(self, request):
        return user_can_moderate(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        count = moderation_queue_count(request.user)
        if count:
            component.label = f"{self.label} ({count})"
        return component


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        _("Moderation"),
        reverse("casi_workspace_admin:moderation"),
        name="casi-moderation",
        icon_name="tasks",
        order=95,
    )


# --- Working groups: outsiders get a 404, as for an address that names nothing; no login loop -------------


def _refused_by_a_group_restriction(page, request) -> bool:
    return any(
        restriction.restriction_type == PageViewRestriction.GROUPS and not restriction.accept_request(request)
        for restriction in page.get_view_restrictions()
    )


@hooks.register("on_serve_page", order=-1)
def refuse_signed_in_outsiders(callback):
    """Answer those a group restriction refuses before Wagtail does (it would redirect to the login page).

    A secret working group's page, and every page of any group's library, answers whoever may not read it
    (visitor or signed-in) with the site's own 404, exactly as an unknown address: a 403 or a login redirect
    would confirm that it exists (the 404 page offers visitors a sign-in link, whatever the address). The
    person invited to a secret group sees the invitation on its page. Other group-restricted pages keep a
    403 page that says why for signed-in people (Wagtail's login page would loop), and Wagtail's login page
    for visitors.
    """

    def inner(page, request, serve_args, serve_kwargs):
        if not request.user.is_authenticated:
            response = callback(page, request, serve_args, serve_kwargs)
            # Wagtail answers a refused visitor with a redirect to its login page: only a redirect is checked,
            # so that open pages cost no query more.
            refused = response.status_code == 302 and _refused_by_a_group_restriction(page, request)
            if refused and page_in_working_group(page):
                raise Http404
            return response
        if not request.user.is_superuser and _refused_by_a_group_restriction(page, request):
            invitation = group_invitation_of(request.user, page)
            if invitation is None and page_in_working_group(page):
                raise Http404
            response = TemplateResponse(
                request,
                "casi_workspace/pages/group_forbidden.html",
                {"page": page, "invitation": invitation},
                status=200 if invitation else 403,
            )
            add_never_cache_headers(response)
            return response
        return callback(page, request, serve_args, serve_kwargs)

    return inner


# --- An expired page is gone at its expiry time, not when `publish_scheduled` next runs ----------------------


@hooks.register("before_serve_page")
def hide_expired_pages(page, request, serve_args, serve_kwargs):
    if page_is_expired(page):
        raise Http404
