"""The newsletter's admin wiring: issues and subscribers (viewsets), and their actions."""

from __future__ import annotations

from django.urls import path
from wagtail import hooks

from casi_workspace.newsletter.views import admin as newsletter_admin

admin_urlpatterns = [
    path("lettre/abonnes/<int:pk>/export/", newsletter_admin.subscriber_data_export, name="subscriber_export"),
    path("lettre/abonnes/<int:pk>/effacer/", newsletter_admin.subscriber_data_erase, name="subscriber_erase"),
    path("lettre/numeros/<int:pk>/remplir/", newsletter_admin.issue_fill, name="issue_fill"),
    path("lettre/numeros/<int:pk>/apercu/", newsletter_admin.issue_preview, name="issue_preview"),
    path("lettre/numeros/<int:pk>/envoi/", newsletter_admin.issue_send, name="issue_send"),
]


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return [newsletter_admin.IssueViewSet(), newsletter_admin.SubscriberViewSet()]
