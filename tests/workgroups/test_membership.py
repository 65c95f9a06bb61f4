"""Working-group membership as people live it, over HTTP: join, ask, withdraw, invite, accept, decline, roles,
notification choices, the coordinators' members page and the list of groups.

Permissions cell by cell are test_matrix's; attacks (leaving or removal ending access, secret groups joined
uninvited, forged ids, CSRF) are test_security's; emails are test_notifications'. The assertions bear on the
data, the status codes and the forms' field names, not on French wording.
"""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from casi_workspace.models import (
    WorkingGroupIndexPage,
    WorkingGroupJoinPolicy,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupNotifications,
    WorkingGroupRole,
)
from casi_workspace.workgroups.services.memberships import membership_add

from .helpers import client_for, folder_make, group_make, member_make, url, user_make
from .test_matrix import is_login_redirect

pytestmark = pytest.mark.django_db

UPLOAD_FIELD = 'name="files"'


def _html(response) -> str:
    return unescape(response.content.decode())


def _membership(group, user) -> WorkingGroupMembership | None:
    return WorkingGroupMembership.objects.filter(working_group=group, user=user).first()


def _library(visibility: str, join_policy: str):
    """A group with a coordinator and a folder (the folder's page is for readers only)."""
    group = group_make(visibility, join_policy)
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR, prefix="animation")
    folder = folder_make(group, "Dossier de travail", coordinator)
    return group, coordinator, folder


def _member_action(client: Client, group, membership, action: str):
    return client.post(url("group_member_action", group_id=group.pk, membership_id=membership.pk, action=action))


def _listed_usernames(page_obj) -> list[str]:
    return [membership.user.get_username() for membership in page_obj.object_list]


# --- An open group ---------------------------------------------------------------------------------------------


def test_joining_an_open_group_gives_the_library_at_once():
    group, _coordinator, folder = _library("members", WorkingGroupJoinPolicy.OPEN)
    outsider = user_make("exterieur")
    client = client_for(outsider)

    response = client.get(group.get_url())
    assert response.status_code == 200
    html = _html(response)
    assert f'action="{url("group_join", group_id=group.pk)}"' in html
    assert 'name="message"' not in html  # joining an open group needs no word for the coordinators
    assert UPLOAD_FIELD not in html
    assert "members" not in response.context  # a members-only group's members are for its readers
    assert client.get(folder.get_url()).status_code == 404  # the library's pages: as if missing

    response = client.post(url("group_join", group_id=group.pk))
    assert response.status_code == 302
    assert response["Location"] == group.get_url()
    membership = _membership(group, outsider)
    assert membership.status == WorkingGroupMembershipStatus.ACTIVE
    assert membership.role == WorkingGroupRole.MEMBER

    response = client.get(group.get_url())
    assert response.status_code == 200
    html = _html(response)
    assert UPLOAD_FIELD in html
    assert f'action="{url("group_join", group_id=group.pk)}"' not in html
    assert f'action="{url("group_leave", group_id=group.pk)}"' in html
    assert outsider.get_username() in _listed_usernames(response.context["members"])
    assert outsider.get_username() not in html  # listed by the name they chose to show, never by username
    assert client.get(folder.get_url()).status_code == 200


def test_joining_twice_keeps_one_membership():
    group = group_make("public", WorkingGroupJoinPolicy.OPEN)
    person = user_make()
    client = client_for(person)
    assert client.post(url("group_join", group_id=group.pk)).status_code == 302
    assert client.post(url("group_join", group_id=group.pk)).status_code == 302
    assert WorkingGroupMembership.objects.filter(working_group=group, user=person).count() == 1


# --- A group joined on request ---------------------------------------------------------------------------------


