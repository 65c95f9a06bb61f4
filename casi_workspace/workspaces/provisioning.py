"""An organisation's workspace: its editors' (and collective's) groups, collection, rights and workflow.

Every function here is idempotent: running it twice leaves the database as running it once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    WorkflowPage,
)

from casi_workspace.conf import get_setting
from casi_workspace.core.permissions import coordinators_group
from casi_workspace.core.rights import (
    COORDINATOR_MODEL_PERMISSIONS,
    COORDINATOR_PAGE_ACTIONS,
    EDITOR_PAGE_ACTIONS,
    GROUP_NAME_LENGTH,
    MEDIA_ACTIONS,
    PUBLISHER_PAGE_ACTIONS,
    admin_group,
    collection_child,
    collection_grant,
    collections_append,
    collections_grant_new,
    named_group,
    named_groups_create,
    pages_grant,
    pages_grant_new,
)
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.workspaces.models import OrganisationWorkspace
from casi_workspace.workspaces.workflows import (
    collective_workflow_ensure,
    network_workflow,
    network_workflow_ensure,
    organisation_workflow_sync,
)


def organisations_collection() -> Collection:
    return collection_child(Collection.get_first_root_node(), get_setting("ORGANISATIONS_COLLECTION"))


@transaction.atomic
def coordinators_provision(*, site_root) -> Group:
    """The network coordinators: edit, publish and moderate everything under the site root.

    Their workflow replaces Wagtail's default one on the site root, so that whatever is submitted
    anywhere reaches them.
    """
    group = admin_group(get_setting("COORDINATORS_GROUP"))
    pages_grant(group, site_root, COORDINATOR_PAGE_ACTIONS)
    collection_grant(group, Collection.get_first_root_node(), MEDIA_ACTIONS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="casi_workspace", codename__in=COORDINATOR_MODEL_PERMISSIONS)
    )
    network_workflow_ensure(coordinators=group, site_root=site_root)
    return group


@transaction.atomic
def organisation_provision(*, organisation: OrganisationPage) -> OrganisationWorkspace:
    """The association's editors: its own page subtree and its own collection, nothing else.

    Trusted organisations may publish; the others may only submit for moderation. A collective
    also gets a coordinators' group with publish rights on its members' pages.
    """
    workspace = OrganisationWorkspace.objects.filter(organisation=organisation).first()
    if workspace is None and not organisation.is_collective:
        return organisations_provision_new([organisation])[0]
    editors = named_group(
        workspace.editors_group if workspace else None, organisation.title, "éditeurs", organisation.pk
    )
    if workspace:
        collection = workspace.collection
        if collection.name != organisation.title[:255]:
            collection.name = organisation.title[:255]
            collection.save(update_fields=["name"])
    else:
        collection = collections_append(organisations_collection(), [organisation.title[:255]])[0]
        workspace = OrganisationWorkspace.objects.create(
            organisation=organisation, editors_group=editors, collection=collection
        )
    pages_grant(editors, organisation, PUBLISHER_PAGE_ACTIONS if organisation.is_trusted else EDITOR_PAGE_ACTIONS)
    collection_grant(editors, collection, MEDIA_ACTIONS)

    _collective_rights_sync(organisation, collection)
    if organisation.is_collective:
        _collective_provision(workspace)
    network = network_workflow()
    if network is not None:
        organisation_workflow_sync(organisation=organisation, network_workflow=network)
    return workspace


@transaction.atomic
def organisations_provision_new(organisations: Sequence[OrganisationPage]) -> list[OrganisationWorkspace]:
    """`organisation_provision` for organisations that have no workspace yet and are no collective (an import's
    batch, a new member): their editors' groups, collections, rights and workflow, in about twenty queries
    whatever their number."""
    if not organisations:
        return []
    editors = named_groups_create(organisations, "éditeurs")
    collections = collections_append(organisations_collection(), [page.title[:255] for page in organisations])
    workspaces = OrganisationWorkspace.objects.bulk_create(
        [
            OrganisationWorkspace(organisation=page, editors_group=group, collection=collection)
            for page, group, collection in zip(organisations, editors, collections, strict=True)
        ]
    )
    trusted = [(group, page) for group, page in zip(editors, organisations, strict=True) if page.is_trusted]
    others = [(group, page) for group, page in zip(editors, organisations, strict=True) if not page.is_trusted]
    pages_grant_new(trusted, PUBLISHER_PAGE_ACTIONS)
    pages_grant_new(others, EDITOR_PAGE_ACTIONS)
    collections_grant_new(list(zip(editors, collections, strict=True)), MEDIA_ACTIONS)

    collectives = {
        workspace.organisation_id: workspace
        for workspace in OrganisationWorkspace.objects.filter(
            organisation_id__in={page.parent_collective_id for page in organisations if page.parent_collective_id}
        ).only("organisation_id", "coordinators_group_id", "workflow_id")
    }
    members = [
        (Group(pk=collectives[page.parent_collective_id].coordinators_group_id), page, collection)
        for page, collection in zip(organisations, collections, strict=True)
        if page.parent_collective_id in collectives and collectives[page.parent_collective_id].coordinators_group_id
    ]
    pages_grant_new([(group, page) for group, page, _collection in members], PUBLISHER_PAGE_ACTIONS)
    collections_grant_new([(group, collection) for group, _page, collection in members], MEDIA_ACTIONS)

    network = network_workflow()
    if network is not None:
        WorkflowPage.objects.bulk_create(
            [
                WorkflowPage(
                    page=page,
                    workflow_id=getattr(collectives.get(page.parent_collective_id), "workflow_id", None) or network.pk,
                )
                for page in organisations
                if not page.is_trusted
            ]
        )
    return workspaces


def _collective_rights_sync(organisation: OrganisationPage, collection: Collection) -> None:
    """Its collective's coordinators may publish on the page and use its files; a former collective's no longer."""
    current = OrganisationWorkspace.objects.filter(
        organisation_id=organisation.parent_collective_id, coordinators_group__isnull=False
    ).first()
    keep = [current.coordinators_group_id] if current else []
    own = OrganisationWorkspace.objects.filter(organisation=organisation).values_list("coordinators_group", flat=True)
    keep += [pk for pk in own if pk]
    stale = Q(group__collective_workspace__isnull=False) & ~Q(group_id__in=keep)
    GroupPagePermission.objects.filter(stale, page=organisation).delete()
    GroupCollectionPermission.objects.filter(stale, collection=collection).delete()
    if current:
        pages_grant(current.coordinators_group, organisation, PUBLISHER_PAGE_ACTIONS)
        collection_grant(current.coordinators_group, collection, MEDIA_ACTIONS)


def _collective_provision(workspace: OrganisationWorkspace) -> None:
    """A collective's coordinators' group, rights on its members' pages, and its moderation workflow."""
    collective = workspace.organisation
    coordinators = named_group(workspace.coordinators_group, collective.title, "coordination", collective.pk)
    if workspace.coordinators_group_id != coordinators.pk:
        workspace.coordinators_group = coordinators
        workspace.save(update_fields=["coordinators_group"])
    pages_grant(coordinators, collective, PUBLISHER_PAGE_ACTIONS)
    collection_grant(coordinators, workspace.collection, MEDIA_ACTIONS)
    network_coordinators = coordinators_group()
    if network_coordinators is not None:
        collective_workflow_ensure(workspace=workspace, network_coordinators=network_coordinators)
    network = network_workflow()
    for member in OrganisationPage.objects.filter(parent_collective=collective).select_related("workspace__collection"):
        pages_grant(coordinators, member, PUBLISHER_PAGE_ACTIONS)
        member_workspace = getattr(member, "workspace", None)
        if member_workspace is not None:
            collection_grant(coordinators, member_workspace.collection, MEDIA_ACTIONS)
        if network is not None:
            organisation_workflow_sync(organisation=member, network_workflow=network)


