"""The directory's admin wiring: the import screen, its permissions, the sectors' snippet."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from casi_workspace.directory.views.imports import ImportOrganisationsViewSet
from casi_workspace.directory.viewsets import SectorViewSet


@hooks.register("register_admin_viewset")
def register_import_organisations_viewset() -> ImportOrganisationsViewSet:
    return ImportOrganisationsViewSet()


@hooks.register("register_permissions")
def register_permissions():
    """The organisations' custom permissions, so that Settings › Groups can grant them."""
    return Permission.objects.filter(
        content_type__app_label="casi_workspace",
        codename__in=["import_organisations", "change_organisation_membership"],
    )


register_snippet(SectorViewSet)
