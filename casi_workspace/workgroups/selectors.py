"""What the working-group pages show, fetched in a fixed number of queries whatever the library's size.

Listings never call `.specific` per row: folders come as plain pages of one query, documents as
`SharedDocumentPage` rows with their file and uploader joined in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.db.models import Count, Q, QuerySet
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from casi_workspace.conf import get_setting
from casi_workspace.core.permissions import coordinators_group, user_is_coordinator
from casi_workspace.core.search import clean_query
from casi_workspace.workgroups.models import (
    DocumentFolderPage,
    MinutesPage,
    SharedDocumentPage,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupNotifications,
    WorkingGroupPage,
    WorkingGroupRole,
    WorkingGroupVisibility,
    WorkingGroupWorkspace,
)
from casi_workspace.workspaces.models import OrganisationWorkspace


def working_groups_listed(index: Page, user) -> QuerySet[WorkingGroupPage]:
    """Public and members-only groups for everybody; a secret group only for those who may read it."""
    visible = Q(visibility__in=[WorkingGroupVisibility.PUBLIC, WorkingGroupVisibility.MEMBERS])
    if user.is_authenticated:
        if user_is_coordinator(user):
            visible = Q()
        else:
            readable = PageViewRestriction.objects.filter(
                restriction_type=PageViewRestriction.GROUPS, groups__in=user.groups.all()
            ).values("page_id")
            visible |= Q(pk__in=readable)
    active = Q(memberships__status=WorkingGroupMembershipStatus.ACTIVE)
    return (
        WorkingGroupPage.objects.child_of(index)
        .live()
        .filter(visible)
        .annotate(member_count=Count("memberships", filter=active, distinct=True))
        .order_by("title")
    )


@dataclass
class FolderNode:
    page: Page
    children: list[FolderNode] = field(default_factory=list)
    current: bool = False
    open: bool = False


def folder_tree(group: WorkingGroupPage, current: Page) -> list[FolderNode]:
    """Every folder of the group in one query, nested; the branch leading to `current` is open."""
    folders = Page.objects.descendant_of(group).type(DocumentFolderPage).live().order_by("path")
    nodes: dict[str, FolderNode] = {}
    roots: list[FolderNode] = []
    for folder in folders:
        node = FolderNode(page=folder, current=folder.pk == current.pk, open=current.path.startswith(folder.path))
        nodes[folder.path] = node
        parent = nodes.get(folder.path[: -Page.steplen])
        (parent.children if parent else roots).append(node)
    return roots


def _flatten(nodes: list[FolderNode], depth: int = 0) -> list[tuple[Page, int]]:
    flat = []
    for node in nodes:
        flat.append((node.page, depth))
        flat += _flatten(node.children, depth + 1)
    return flat


def folder_choices(group: WorkingGroupPage, tree: list[FolderNode]) -> list[tuple[int, str]]:
    """Where an item can go: the group's top level, then every folder, indented by its depth."""
    return [(group.pk, group.title), *[(page.pk, "— " * (depth + 1) + page.title) for page, depth in _flatten(tree)]]


def documents_in(folder: Page) -> QuerySet[SharedDocumentPage]:
    return (
        SharedDocumentPage.objects.child_of(folder)
        .live()
        .select_related("document", "uploaded_by")
        .order_by("title", "pk")
    )


def library_search(group: WorkingGroupPage, raw_query: str) -> tuple[str, list[SharedDocumentPage]]:
    """The group's documents matching the query (title, description, tags), best first, at most one page."""
    query = clean_query(raw_query)
    if not query:
        return "", []
    limit = get_setting("GROUP_LIBRARY_PAGE_SIZE")
    found = SharedDocumentPage.objects.descendant_of(group).live().search(query)[:limit]
    ids = [page.pk for page in found]
    pages = {
        page.pk: page
        for page in SharedDocumentPage.objects.filter(pk__in=ids).select_related("document", "uploaded_by")
    }
    return query, [pages[pk] for pk in ids if pk in pages]


def breadcrumbs(group: WorkingGroupPage, page: Page) -> list[Page]:
    return list(Page.objects.ancestor_of(page, inclusive=True).filter(depth__gte=group.depth).order_by("depth"))


