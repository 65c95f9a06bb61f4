"""Working-group membership on the public site: join, request, accept an invitation, leave, notifications,
and the coordinators' page that approves requests, invites and removes members.

Every change is a POST that calls services.memberships, then redirects with a message; the rules and their
French refusals are the service's (see group_guards for how they are answered).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from casi_workspace.core.pagination import paginate
from casi_workspace.core.request_values import checked_id
from casi_workspace.workgroups.access import WorkingGroupError, group_access
from casi_workspace.workgroups.models import WorkingGroupMembershipStatus, WorkingGroupPage, WorkingGroupRole
from casi_workspace.workgroups.selectors import members_of, pending_of
from casi_workspace.workgroups.services.memberships import (
    membership_decide,
    membership_invitation_accept,
    membership_invite,
    membership_join,
    membership_leave,
    membership_notifications_set,
    membership_remove,
    membership_role_set,
)
from casi_workspace.workgroups.views.guards import group_view, visible_group

MEMBERS_TEMPLATE = "casi_workspace/pages/working_group_members.html"
MEMBERS_PER_PAGE = 50


def _members_url(group: WorkingGroupPage) -> str:
    return reverse("casi_workspace:group_members", kwargs={"group_id": group.pk})


@require_POST
@group_view
def join(request: HttpRequest, group_id: int) -> HttpResponse:
    group, _access = visible_group(request, group_id)
    membership = membership_join(group=group, user=request.user, message=request.POST.get("message", ""))
    if membership.status == WorkingGroupMembershipStatus.REQUESTED:
        messages.success(request, _("Your request was sent to the group's coordinators."))
    else:
        messages.success(request, _("Welcome to the group “%(group)s”.") % {"group": group.title})
    return redirect(group.get_url(request))


@require_POST
@group_view
def leave(request: HttpRequest, group_id: int) -> HttpResponse:
    group, access = visible_group(request, group_id)
    membership_leave(group=group, user=request.user)
    if access.membership is not None and access.membership.status == WorkingGroupMembershipStatus.INVITED:
        messages.success(request, _("You declined the invitation."))
    elif access.membership is not None and access.membership.status == WorkingGroupMembershipStatus.REQUESTED:
        messages.success(request, _("Your request was withdrawn."))
    else:
        messages.success(request, _("You left the group “%(group)s”.") % {"group": group.title})
    # A group one no longer belongs to may be closed to one: back to the list of groups.
    still_open = group_access(request.user, group)
    return redirect(group.get_url(request) if still_open.sees_group else group.get_parent().get_url(request))


def _own_membership_change(request: HttpRequest, group_id: int, change, done: str) -> HttpResponse:
    """Call `change(group)` on one's own membership, then back to the group's page with `done`."""
    group, _access = visible_group(request, group_id)
    change(group)
    messages.success(request, done % {"group": group.title})
    return redirect(group.get_url(request))


@require_POST
@group_view
def invitation_accept(request: HttpRequest, group_id: int) -> HttpResponse:
    return _own_membership_change(
        request,
        group_id,
        lambda group: membership_invitation_accept(group=group, user=request.user),
        _("Welcome to the group “%(group)s”."),
    )


@require_POST
@group_view
def notifications(request: HttpRequest, group_id: int) -> HttpResponse:
    """The choice is offered on the group's page and in the member space: back to where it was made."""
    choice = request.POST.get("notifications", "")
    response = _own_membership_change(
        request,
        group_id,
        lambda group: membership_notifications_set(group=group, user=request.user, notifications=choice),
        _("Your notification choice is saved."),
    )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return response


def _manager_group(request: HttpRequest, group_id: int) -> WorkingGroupPage:
    group, access = visible_group(request, group_id)
    if not access.may_manage_members:
        raise WorkingGroupError(_("Only the group's coordinators may manage its members."), forbidden=True)
    return group


@require_GET
@group_view
def members(request: HttpRequest, group_id: int) -> TemplateResponse:
    group = _manager_group(request, group_id)
    context = {
        "page": group,
        "group": group,
        "members": paginate(request, members_of(group), per_page=MEMBERS_PER_PAGE),
        "pending": list(pending_of(group)),
        "roles": WorkingGroupRole,
        "statuses": WorkingGroupMembershipStatus,
    }
    return TemplateResponse(request, MEMBERS_TEMPLATE, context)


@require_POST
@group_view
def invite(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _manager_group(request, group_id)
    membership = membership_invite(group=group, by=request.user, identifier=request.POST.get("identifier", ""))
    person = membership.user.get_full_name() or membership.user.get_username()
    if membership.status == WorkingGroupMembershipStatus.ACTIVE:
        messages.success(request, _("%(person)s had asked to join: they are now a member.") % {"person": person})
    else:
        messages.success(request, _("%(person)s is invited; they accept on the group's page.") % {"person": person})
    return redirect(_members_url(group))


MEMBER_ACTIONS = {
    "approve": lambda group, by, pk: membership_decide(group=group, by=by, membership_id=pk, approve=True),
    "refuse": lambda group, by, pk: membership_decide(group=group, by=by, membership_id=pk, approve=False),
    "remove": lambda group, by, pk: membership_remove(group=group, by=by, membership_id=pk),
    "coordinator": lambda group, by, pk: membership_role_set(
        group=group, by=by, membership_id=pk, role=WorkingGroupRole.COORDINATOR
    ),
    "member": lambda group, by, pk: membership_role_set(
        group=group, by=by, membership_id=pk, role=WorkingGroupRole.MEMBER
    ),
}
MEMBER_ACTION_DONE = {
    "approve": gettext_lazy("The request is approved."),
    "refuse": gettext_lazy("The request is refused."),
    "remove": gettext_lazy("Done: this person no longer has access to the group."),
    "coordinator": gettext_lazy("This member now coordinates the group."),
    "member": gettext_lazy("This person is now a member without coordination rights."),
}


@require_POST
@group_view
def member_action(request: HttpRequest, group_id: int, membership_id: int, action: str) -> HttpResponse:
    group = _manager_group(request, group_id)
    if action not in MEMBER_ACTIONS:
        raise WorkingGroupError(_("Unknown action."))
    MEMBER_ACTIONS[action](group, request.user, checked_id(membership_id))
    messages.success(request, MEMBER_ACTION_DONE[action])
    return redirect(_members_url(group))
