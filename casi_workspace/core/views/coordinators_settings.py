"""The base of the one-page screens the network coordinators alone find in the admin's Settings menu."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.core.permissions import user_is_coordinator


class CoordinatorsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_is_coordinator(request.user)


class CoordinatorsSettingsViewSet(ViewSet):
    """One view (`index_view`, which checks the coordinator itself) under Settings, shown to coordinators."""

    add_to_settings_menu = True
    menu_item_class = CoordinatorsMenuItem
    index_view: Callable[[HttpRequest], HttpResponse]

    def get_urlpatterns(self) -> list[URLPattern]:
        return [path("", type(self).index_view, name="index")]
