"""The directory's admin wiring: the import screen, its permissions, the sectors' snippet."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from casi_workspace.directory.views import imports
from casi_workspace.directory.viewsets import SectorViewSet

admin_urlpatterns = [
    path("organisations/import/", imports.import_organisations, name="import_organisations"),
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


@hooks.register("register_permissions")
def register_permissions():
    """The organisations' custom permissions, so that Settings › Groups can grant them."""
    return Permission.objects.filter(
        content_type__app_label="casi_workspace",
        codename__in=["import_organisations", "change_organisation_membership"],
    )


register_snippet(SectorViewSet)