@transaction.atomic
def organisation_archive(*, organisation: OrganisationPage) -> None:
    """Before an organisation page is deleted: its groups lose every right and are marked archived.

    The groups, their members and the collection with its files are kept for the record; the page
    permissions go with the page.
    """
    workspace = OrganisationWorkspace.objects.filter(organisation=organisation).first()
    if workspace is None:
        return
    for group in filter(None, [workspace.editors_group, workspace.coordinators_group]):
        group.permissions.clear()
        GroupCollectionPermission.objects.filter(group=group).delete()
        GroupPagePermission.objects.filter(group=group).delete()
        archived = f"{group.name[: GROUP_NAME_LENGTH - 12]} (archivé)"
        if not group.name.endswith("(archivé)") and not Group.objects.filter(name=archived).exists():
            group.name = archived
            group.save(update_fields=["name"])
    if workspace.workflow is not None:
        workspace.workflow.deactivate()


def organisations_sync(*, report: Callable[[int, int], None] | None = None) -> int:
    """Provision every organisation: collectives first, so that their members find their workflow."""
    organisations = sorted(OrganisationPage.objects.order_by("path"), key=lambda page: not page.is_collective)
    for number, organisation in enumerate(organisations, start=1):
        organisation_provision(organisation=organisation)
        if report and (number % 100 == 0 or number == len(organisations)):
            report(number, len(organisations))
    return len(organisations)
