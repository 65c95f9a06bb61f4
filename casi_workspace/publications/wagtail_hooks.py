"""The publications' admin wiring: the moderation queue."""

from __future__ import annotations

from wagtail import hooks

from casi_workspace.publications.views.moderation import ModerationViewSet


@hooks.register("register_admin_viewset")
def register_moderation_viewset() -> ModerationViewSet:
    return ModerationViewSet()