def test_a_request_waits_can_be_withdrawn_and_is_approved_by_a_coordinator():
    group, coordinator, folder = _library("members", WorkingGroupJoinPolicy.REQUEST)
    applicant = user_make("candidat")
    client = client_for(applicant)
    join_url = url("group_join", group_id=group.pk)
    leave_url = url("group_leave", group_id=group.pk)

    html = _html(client.get(group.get_url()))
    assert f'action="{join_url}"' in html
    assert 'name="message"' in html

    response = client.post(join_url, {"message": "  Je travaille sur ce sujet.  "})
    assert response.status_code == 302
    assert response["Location"] == group.get_url()
    membership = _membership(group, applicant)
    assert membership.status == WorkingGroupMembershipStatus.REQUESTED
    assert membership.message == "Je travaille sur ce sujet."
    assert not applicant.groups.exists()
    assert client.get(folder.get_url()).status_code == 404  # the library's pages: as if missing

    response = client.get(group.get_url())
    html = _html(response)
    assert UPLOAD_FIELD not in html
    assert f'action="{join_url}"' not in html
    assert f'action="{leave_url}"' in html  # the withdraw button

    assert client.post(leave_url).status_code == 302
    assert _membership(group, applicant) is None
    assert f'action="{join_url}"' in _html(client.get(group.get_url()))

    assert client.post(join_url, {"message": "Deuxième demande"}).status_code == 302
    membership = _membership(group, applicant)
    assert membership.status == WorkingGroupMembershipStatus.REQUESTED

    manager = client_for(coordinator)
    response = manager.get(url("group_members", group_id=group.pk))
    assert response.status_code == 200
    assert [m.pk for m in response.context["pending"]] == [membership.pk]
    html = _html(response)
    assert "Deuxième demande" in html
    approve_url = url("group_member_action", group_id=group.pk, membership_id=membership.pk, action="approve")
    assert f'action="{approve_url}"' in html

    response = manager.post(approve_url)
    assert response.status_code == 302
    assert response["Location"] == url("group_members", group_id=group.pk)
    membership.refresh_from_db()
    assert membership.status == WorkingGroupMembershipStatus.ACTIVE
    assert client.get(folder.get_url()).status_code == 200
    assert UPLOAD_FIELD in _html(client.get(group.get_url()))
    # Decided once: approving again is a bad request.
    assert manager.post(approve_url).status_code == 400


def test_a_refused_request_is_gone_and_gives_no_access():
    group, coordinator, folder = _library("public", WorkingGroupJoinPolicy.REQUEST)
    applicant = user_make("candidat")
    client = client_for(applicant)
    client.post(url("group_join", group_id=group.pk), {"message": "Bonjour"})
    membership = _membership(group, applicant)

    response = _member_action(client_for(coordinator), group, membership, "refuse")
    assert response.status_code == 302
    assert _membership(group, applicant) is None
    assert not applicant.groups.exists()
    assert client.get(folder.get_url()).status_code == 404  # the library's pages: as if missing
    # The person may ask again.
    assert f'action="{url("group_join", group_id=group.pk)}"' in _html(client.get(group.get_url()))


def test_a_member_cannot_approve_requests():
    group, _coordinator, _folder = _library("members", WorkingGroupJoinPolicy.REQUEST)
    member = member_make(group)
    applicant = user_make("candidat")
    client_for(applicant).post(url("group_join", group_id=group.pk))
    membership = _membership(group, applicant)
    response = _member_action(client_for(member), group, membership, "approve")
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == WorkingGroupMembershipStatus.REQUESTED


# --- A group joined by invitation ------------------------------------------------------------------------------


def test_an_invitation_only_group_cannot_be_joined():
    group = group_make("members", WorkingGroupJoinPolicy.INVITATION)
    outsider = user_make("exterieur")
    client = client_for(outsider)
    response = client.get(group.get_url())
    assert response.status_code == 200
    assert f'action="{url("group_join", group_id=group.pk)}"' not in _html(response)

    response = client.post(url("group_join", group_id=group.pk), {"message": "Laissez-moi entrer"})
    assert response.status_code == 400
    assert _membership(group, outsider) is None
    assert not outsider.groups.exists()
    # Nor can one accept an invitation one does not have.
    assert client.post(url("group_invitation_accept", group_id=group.pk)).status_code == 400
    assert _membership(group, outsider) is None


