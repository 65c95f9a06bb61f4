"""The directory's admin wiring: the import screen, the possible duplicates, their permissions, the sectors'
snippet, the download of an organisation's data among its page's actions."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet

from casi_workspace.directory.log_formatters import OrganisationMergeFormatter
from casi_workspace.directory.services.merge import LOG_ACTION as MERGE_LOG_ACTION
from casi_workspace.directory.views.duplicates import PossibleDuplicatesViewSet
from casi_workspace.directory.views.imports import ImportOrganisationsViewSet
from casi_workspace.directory.views.organisation_data import OrganisationDataMenuItem, OrganisationDataViewSet
from casi_workspace.directory.viewsets import SectorViewSet


@hooks.register("register_admin_viewset")
def register_import_organisations_viewset() -> list[ViewSet]:
    return [ImportOrganisationsViewSet(), PossibleDuplicatesViewSet()]


@hooks.register("register_log_actions")
def register_merge_log_action(actions) -> None:
    actions.register_action(MERGE_LOG_ACTION)(OrganisationMergeFormatter)


@hooks.register("register_admin_viewset")
def register_organisation_data_viewset() -> OrganisationDataViewSet:
    return OrganisationDataViewSet()


@hooks.register("register_page_header_buttons")
def organisation_data_header_button(page, user, view_name, next_url=None):
    yield OrganisationDataMenuItem(page=page)


@hooks.register("register_page_listing_more_buttons")
def organisation_data_listing_button(page, user, next_url=None):
    yield OrganisationDataMenuItem(page=page)


@hooks.register("register_permissions")
def register_permissions():
    """The organisations' custom permissions, so that Settings › Groups can grant them."""
    return Permission.objects.filter(
        content_type__app_label="casi_workspace",
        codename__in=["import_organisations", "change_organisation_membership"],
    )


register_snippet(SectorViewSet)
