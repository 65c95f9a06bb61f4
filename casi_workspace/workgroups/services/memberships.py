"""Working groups' membership life cycle: join, request, invite, accept, leave, roles, notifications.

The membership records are the truth; each change puts the person in (or out of) the group's Django groups
at once, so that Wagtail's view restrictions and the admin follow without delay.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from casi_workspace.core.queue import enqueue_on_commit
from casi_workspace.workgroups.access import GroupAccess, WorkingGroupError, group_access
from casi_workspace.workgroups.models import (
    WorkingGroupJoinPolicy,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupNotifications,
    WorkingGroupPage,
    WorkingGroupRole,
)
from casi_workspace.workgroups.provisioning import workspace_of
from casi_workspace.workgroups.tasks import (
    group_invitation_email_send,
    group_request_approved_email_send,
    group_request_email_send,
)


def _groups_sync(membership: WorkingGroupMembership) -> None:
    workspace = workspace_of(membership.working_group)
    user = membership.user
    if membership.is_active:
        user.groups.add(workspace.members_group)
    else:
        user.groups.remove(workspace.members_group)
    if membership.is_coordinator:
        user.groups.add(workspace.coordinators_group)
    else:
        user.groups.remove(workspace.coordinators_group)
    if hasattr(user, "_casi_is_coordinator"):
        del user._casi_is_coordinator


def _require_manager(access: GroupAccess) -> None:
    if not access.may_manage_members:
        raise WorkingGroupError(_("Only the group's coordinators may manage its members."), forbidden=True)


@transaction.atomic
def membership_join(*, group: WorkingGroupPage, user, message: str = "") -> WorkingGroupMembership:
    """Join an open group at once; ask to join a group on request. An invitation-only group refuses."""
    access = group_access(user, group)
    if access.membership is not None:
        if access.membership.status == WorkingGroupMembershipStatus.INVITED:
            return membership_invitation_accept(group=group, user=user)
        return access.membership
    if not access.sees_group:
        raise WorkingGroupError(_("This working group does not exist."), forbidden=True)
    if group.join_policy == WorkingGroupJoinPolicy.INVITATION:
        raise WorkingGroupError(_("This group is joined by invitation only: ask one of its coordinators."))
    status = (
        WorkingGroupMembershipStatus.ACTIVE
        if group.join_policy == WorkingGroupJoinPolicy.OPEN
        else WorkingGroupMembershipStatus.REQUESTED
    )
    membership = WorkingGroupMembership.objects.create(
        working_group=group, user=user, status=status, message=message.strip()[:2000]
    )
    _groups_sync(membership)
    if status == WorkingGroupMembershipStatus.REQUESTED:
        enqueue_on_commit(group_request_email_send, membership_id=membership.pk)
    return membership


@transaction.atomic
def membership_leave(*, group: WorkingGroupPage, user) -> None:
    """Leave the group, withdraw one's request or decline an invitation: access ends with this call."""
    membership = WorkingGroupMembership.objects.filter(working_group=group, user=user).select_related("user").first()
    if membership is None:
        return
    membership.status = WorkingGroupMembershipStatus.REQUESTED  # any non-active status: out of both groups
    _groups_sync(membership)
    membership.delete()


def _invitee(identifier: str):
    """The one active account `identifier` names: by email address when it holds an "@", else by username.

    Never either at once: an account whose username is someone else's address must not receive that
    person's invitation. An address several accounts share names nobody (invite by username instead).
    """
    User = get_user_model()
    identifier = identifier.strip()
    if not identifier:
        return None
    if "@" in identifier:
        found = list(
            User._default_manager.filter(
                **{f"{User.get_email_field_name()}__iexact": identifier}, is_active=True
            ).order_by("pk")[:2]
        )
        if len(found) > 1:
            raise WorkingGroupError(_("Several accounts use this email address: invite the person by their username."))
        return found[0] if found else None
    username = User.USERNAME_FIELD
    active = User._default_manager.filter(is_active=True)
    exact = active.filter(**{username: identifier}).first()
    if exact is not None:
        return exact
    found = list(active.filter(**{f"{username}__iexact": identifier}).order_by("pk")[:2])
    return found[0] if len(found) == 1 else None


