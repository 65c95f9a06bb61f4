"""Who may do what in a working group: one object answers for the library, the templates and the admin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from casi_workspace.core.errors import CasiError
from casi_workspace.core.permissions import user_is_coordinator
from casi_workspace.core.rights import COORDINATOR_PAGE_ACTIONS, MEDIA_ACTIONS
from casi_workspace.workgroups.models import (
    WorkingGroupJoinPolicy,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupPage,
    WorkingGroupVisibility,
)
from casi_workspace.workgroups.selectors import working_group_readers, working_group_workspace


class WorkingGroupError(CasiError):
    """A refused request in a working group (the views answer 400, or 403 when `forbidden`)."""


@dataclass(frozen=True)
class GroupAccess:
    """What one person may do in one working group: the library, the templates and the admin ask it alone.

    The admin follows the same rules through the rights provisioning gives each role's Django group, read
    from the class attributes below.
    """

    # In the admin: the group's coordinators edit its pages and manage its files; members add files.
    COORDINATOR_PAGE_ACTIONS: ClassVar[tuple[str, ...]] = COORDINATOR_PAGE_ACTIONS
    COORDINATOR_COLLECTION_ACTIONS: ClassVar[tuple[str, ...]] = MEDIA_ACTIONS
    MEMBER_COLLECTION_ACTIONS: ClassVar[tuple[str, ...]] = ("add", "choose")

    authenticated: bool
    reader: bool
    coordinator: bool
    membership: WorkingGroupMembership | None
    members_manage_folders: bool
    visibility: str
    join_policy: str

    @property
    def sees_group(self) -> bool:
        """A secret group is known to its readers, and to the person invited to it (to accept or decline)."""
        return self.visibility != WorkingGroupVisibility.SECRET or self.reader or self.is_invited

    @property
    def is_invited(self) -> bool:
        return self.membership is not None and self.membership.status == WorkingGroupMembershipStatus.INVITED

    @property
    def sees_members(self) -> bool:
        return self.visibility == WorkingGroupVisibility.PUBLIC or self.reader

    @property
    def may_upload(self) -> bool:
        return self.reader

    @property
    def may_manage_folders(self) -> bool:
        return self.coordinator or (self.reader and self.members_manage_folders)

    @property
    def may_publish(self) -> bool:
        return self.coordinator

    @property
    def may_manage_minutes(self) -> bool:
        """Write (in the admin) and delete the group's minutes."""
        return self.coordinator

    @property
    def may_manage_members(self) -> bool:
        return self.coordinator

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.is_active

    @property
    def may_join(self) -> bool:
        return (
            self.authenticated
            and self.membership is None
            and self.sees_group
            and self.join_policy in (WorkingGroupJoinPolicy.OPEN, WorkingGroupJoinPolicy.REQUEST)
        )

    def may_change_document(self, uploader_id: int | None, user) -> bool:
        """Replace or delete a document: its uploader, or the group's coordinators."""
        return self.coordinator or (self.reader and uploader_id is not None and uploader_id == user.pk)


def group_access(user, group: WorkingGroupPage) -> GroupAccess:
    """The reader test is Wagtail's own: the user is in one of the view restriction's groups (or superuser)."""
    authenticated = bool(user and user.is_authenticated)
    reader = coordinator = False
    membership = None
    if authenticated:
        workspace = working_group_workspace(group)
        membership = WorkingGroupMembership.objects.filter(working_group=group, user=user).first()
        if user.is_superuser or user_is_coordinator(user):
            reader = coordinator = True
        elif workspace is not None:  # a group never published has no workspace yet: nobody reads it but coordinators
            reader_ids = [g.pk for g in working_group_readers(workspace)]
            user_groups = set(user.groups.filter(pk__in=reader_ids).values_list("pk", flat=True))
            reader = bool(user_groups)
            coordinator = workspace.coordinators_group_id in user_groups
    return GroupAccess(
        authenticated=authenticated,
        reader=reader,
        coordinator=coordinator,
        membership=membership,
        members_manage_folders=group.members_manage_folders,
        visibility=group.visibility,
        join_policy=group.join_policy,
    )
