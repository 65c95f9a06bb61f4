"""The newsletter's admin wiring: issues and subscribers, and the actions on them (viewsets)."""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.newsletter.views import admin as newsletter_admin


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets() -> list[ViewSet]:
    return [
        newsletter_admin.IssueViewSet(),
        newsletter_admin.SubscriberViewSet(),
        newsletter_admin.NewsletterActionsViewSet(),
    ]
