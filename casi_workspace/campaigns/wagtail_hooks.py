"""The campaigns' admin wiring: the coordinators' screens (programme, statistics)."""

from __future__ import annotations

from wagtail import hooks

from casi_workspace.campaigns.views.admin import CampaignsViewSet


@hooks.register("register_admin_viewset")
def register_campaigns_viewset() -> CampaignsViewSet:
    return CampaignsViewSet()
