"""Groups, page permissions and collections that give each role its rights.

Every function here is idempotent: running it twice leaves the database as running it once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import swapper
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
)

from ..conf import get_setting
from ..models import (
    OrganisationPage,
    OrganisationWorkspace,
    WorkingGroupPage,
    WorkingGroupVisibility,
    WorkingGroupWorkspace,
)
from .moderation import (
    collective_workflow_ensure,
    network_workflow,
    network_workflow_ensure,
    organisation_workflow_sync,
)

EDITOR_PAGE_ACTIONS = ("add", "change")
PUBLISHER_PAGE_ACTIONS = ("add", "change", "publish")
COORDINATOR_PAGE_ACTIONS = ("add", "change", "publish", "lock", "unlock")
MEDIA_ACTIONS = ("add", "change", "choose")
COORDINATOR_MODEL_PERMISSIONS = (
    "change_organisation_membership",
    "import_organisations",
    # Membership applications: see them and decide on them (change); never add or delete.
    "view_membershipapplication",
    "change_membershipapplication",
    # Newsletter issues: compose, test and send them.
    "add_newsletterissue",
    "change_newsletterissue",
    "view_newsletterissue",
    "send_newsletterissue",
    # Newsletter subscribers: see them, export and erase one's data (the data-protection rights).
    "view_newslettersubscriber",
    "erase_newslettersubscriber",
    # The directory thesaurus.
    "add_sector",
    "change_sector",
    "delete_sector",
)
GROUP_NAME_LENGTH = 150


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _page_permissions(actions: Iterable[str]) -> list[Permission]:
    page_model = swapper.load_model("wagtailcore", "Page")
    content_type = ContentType.objects.get_for_model(page_model)
    codenames = [get_permission_codename(action, page_model._meta) for action in actions]
    return list(Permission.objects.filter(content_type=content_type, codename__in=codenames))


def _media_permissions(actions: Iterable[str]) -> list[Permission]:
    permissions = []
    for app_label, model in (("wagtaildocs", "document"), ("wagtailimages", "image")):
        codenames = [f"{action}_{model}" for action in actions]
        permissions += Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    return permissions


def _grant_pages(group: Group, page, actions: Iterable[str]) -> None:
    wanted = _page_permissions(actions)
    GroupPagePermission.objects.filter(group=group, page=page).exclude(permission__in=wanted).delete()
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant_collection(group: Group, collection: Collection, actions: Iterable[str]) -> None:
    for permission in _media_permissions(actions):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def _child_collection(parent: Collection, name: str) -> Collection:
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(instance=Collection(name=name))


def _admin_group(name: str) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(_admin_access())
    return group


def organisations_collection() -> Collection:
    return _child_collection(Collection.get_first_root_node(), get_setting("ORGANISATIONS_COLLECTION"))


@transaction.atomic
def coordinators_provision(*, site_root) -> Group:
    """The network coordinators: edit, publish and moderate everything under the site root.

    Their workflow replaces Wagtail's default one on the site root, so that whatever is submitted
    anywhere reaches them.
    """
    group = _admin_group(get_setting("COORDINATORS_GROUP"))
    _grant_pages(group, site_root, COORDINATOR_PAGE_ACTIONS)
    _grant_collection(group, Collection.get_first_root_node(), MEDIA_ACTIONS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="casi_workspace", codename__in=COORDINATOR_MODEL_PERMISSIONS)
    )
    network_workflow_ensure(coordinators=group, site_root=site_root)
    return group


def coordinators_group() -> Group | None:
    return Group.objects.filter(name=get_setting("COORDINATORS_GROUP")).first()


def _group_name(title: str, role: str, page_id: int, group: Group | None) -> str:
    """ "<title> — <role>", cut to fit, with the page id added when another group already has that name."""
    suffix = f" — {role}"
    name = f"{title[: GROUP_NAME_LENGTH - len(suffix)]}{suffix}"
    taken = Group.objects.filter(name=name).exclude(pk=group.pk if group else None).exists()
    if taken:
        marker = f" (n° {page_id})"
        name = f"{title[: GROUP_NAME_LENGTH - len(suffix) - len(marker)]}{marker}{suffix}"
    return name


def _named_group(group: Group | None, title: str, role: str, page_id: int) -> Group:
    """The recorded group, renamed with its page, or a new group of its own (never another page's)."""
    name = _group_name(title, role, page_id, group)
    if group is None:
        group = Group.objects.create(name=name)
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    group.permissions.add(_admin_access())
    return group


@transaction.atomic
def organisation_provision(*, organisation: OrganisationPage) -> OrganisationWorkspace:
    """The association's editors: its own page subtree and its own collection, nothing else.

    Trusted organisations may publish; the others may only submit for moderation. A collective
    also gets a coordinators' group with publish rights on its members' pages.
    """
    workspace = OrganisationWorkspace.objects.filter(organisation=organisation).first()
    editors = _named_group(
        workspace.editors_group if workspace else None, organisation.title, "éditeurs", organisation.pk
    )
    if workspace:
        collection = workspace.collection
        if collection.name != organisation.title[:255]:
            collection.name = organisation.title[:255]
            collection.save(update_fields=["name"])
    else:
        collection = organisations_collection().add_child(instance=Collection(name=organisation.title[:255]))
        workspace = OrganisationWorkspace.objects.create(
            organisation=organisation, editors_group=editors, collection=collection
        )
    _grant_pages(editors, organisation, PUBLISHER_PAGE_ACTIONS if organisation.is_trusted else EDITOR_PAGE_ACTIONS)
    _grant_collection(editors, collection, MEDIA_ACTIONS)

    _collective_rights_sync(organisation, collection)
    if organisation.is_collective:
        _collective_provision(workspace)
    network = network_workflow()
    if network is not None:
        organisation_workflow_sync(organisation=organisation, network_workflow=network)
    return workspace


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
        _grant_pages(current.coordinators_group, organisation, PUBLISHER_PAGE_ACTIONS)
        _grant_collection(current.coordinators_group, collection, MEDIA_ACTIONS)


def _collective_provision(workspace: OrganisationWorkspace) -> None:
    """A collective's coordinators' group, rights on its members' pages, and its moderation workflow."""
    collective = workspace.organisation
    coordinators = _named_group(workspace.coordinators_group, collective.title, "coordination", collective.pk)
    if workspace.coordinators_group_id != coordinators.pk:
        workspace.coordinators_group = coordinators
        workspace.save(update_fields=["coordinators_group"])
    _grant_pages(coordinators, collective, PUBLISHER_PAGE_ACTIONS)
    _grant_collection(coordinators, workspace.collection, MEDIA_ACTIONS)
    network_coordinators = coordinators_group()
    if network_coordinators is not None:
        collective_workflow_ensure(workspace=workspace, network_coordinators=network_coordinators)
    network = network_workflow()
    for member in OrganisationPage.objects.filter(parent_collective=collective).select_related("workspace__collection"):
        _grant_pages(coordinators, member, PUBLISHER_PAGE_ACTIONS)
        member_workspace = getattr(member, "workspace", None)
        if member_workspace is not None:
            _grant_collection(coordinators, member_workspace.collection, MEDIA_ACTIONS)
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


def working_groups_collection() -> Collection:
    return _child_collection(Collection.get_first_root_node(), get_setting("WORKING_GROUPS_COLLECTION"))


@transaction.atomic
def working_group_provision(*, working_group: WorkingGroupPage) -> WorkingGroupWorkspace:
    """A members' group, a coordinators' group, a private collection and the view restrictions of the subtree.

    The group's coordinators edit its subtree in the admin (add, change, publish, lock) and its files. The
    readers — members, coordinators, the network coordinators and the editors of member organisations —
    are the groups of the view restrictions: on the group page itself when the group is secret, on each of
    its children otherwise (so that a public or members-only group's page stays readable by all).
    """
    workspace = WorkingGroupWorkspace.objects.filter(working_group=working_group).first()
    members = _named_group(
        workspace.members_group if workspace else None, working_group.title, "membres", working_group.pk
    )
    coordinators = _named_group(
        workspace.coordinators_group if workspace else None, working_group.title, "animation", working_group.pk
    )
    if workspace is None:
        workspace = WorkingGroupWorkspace(working_group=working_group, members_group=members)
    workspace.coordinators_group = coordinators
    if workspace.collection_id is None:
        workspace.collection = working_groups_collection().add_child(
            instance=Collection(name=working_group.title[:255])
        )
    elif workspace.collection.name != working_group.title[:255]:
        workspace.collection.name = working_group.title[:255]
        workspace.collection.save(update_fields=["name"])
    workspace.save()
    _grant_pages(coordinators, working_group, COORDINATOR_PAGE_ACTIONS)
    _grant_collection(coordinators, workspace.collection, MEDIA_ACTIONS)
    _grant_collection(members, workspace.collection, ("add", "choose"))
    working_group_restrictions_sync(workspace=workspace)
    return workspace


def working_group_readers(workspace: WorkingGroupWorkspace) -> list[Group]:
    """Who may read the group's documents and minutes: the groups its view restrictions name."""
    readers = [workspace.members_group, workspace.coordinators_group, coordinators_group()]
    editors = OrganisationWorkspace.objects.filter(
        organisation__in=workspace.working_group.member_organisations.all()
    ).select_related("editors_group")
    readers += [organisation_workspace.editors_group for organisation_workspace in editors]
    return [group for group in readers if group is not None]


def _restriction_set(restriction, readers: list[Group]) -> None:
    if restriction.restriction_type != restriction.GROUPS:
        restriction.restriction_type = restriction.GROUPS
        restriction.password = ""
        restriction.save()
    restriction.groups.set(readers)


def working_group_restrictions_sync(*, workspace: WorkingGroupWorkspace) -> None:
    """Put the group's view restrictions where its visibility says, naming its current readers."""
    working_group = workspace.working_group
    readers = working_group_readers(workspace)
    secret = working_group.visibility == WorkingGroupVisibility.SECRET
    restricted = [working_group] if secret else list(working_group.get_children())
    if not secret:
        PageViewRestriction.objects.filter(page=working_group).delete()
    existing = {r.page_id: r for r in PageViewRestriction.objects.filter(page__in=restricted)}
    for page in restricted:
        restriction = existing.get(page.pk) or PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        _restriction_set(restriction, readers)
    collection_restriction = CollectionViewRestriction.objects.filter(collection=workspace.collection).first()
    if collection_restriction is None:
        collection_restriction = CollectionViewRestriction.objects.create(
            collection=workspace.collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    _restriction_set(collection_restriction, readers)


def working_group_child_restrict(*, page: Page) -> None:
    """A page placed directly under a group that is not secret gets the group's restriction (idempotent)."""
    parent = page.get_parent()
    if parent is None or not isinstance(parent.specific_deferred, WorkingGroupPage):
        return
    workspace = WorkingGroupWorkspace.objects.filter(working_group_id=parent.pk).first()
    if workspace is not None:
        working_group_restrictions_sync(workspace=workspace)
