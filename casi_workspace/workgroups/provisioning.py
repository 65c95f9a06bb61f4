"""A working group's workspace: its members' and coordinators' groups, private collection and view restrictions.

The rights each role gets come from `access.GroupAccess`. Every function here is idempotent.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
)

from casi_workspace.conf import get_setting
from casi_workspace.core.rights import (
    collection_child,
    collection_grant,
    named_group,
    pages_grant,
)
from casi_workspace.workgroups.access import GroupAccess
from casi_workspace.workgroups.models import WorkingGroupPage, WorkingGroupVisibility, WorkingGroupWorkspace
from casi_workspace.workgroups.selectors import working_group_readers, working_group_workspace


def working_groups_collection() -> Collection:
    return collection_child(Collection.get_first_root_node(), get_setting("WORKING_GROUPS_COLLECTION"))


@transaction.atomic
def working_group_provision(*, working_group: WorkingGroupPage) -> WorkingGroupWorkspace:
    """A members' group, a coordinators' group, a private collection and the view restrictions of the subtree.

    The group's coordinators edit its subtree in the admin (add, change, publish, lock) and its files. The
    readers — members, coordinators, the network coordinators and the editors of member organisations —
    are the groups of the view restrictions: on the group page itself when the group is secret, on each of
    its children otherwise (so that a public or members-only group's page stays readable by all).
    """
    workspace = WorkingGroupWorkspace.objects.filter(working_group=working_group).first()
    members = named_group(
        workspace.members_group if workspace else None, working_group.title, "membres", working_group.pk
    )
    coordinators = named_group(
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
    pages_grant(coordinators, working_group, GroupAccess.COORDINATOR_PAGE_ACTIONS)
    collection_grant(coordinators, workspace.collection, GroupAccess.COORDINATOR_COLLECTION_ACTIONS)
    collection_grant(members, workspace.collection, GroupAccess.MEMBER_COLLECTION_ACTIONS)
    working_group_restrictions_sync(workspace=workspace)
    return workspace


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


def workspace_of(group: WorkingGroupPage) -> WorkingGroupWorkspace:
    """The group's workspace, provisioned first if the group has none yet (a group never published)."""
    workspace = working_group_workspace(group)
    if workspace is None or workspace.coordinators_group_id is None or workspace.collection_id is None:
        workspace = working_group_provision(working_group=group)
    return workspace
