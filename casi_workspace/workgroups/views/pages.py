"""What a working group's pages show to the person looking: group, folder, document and minutes pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail.models import Page

from casi_workspace.conf import get_setting
from casi_workspace.core.pagination import paginate
from casi_workspace.core.upload_policy import document_extensions
from casi_workspace.workgroups.access import group_access
from casi_workspace.workgroups.models import (
    DocumentFolderPage,
    MinutesPage,
    SharedDocumentPage,
    WorkingGroupNotifications,
    WorkingGroupPage,
)
from casi_workspace.workgroups.selectors import (
    breadcrumbs,
    coordinators_of,
    document_versions,
    documents_in,
    folder_choices,
    folder_tree,
    library_search,
    members_of,
    minutes_of,
    working_groups_listed,
)


def library_context(request: HttpRequest, *, group: WorkingGroupPage | None, folder: Page) -> dict[str, Any]:
    """The group page's and each folder's context: the public part for all, the library for readers."""
    if group is None:
        return {}
    access = group_access(request.user, group)
    context: dict[str, Any] = {
        "group": group,
        "access": access,
        "coordinators": list(coordinators_of(group)) if access.sees_group else [],
        "notification_choices": WorkingGroupNotifications.choices,
    }
    if access.sees_members and folder.pk == group.pk:
        context["members"] = paginate(request, members_of(group), per_page=50, param="membres")
        context["member_organisations"] = list(group.member_organisations.live().order_by("title"))
    if not access.reader:
        return context
    tree = folder_tree(group, folder)
    query, results = library_search(group, request.GET.get("q", ""))
    context.update(
        folder=folder,
        folder_tree=tree,
        folder_choices=folder_choices(group, tree),
        subfolders=Page.objects.child_of(folder).type(DocumentFolderPage).live().order_by("title"),
        documents=paginate(request, documents_in(folder), per_page=get_setting("GROUP_LIBRARY_PAGE_SIZE")),
        breadcrumbs=breadcrumbs(group, folder),
        query=query,
        search_results=results,
        allowed_extensions=", ".join(document_extensions()),
        max_upload_size=get_setting("GROUP_DOCUMENT_MAX_SIZE"),
    )
    if folder.pk == group.pk:
        context["minutes"] = paginate(request, minutes_of(group), per_page=20, param="comptes-rendus")
    return context


def document_context(request: HttpRequest, *, page: SharedDocumentPage) -> dict[str, Any]:
    group = page.working_group()
    access = group_access(request.user, group)
    return {
        "group": group,
        "access": access,
        "breadcrumbs": breadcrumbs(group, page),
        "versions": document_versions(page),
        "may_change": access.may_change_document(page.uploaded_by_id, request.user),
        "folder_choices": folder_choices(group, folder_tree(group, page)),
    }


def minutes_context(request: HttpRequest, *, page: MinutesPage) -> dict[str, Any]:
    group = page.working_group()
    return {"group": group, "access": group_access(request.user, group), "breadcrumbs": breadcrumbs(group, page)}


def group_page_context(request: HttpRequest, page: Page) -> dict[str, Any]:
    """The context of a working group's page, folder, shared document or minutes, by its type."""
    if isinstance(page, SharedDocumentPage):
        return document_context(request, page=page)
    if isinstance(page, MinutesPage):
        return minutes_context(request, page=page)
    group = page if isinstance(page, WorkingGroupPage) else page.working_group()
    return library_context(request, group=group, folder=page)


def working_group_index_context(request: HttpRequest, page: Page) -> dict[str, Any]:
    """The groups the visitor may see, a page of them at a time."""
    return {"working_groups": paginate(request, working_groups_listed(page, request.user))}
