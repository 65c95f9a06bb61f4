"""The publications' admin wiring: the moderation queue."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from casi_workspace.publications.selectors.moderation import moderation_queue_count, user_can_moderate
from casi_workspace.publications.views import moderation as moderation_views

admin_urlpatterns = [
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