def test_a_coordinator_invites_by_username_or_email_whatever_the_case():
    group, coordinator, _folder = _library("members", WorkingGroupJoinPolicy.INVITATION)
    manager = client_for(coordinator)
    invite_url = url("group_invite", group_id=group.pk)
    by_name, by_email = user_make("invite"), user_make("invite")

    response = manager.post(invite_url, {"identifier": f"  {by_name.username.upper()} "})
    assert response.status_code == 302
    assert response["Location"] == url("group_members", group_id=group.pk)
    response = manager.post(invite_url, {"identifier": by_email.email.upper()})
    assert response.status_code == 302
    for person in (by_name, by_email):
        membership = _membership(group, person)
        assert membership.status == WorkingGroupMembershipStatus.INVITED
        assert membership.invited_by == coordinator
        assert not person.groups.exists()

    response = manager.get(url("group_members", group_id=group.pk))
    assert {m.user for m in response.context["pending"]} == {by_name, by_email}

    memberships = WorkingGroupMembership.objects.filter(working_group=group).count()
    for identifier in ("personne-qui-n-existe-pas", "inconnu@example.org", "", "   "):
        assert manager.post(invite_url, {"identifier": identifier}).status_code == 400, identifier
    member = member_make(group)
    for identifier in (member.username, by_name.username, coordinator.email):  # member, invited, oneself
        assert manager.post(invite_url, {"identifier": identifier}).status_code == 400, identifier
    assert WorkingGroupMembership.objects.filter(working_group=group).count() == memberships + 1
    assert _membership(group, member).role == WorkingGroupRole.MEMBER


def test_inviting_someone_who_asked_to_join_makes_them_a_member():
    group, coordinator, folder = _library("members", WorkingGroupJoinPolicy.REQUEST)
    applicant = user_make("candidat")
    client_for(applicant).post(url("group_join", group_id=group.pk))
    response = client_for(coordinator).post(url("group_invite", group_id=group.pk), {"identifier": applicant.email})
    assert response.status_code == 302
    assert _membership(group, applicant).status == WorkingGroupMembershipStatus.ACTIVE
    assert client_for(applicant).get(folder.get_url()).status_code == 200


def test_an_invited_person_accepts_or_declines_on_the_group_page():
    group, coordinator, folder = _library("members", WorkingGroupJoinPolicy.INVITATION)
    manager = client_for(coordinator)
    accepting, declining = user_make("invite"), user_make("invite")
    for person in (accepting, declining):
        manager.post(url("group_invite", group_id=group.pk), {"identifier": person.username})
    accept_url = url("group_invitation_accept", group_id=group.pk)
    leave_url = url("group_leave", group_id=group.pk)

    client = client_for(accepting)
    response = client.get(group.get_url())
    assert response.status_code == 200
    html = _html(response)
    assert f'action="{accept_url}"' in html
    assert f'action="{leave_url}"' in html  # decline
    assert UPLOAD_FIELD not in html
    assert client.get(folder.get_url()).status_code == 404  # the library's pages: as if missing

    response = client.post(accept_url)
    assert response.status_code == 302
    assert response["Location"] == group.get_url()
    assert _membership(group, accepting).status == WorkingGroupMembershipStatus.ACTIVE
    assert client.get(folder.get_url()).status_code == 200
    html = _html(client.get(group.get_url()))
    assert UPLOAD_FIELD in html
    assert f'action="{accept_url}"' not in html
    # Accepting twice: there is no invitation left to accept.
    assert client.post(accept_url).status_code == 400

    client = client_for(declining)
    response = client.post(leave_url)
    assert response.status_code == 302
    assert response["Location"] == group.get_url()
    assert _membership(group, declining) is None
    assert not declining.groups.exists()
    html = _html(client.get(group.get_url()))
    assert f'action="{accept_url}"' not in html
    assert client.post(accept_url).status_code == 400