def minutes_of(group: WorkingGroupPage) -> QuerySet[MinutesPage]:
    return MinutesPage.objects.child_of(group).live().order_by("-meeting_date", "-pk")


def members_of(group: WorkingGroupPage) -> QuerySet[WorkingGroupMembership]:
    return (
        WorkingGroupMembership.objects.filter(working_group=group, status=WorkingGroupMembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "user__username")
    )


def group_invitation_of(user, page: Page) -> WorkingGroupMembership | None:
    """The person's pending invitation to the working group `page` is, if any."""
    if not user.is_authenticated or not isinstance(page.specific_deferred, WorkingGroupPage):
        return None
    return (
        WorkingGroupMembership.objects.filter(
            working_group_id=page.pk, user=user, status=WorkingGroupMembershipStatus.INVITED
        )
        .select_related("working_group", "invited_by")
        .first()
    )


def page_in_working_group(page: Page) -> bool:
    """Whether `page` is a working group or a page of one's library (folder, document, minutes).

    Such a page, when its view restriction refuses someone, must look to them like an address that names
    nothing: a 403 or a sign-in redirect would tell that a secret group, or a folder of that name, exists.
    """
    return isinstance(page.specific_deferred, WorkingGroupPage) or WorkingGroupPage.objects.ancestor_of(page).exists()


def coordinators_of(group: WorkingGroupPage) -> QuerySet[WorkingGroupMembership]:
    return members_of(group).filter(role=WorkingGroupRole.COORDINATOR)


def pending_of(group: WorkingGroupPage) -> QuerySet[WorkingGroupMembership]:
    return (
        WorkingGroupMembership.objects.filter(working_group=group)
        .exclude(status=WorkingGroupMembershipStatus.ACTIVE)
        .select_related("user", "invited_by")
        .order_by("status", "created_at")
    )


@dataclass(frozen=True)
class DocumentVersion:
    revision_id: int
    created_at: Any
    user: Any
    document: Any
    current: bool


def document_versions(page: SharedDocumentPage) -> list[DocumentVersion]:
    """Each revision with the file it points at: two queries, however many versions."""
    revisions = list(page.revisions.select_related("user").order_by("-created_at", "-pk")[:100])
    document_ids = {revision.content.get("document") for revision in revisions} - {None}
    documents = get_document_model().objects.in_bulk(document_ids)
    versions = []
    seen_current = False
    for revision in revisions:
        document = documents.get(revision.content.get("document"))
        current = not seen_current and document is not None and document.pk == page.document_id
        seen_current = seen_current or current
        versions.append(
            DocumentVersion(
                revision_id=revision.pk,
                created_at=revision.created_at,
                user=revision.user,
                document=document,
                current=current,
            )
        )
    return versions


def group_item_recipients(page: Page) -> QuerySet[WorkingGroupMembership]:
    """Active members of the item's group who want an email for each item, with an address, not its author."""
    group = WorkingGroupPage.objects.ancestor_of(page).first()
    author_id = getattr(page, "uploaded_by_id", None) or page.owner_id
    return (
        WorkingGroupMembership.objects.filter(
            working_group=group,
            status=WorkingGroupMembershipStatus.ACTIVE,
            notifications=WorkingGroupNotifications.EACH,
            user__is_active=True,
        )
        .exclude(user__email="")
        .exclude(user_id=author_id)
        .select_related("user", "working_group")
    )


def working_group_readers(workspace: WorkingGroupWorkspace) -> list[Group]:
    """Who may read the group's documents and minutes: the groups its view restrictions name."""
    readers = [workspace.members_group, workspace.coordinators_group, coordinators_group()]
    editors = OrganisationWorkspace.objects.filter(
        organisation__in=workspace.working_group.member_organisations.all()
    ).select_related("editors_group")
    readers += [organisation_workspace.editors_group for organisation_workspace in editors]
    return [group for group in readers if group is not None]


def working_group_workspace(group: WorkingGroupPage) -> WorkingGroupWorkspace | None:
    """The group's workspace with its groups and collection, or None before its first publication."""
    return (
        WorkingGroupWorkspace.objects.filter(working_group=group)
        .select_related("members_group", "coordinators_group", "collection")
        .first()
    )