@transaction.atomic
def membership_invite(*, group: WorkingGroupPage, by, identifier: str) -> WorkingGroupMembership:
    """Invite an existing account, named by its username or email address; the person accepts on the group page.

    The invitation is that account's membership row (status "invited"): only that account may accept it,
    once, and not after it is declined or withdrawn (the row is then gone).
    """
    _require_manager(group_access(by, group))
    user = _invitee(identifier)
    if user is None:
        raise WorkingGroupError(_("No account has this username or email address."))
    membership = WorkingGroupMembership.objects.filter(working_group=group, user=user).first()
    if membership is not None:
        if membership.status == WorkingGroupMembershipStatus.REQUESTED:
            return membership_decide(group=group, by=by, membership_id=membership.pk, approve=True)
        raise WorkingGroupError(_("This person is already a member of the group or invited to it."))
    membership = WorkingGroupMembership.objects.create(
        working_group=group, user=user, status=WorkingGroupMembershipStatus.INVITED, invited_by=by
    )
    enqueue_on_commit(group_invitation_email_send, membership_id=membership.pk)
    return membership


@transaction.atomic
def membership_invitation_accept(*, group: WorkingGroupPage, user) -> WorkingGroupMembership:
    """Accept one's own pending invitation; anyone else (or after a decline, a withdrawal, a first use) is refused."""
    membership = (
        WorkingGroupMembership.objects.select_for_update()
        .filter(working_group=group, user=user, status=WorkingGroupMembershipStatus.INVITED)
        .first()
        if user is not None and user.is_authenticated
        else None
    )
    if membership is None:
        raise WorkingGroupError(_("There is no invitation to accept for this group."))
    membership.status = WorkingGroupMembershipStatus.ACTIVE
    membership.save(update_fields=["status", "updated_at"])
    _groups_sync(membership)
    return membership


def _membership_of(group: WorkingGroupPage, membership_id: int) -> WorkingGroupMembership:
    membership = (
        WorkingGroupMembership.objects.filter(working_group=group, pk=membership_id).select_related("user").first()
    )
    if membership is None:
        raise WorkingGroupError(_("This membership does not exist."))
    return membership


@transaction.atomic
def membership_decide(*, group: WorkingGroupPage, by, membership_id: int, approve: bool) -> WorkingGroupMembership:
    """A coordinator approves or refuses a request to join."""
    _require_manager(group_access(by, group))
    membership = _membership_of(group, membership_id)
    if membership.status != WorkingGroupMembershipStatus.REQUESTED:
        raise WorkingGroupError(_("This request has already been decided."))
    if approve:
        membership.status = WorkingGroupMembershipStatus.ACTIVE
        membership.save(update_fields=["status", "updated_at"])
        _groups_sync(membership)
        enqueue_on_commit(group_request_approved_email_send, membership_id=membership.pk)
    else:
        membership.delete()
    return membership


@transaction.atomic
def membership_remove(*, group: WorkingGroupPage, by, membership_id: int) -> None:
    """A coordinator removes a member (or withdraws an invitation): their access ends at once."""
    _require_manager(group_access(by, group))
    membership = _membership_of(group, membership_id)
    membership.status = WorkingGroupMembershipStatus.REQUESTED
    _groups_sync(membership)
    membership.delete()


@transaction.atomic
def membership_role_set(*, group: WorkingGroupPage, by, membership_id: int, role: str) -> WorkingGroupMembership:
    _require_manager(group_access(by, group))
    if role not in WorkingGroupRole.values:
        raise WorkingGroupError(_("Unknown role."))
    membership = _membership_of(group, membership_id)
    if not membership.is_active:
        raise WorkingGroupError(_("Only a member of the group can be given a role."))
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    _groups_sync(membership)
    return membership


def membership_add(*, group: WorkingGroupPage, user, role: str = WorkingGroupRole.MEMBER) -> WorkingGroupMembership:
    """Make `user` an active member (or coordinator) at once: for the demo, imports and tests, not a request."""
    membership, _created = WorkingGroupMembership.objects.update_or_create(
        working_group=group, user=user, defaults={"status": WorkingGroupMembershipStatus.ACTIVE, "role": role}
    )
    _groups_sync(membership)
    return membership


def membership_notifications_set(*, group: WorkingGroupPage, user, notifications: str) -> WorkingGroupMembership:
    if notifications not in WorkingGroupNotifications.values:
        raise WorkingGroupError(_("Unknown notification choice."))
    membership = WorkingGroupMembership.objects.filter(
        working_group=group, user=user, status=WorkingGroupMembershipStatus.ACTIVE
    ).first()
    if membership is None:
        raise WorkingGroupError(_("Only the group's members choose how they are notified."), forbidden=True)
    membership.notifications = notifications
    membership.save(update_fields=["notifications", "updated_at"])
    return membership