def test_a_coordinator_withdraws_an_invitation():
    group, coordinator, _folder = _library("members", WorkingGroupJoinPolicy.INVITATION)
    invitee = user_make("invite")
    client_for(coordinator).post(url("group_invite", group_id=group.pk), {"identifier": invitee.username})
    membership = _membership(group, invitee)
    assert _member_action(client_for(coordinator), group, membership, "remove").status_code == 302
    assert _membership(group, invitee) is None
    assert client_for(invitee).post(url("group_invitation_accept", group_id=group.pk)).status_code == 400


def test_a_person_invited_to_a_secret_group_can_accept_or_decline():
    """The group stays hidden from everybody else, but the invitation names it: its invitee may answer it.

    The group's page, behind the view restriction of a secret group, shows the invitee only the invitation
    (its accept and decline buttons), not the library; its folders stay closed until they accept.
    """
    group, coordinator, folder = _library("secret", WorkingGroupJoinPolicy.INVITATION)
    manager = client_for(coordinator)
    accepting, declining, outsider = user_make("invite"), user_make("invite"), user_make("exterieur")
    for person in (accepting, declining):
        assert manager.post(url("group_invite", group_id=group.pk), {"identifier": person.email}).status_code == 302
    accept_url = url("group_invitation_accept", group_id=group.pk)
    leave_url = url("group_leave", group_id=group.pk)

    # Someone not invited still finds nothing.
    assert client_for(outsider).post(accept_url).status_code == 404
    assert client_for(outsider).post(leave_url).status_code == 404

    client = client_for(accepting)
    invitation_page = client.get(group.get_url())
    assert invitation_page.status_code == 200
    assert accept_url in _html(invitation_page) and leave_url in _html(invitation_page)
    assert folder.title not in _html(invitation_page)
    assert UPLOAD_FIELD not in _html(invitation_page)
    assert client.get(folder.get_url()).status_code == 404  # the library's pages: as if missing
    assert client_for(outsider).get(group.get_url()).status_code == 404
    response = client.post(accept_url)
    assert response.status_code == 302
    assert response["Location"] == group.get_url()
    assert _membership(group, accepting).status == WorkingGroupMembershipStatus.ACTIVE
    response = client.get(group.get_url())
    assert response.status_code == 200
    assert UPLOAD_FIELD in _html(response)
    assert client.get(folder.get_url()).status_code == 200

    client = client_for(declining)
    response = client.post(leave_url)
    assert response.status_code == 302
    assert response["Location"] == group.get_parent().get_url()  # the group is hidden again: back to the list
    assert _membership(group, declining) is None
    assert client.post(accept_url).status_code == 404


# --- Roles and removal -----------------------------------------------------------------------------------------


def _managed(visibility: str, join_policy: str):
    """A group with one plain member: the group, the member, their membership, the coordinator's client."""
    group, coordinator, _folder = _library(visibility, join_policy)
    member = member_make(group)
    return group, member, _membership(group, member), client_for(coordinator)


def test_a_coordinator_gives_and_takes_back_the_coordination_role():
    group, member, membership, manager = _managed("members", WorkingGroupJoinPolicy.REQUEST)
    members_url = url("group_members", group_id=group.pk)
    member_client = client_for(member)
    assert member_client.get(members_url).status_code == 403
    assert url("group_members", group_id=group.pk) not in _html(member_client.get(group.get_url()))

    assert _member_action(manager, group, membership, "coordinator").status_code == 302
    membership.refresh_from_db()
    assert membership.role == WorkingGroupRole.COORDINATOR
    assert member_client.get(members_url).status_code == 200
    assert f'href="{members_url}"' in _html(member_client.get(group.get_url()))

    assert _member_action(manager, group, membership, "member").status_code == 302
    membership.refresh_from_db()
    assert membership.role == WorkingGroupRole.MEMBER
    assert membership.status == WorkingGroupMembershipStatus.ACTIVE
    assert member_client.get(members_url).status_code == 403


