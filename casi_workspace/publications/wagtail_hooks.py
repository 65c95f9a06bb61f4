"""The publications' admin wiring: the moderation queue, and the page editor's actions and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import WorkflowState

from casi_workspace.publications.services.decisions import moderation_approval_complete
from casi_workspace.publications.views.editor_actions import page_action_menu_arrange
from casi_workspace.publications.views.moderation import ModerationViewSet


@hooks.register("register_admin_viewset")
def register_moderation_viewset() -> ModerationViewSet:
    return ModerationViewSet()


@hooks.register("construct_page_action_menu")
def arrange_page_action_menu(menu_items, request, context) -> None:
    page_action_menu_arrange(menu_items, request, context)


@hooks.register("after_edit_page")
def complete_approval_from_the_editor(request, page) -> None:
    """The editor's "Approve" approves what the moderator saw, even when saving it made a new revision; the
    moderator is told that the page is published (Wagtail only says that it was updated)."""
    if not (request.POST.get("action-workflow-action") and request.POST.get("workflow-action-name") == "approve"):
        return
    moderation_approval_complete(page_id=page.pk, user=request.user)
    state = page.workflow_states.order_by("-created_at", "-pk").first()
    page.refresh_from_db(fields=["live", "has_unpublished_changes"])
    if state is not None and state.status == WorkflowState.STATUS_APPROVED and page.live:
        title = page.get_admin_display_title()
        messages.success(request, _("“%(title)s” is approved and published.") % {"title": title})


@hooks.register("insert_editor_js")
def editor_autosave_guard() -> str:
    """A button pressed while an autosave creates the page waits for it instead of creating the page twice."""
    return format_html('<script defer src="{}"></script>', static("casi_workspace/js/editor-autosave.js"))
