"""The core's admin wiring: the page chooser's and reports' limits, moves, expired pages, sign-in locks,
outgoing emails."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from wagtail import hooks

from casi_workspace.core.permissions import user_is_coordinator
from casi_workspace.core.views import uploads
from casi_workspace.core.views.outgoing_emails import OutgoingEmailsViewSet
from casi_workspace.core.visibility import page_is_expired, pages_visible_to_editor

# Login throttling is the host site's (django-axes); with it, the coordinators unlock accounts here.
SIGN_IN_LOCKS = apps.is_installed("axes")

if SIGN_IN_LOCKS:
    from casi_workspace.core.views.sign_in_locks import SignInLocksViewSet

    @hooks.register("register_admin_viewset")
    def register_sign_in_locks_viewset() -> SignInLocksViewSet:
        return SignInLocksViewSet()


@hooks.register("register_admin_viewset")
def register_outgoing_emails_viewset() -> OutgoingEmailsViewSet:
    return OutgoingEmailsViewSet()


@hooks.register("register_admin_urls")
def register_upload_urls():
    # Ahead of Wagtail's own route for the same address (this app comes first in INSTALLED_APPS).
    return [
        path(
            "documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/",
            uploads.create_from_uploaded_document,
        ),
    ]


@hooks.register("construct_page_chooser_queryset")
def hide_other_organisations_drafts(pages, request):
    return pages_visible_to_editor(pages, request.user)


# The other admin views that name a page are guarded by `core.middleware.PrivatePageChooserMiddleware`.


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


@hooks.register("before_serve_page")
def hide_expired_pages(page, request, serve_args, serve_kwargs):
    """An expired page is gone at its expiry time, not when `publish_scheduled` next runs."""
    if page_is_expired(page):
        raise Http404