def test_a_role_is_only_for_active_members_and_actions_are_known_ones():
    group, coordinator, _folder = _library("members", WorkingGroupJoinPolicy.REQUEST)
    applicant = user_make("candidat")
    client_for(applicant).post(url("group_join", group_id=group.pk))
    membership = _membership(group, applicant)
    manager = client_for(coordinator)
    assert _member_action(manager, group, membership, "coordinator").status_code == 400
    assert _member_action(manager, group, membership, "promote").status_code == 400
    membership.refresh_from_db()
    assert (membership.status, membership.role) == (WorkingGroupMembershipStatus.REQUESTED, WorkingGroupRole.MEMBER)


def test_a_coordinator_removes_a_member():
    group, member, membership, manager = _managed("public", WorkingGroupJoinPolicy.OPEN)
    members_url = url("group_members", group_id=group.pk)
    assert member in [m.user for m in manager.get(members_url).context["members"].object_list]

    response = _member_action(manager, group, membership, "remove")
    assert response.status_code == 302
    assert response["Location"] == members_url
    assert _membership(group, member) is None
    assert member not in [m.user for m in manager.get(members_url).context["members"].object_list]
    assert member.get_username() not in _listed_usernames(client_for(None).get(group.get_url()).context["members"])
    # Removing again: the membership no longer exists.
    assert _member_action(manager, group, membership, "remove").status_code == 400


# --- Notification choices --------------------------------------------------------------------------------------


def test_a_member_chooses_how_they_are_notified():
    group = group_make("members", WorkingGroupJoinPolicy.REQUEST)
    member = member_make(group)
    client = client_for(member)
    notifications_url = url("group_notifications", group_id=group.pk)

    html = _html(client.get(group.get_url()))
    assert f'action="{notifications_url}"' in html
    for value in WorkingGroupNotifications.values:
        assert f'value="{value}"' in html

    for value in ("digest", "none", "each"):
        response = client.post(notifications_url, {"notifications": value})
        assert response.status_code == 302
        assert response["Location"] == group.get_url()
        assert _membership(group, member).notifications == value

    client.post(notifications_url, {"notifications": "digest"})
    html = _html(client.get(group.get_url()))
    assert 'value="digest" checked' in html
    for bogus in ("weekly", "", "DIGEST"):
        assert client.post(notifications_url, {"notifications": bogus}).status_code == 400, bogus
        assert _membership(group, member).notifications == WorkingGroupNotifications.DIGEST
    assert client.post(notifications_url).status_code == 400


@pytest.mark.parametrize(("visibility", "status"), [("public", 403), ("members", 403), ("secret", 404)])
def test_only_members_choose_notifications(visibility: str, status: int):
    group = group_make(visibility, WorkingGroupJoinPolicy.REQUEST)
    outsider = user_make("exterieur")
    response = client_for(outsider).post(url("group_notifications", group_id=group.pk), {"notifications": "none"})
    assert response.status_code == status
    assert _membership(group, outsider) is None


def test_a_pending_request_does_not_choose_notifications():
    group = group_make("members", WorkingGroupJoinPolicy.REQUEST)
    applicant = user_make("candidat")
    client = client_for(applicant)
    client.post(url("group_join", group_id=group.pk))
    assert client.post(url("group_notifications", group_id=group.pk), {"notifications": "none"}).status_code == 403
    assert _membership(group, applicant).notifications == WorkingGroupNotifications.EACH


# --- Anonymous visitors and HTTP methods -----------------------------------------------------------------------


def test_anonymous_posts_go_to_the_login_page():
    group = group_make("public", WorkingGroupJoinPolicy.OPEN)
    client = Client()
    for name in ("group_join", "group_leave", "group_invitation_accept", "group_notifications", "group_invite"):
        response = client.post(url(name, group_id=group.pk), {"notifications": "none", "identifier": "x"})
        assert is_login_redirect(response), name
    assert not WorkingGroupMembership.objects.filter(working_group=group).exists()
    assert is_login_redirect(client.get(url("group_members", group_id=group.pk)))


def test_post_only_addresses_refuse_get_and_the_members_page_refuses_post():
    group = group_make("public", WorkingGroupJoinPolicy.OPEN)
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    membership = _membership(group, coordinator)
    addresses = [
        url(name, group_id=group.pk)
        for name in ("group_join", "group_leave", "group_invitation_accept", "group_notifications", "group_invite")
    ]
    addresses.append(url("group_member_action", group_id=group.pk, membership_id=membership.pk, action="remove"))
    for client in (Client(), client_for(coordinator)):
        for address in addresses:
            assert client.get(address).status_code == 405, address
    assert client_for(coordinator).post(url("group_members", group_id=group.pk)).status_code == 405
    assert _membership(group, coordinator).is_coordinator


# --- The members' page and the list of groups ------------------------------------------------------------------


def test_the_members_page_is_paginated_by_fifty():
    group = group_make("members", WorkingGroupJoinPolicy.REQUEST)
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    for _ in range(54):
        member_make(group)
    client = client_for(coordinator)
    members_url = url("group_members", group_id=group.pk)

    first = client.get(members_url)
    assert first.status_code == 200
    assert len(first.context["members"].object_list) == 50
    assert first.context["members"].paginator.count == 55
    second = client.get(f"{members_url}?page=2")
    assert second.status_code == 200
    assert second.context["members"].number == 2
    assert len(second.context["members"].object_list) == 5
    listed = _listed_usernames(first.context["members"]) + _listed_usernames(second.context["members"])
    everyone = set(WorkingGroupMembership.objects.filter(working_group=group).values_list("user__username", flat=True))
    assert len(listed) == 55
    assert set(listed) == everyone
    for user_name in _listed_usernames(second.context["members"]):
        assert f"({user_name})" in _html(second)

    for bogus in ("abc", "0", "-1", "99999", "1" * 40, "2.5"):
        response = client.get(f"{members_url}?page={bogus}")
        assert response.status_code == 200, bogus
        assert len(response.context["members"].object_list) in (50, 5), bogus


def test_the_group_index_lists_open_groups_with_their_member_count():
    public = group_make("public", WorkingGroupJoinPolicy.OPEN, title="000 Groupe public d'essai")
    members_only = group_make("members", WorkingGroupJoinPolicy.REQUEST, title="000 Groupe réservé d'essai")
    for _ in range(3):
        member_make(public)
    member_make(members_only, WorkingGroupRole.COORDINATOR)
    # Waiting requests and invitations are not counted.
    applicant = user_make("candidat")
    client_for(applicant).post(url("group_join", group_id=members_only.pk))
    invitee = user_make("invite")
    WorkingGroupMembership.objects.create(
        working_group=members_only, user=invitee, status=WorkingGroupMembershipStatus.INVITED
    )
    index_url = WorkingGroupIndexPage.objects.get().get_url()

    for user in (None, user_make("exterieur")):
        response = client_for(user).get(index_url)
        assert response.status_code == 200
        counts = {group.pk: group.member_count for group in response.context["working_groups"].object_list}
        assert counts[public.pk] == 3
        assert counts[members_only.pk] == 1
        html = _html(response)
        assert public.title in html
        assert members_only.title in html


def test_joining_shows_in_the_groups_member_count():
    group = group_make("public", WorkingGroupJoinPolicy.OPEN, title="000 Groupe ouvert d'essai")
    index_url = WorkingGroupIndexPage.objects.get().get_url()

    def count() -> int:
        listed = Client().get(index_url).context["working_groups"].object_list
        return next(item.member_count for item in listed if item.pk == group.pk)

    assert count() == 0
    person = user_make()
    client_for(person).post(url("group_join", group_id=group.pk))
    assert count() == 1
    client_for(person).post(url("group_leave", group_id=group.pk))
    assert count() == 0
    membership_add(group=group, user=person)
    assert count() == 1


def test_a_visitor_is_offered_to_sign_in_and_come_back_to_the_group():
    group = group_make("public", WorkingGroupJoinPolicy.OPEN)
    html = _html(Client().get(group.url))
    assert f'<a class="button" href="/admin/login/?next={group.url}">Se connecter</a>' in html
