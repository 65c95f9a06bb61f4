"""Invitations are bound to the person invited: holding the link (or knowing the group) grants nothing.

A team invitation is sent to an email address: only an account with that address (compared without regard to
case) may accept it, and the account made from the link gets that address whatever the form posts. A working
group invitation names one account (found by its username, or by its email address): only that account may
accept it. Every invitation serves once, and not after it is withdrawn, declined or expired.

The matrix at the end is every role (a visitor, the invited person signed in, each demo account, a new account)
against both kinds of invitation, over HTTP.
"""

from __future__ import annotations

import html
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from casi_workspace.demo.data import DEFAULT_PASSWORD, TRUSTED_ASSOCIATION
from casi_workspace.models import (
    Invitation,
    MembershipRole,
    OrganisationMembership,
    OrganisationPage,
    WorkingGroupJoinPolicy,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupRole,
)
from casi_workspace.workspaces.services.teams import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    invitation_send,
)
from tests.helpers import french
from tests.workgroups.helpers import client_for, group_make, member_make, url, user_make
from tests.workspaces.teams.helpers import invitation_path

pytestmark = pytest.mark.django_db

User = get_user_model()

WRONG_ACCOUNT = (
    "This invitation was sent to another email address than your account's. Sign out, then open the link "
    "again to sign in with the invited address or to create its account."
)
NO_GROUP_INVITATION = "There is no invitation to accept for this group."
SHARED_ADDRESS = "Several accounts use this email address: invite the person by their username."
USED = "This invitation has already been used. If you accepted it, sign in to the members' area."
WITHDRAWN = "This invitation has been withdrawn."
EXPIRED = "This invitation has expired. Ask the association's managers to send you a new one."
NEW_PASSWORD = "Baobab-Tamarin-2026"

DEMO_ACCOUNTS = (
    "admin",
    "coordination",
    "collectif-29",
    "asso-a",
    "asso-b",
    "membre-gt",
    "animation-gt",
    "membre-gt-2",
)


def _person(prefix: str, email: str | None = None):
    """A fresh account with the demo password; its address is `email`, or one made from its username."""
    user = user_make(prefix)
    if email is not None:
        user.email = email
        user.save(update_fields=["email"])
    return user


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEFAULT_PASSWORD), username
    return client


def _brest() -> OrganisationPage:
    return OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)


def _team_invitation(email: str, django_capture_on_commit_callbacks) -> tuple[Invitation, str]:
    """asso-a invites `email` to Brest Sahel Solidarité's team; the invitation and its link's path."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        manager = User.objects.get(username="asso-a")
        invitation = invitation_create(
            organisation=_brest(), email=email, role=MembershipRole.EDITOR, invited_by=manager
        )
        invitation_send(invitation=invitation)
    (message,) = [m for m in mail.outbox if m.to == [email]]
    return invitation, invitation_path(message.body)


def _account_form(username: str, **extra: str) -> dict[str, str]:
    return {
        "username": username,
        "first_name": "Nolwenn",
        "last_name": "Le Goff",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }


def _team_roles(user) -> set[str]:
    return set(OrganisationMembership.objects.filter(user=user).values_list("organisation__slug", flat=True))


def _assert_nothing_granted(invitation: Invitation, user) -> None:
    invitation.refresh_from_db()
    assert invitation.is_pending, "the invitation was used by the wrong account"
    brest = _brest()
    if user is not None and not OrganisationMembership.objects.filter(organisation=brest, user=user).exists():
        assert not user.groups.filter(organisation_workspace__organisation=brest).exists()


# --- Finding 4: the link alone is not enough ------------------------------------------------------------------


def test_another_signed_in_account_cannot_accept_a_team_invitation(django_capture_on_commit_callbacks):
    """The reported case: an invitation to someone@example.org, opened by membre-gt-2, made it an editor."""
    invitation, path = _team_invitation("someone@example.org", django_capture_on_commit_callbacks)
    intruder = User.objects.get(username="membre-gt-2")
    client = _signed_in("membre-gt-2")

    page = client.get(path)
    assert page.status_code == 403
    assert french(WRONG_ACCOUNT) in _text(page)
    assert french("Join the team") not in _text(page)
    assert 'action="/admin/logout/"' in page.content.decode(), "the refusal offers to sign out"

    response = client.post(path)
    assert response.status_code == 403
    assert french(WRONG_ACCOUNT) in _text(response)
    assert TRUSTED_ASSOCIATION not in _team_roles(intruder)
    assert not intruder.groups.filter(organisation_workspace__organisation=_brest()).exists()
    _assert_nothing_granted(invitation, intruder)
    from casi_workspace.workspaces.services.teams import InvitationWrongAccount

    with pytest.raises(InvitationWrongAccount):
        invitation_accept(token=path.split("/")[-2], user=intruder)
    _assert_nothing_granted(invitation, intruder)


def test_the_address_is_compared_without_regard_to_case(django_capture_on_commit_callbacks):
    person = _person("casse", "Nolwenn.LeGoff@Example.NET")
    _invitation, path = _team_invitation("nolwenn.legoff@example.net", django_capture_on_commit_callbacks)
    response = client_for(person).post(path)
    assert response.status_code == 302
    assert TRUSTED_ASSOCIATION in _team_roles(person)


def test_the_new_account_gets_the_invited_address_whatever_is_posted(django_capture_on_commit_callbacks):
    invitation, path = _team_invitation("invitee-form@example.net", django_capture_on_commit_callbacks)
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode(), "the address must not be editable on the sign-up form"
    assert "invitee-form@example.net" in _text(page)

    response = visitor.post(path, _account_form("nouvelle-forme", email="attacker@example.net"))
    assert response.status_code == 302
    user = User.objects.get(username="nouvelle-forme")
    assert user.email == "invitee-form@example.net"
    assert not User.objects.filter(email__iexact="attacker@example.net").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_a_group_invitation_by_address_goes_to_that_address_not_to_a_username_like_it():
    """An account whose username is someone else's address must not receive that person's invitation."""
    address = f"victime-{time.monotonic_ns()}@example.org"
    impostor = user_make("imposteur")
    impostor.username = address  # created first: the lowest id of the two
    impostor.save(update_fields=["username"])
    person = _person("victime", address)
    group = group_make("members", WorkingGroupJoinPolicy.INVITATION)
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    response = client_for(coordinator).post(url("group_invite", group_id=group.pk), {"identifier": address})
    assert response.status_code == 302
    invited = set(
        WorkingGroupMembership.objects.filter(
            working_group=group, status=WorkingGroupMembershipStatus.INVITED
        ).values_list("user__username", flat=True)
    )
    assert invited == {person.username}


def test_a_group_invitation_to_an_address_two_accounts_share_is_refused():
    address = f"partagee-{time.monotonic_ns()}@example.org"
    _person("premier", address)
    _person("second", address.upper())
    group = group_make("members", WorkingGroupJoinPolicy.INVITATION)
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    response = client_for(coordinator).post(url("group_invite", group_id=group.pk), {"identifier": address})
    assert response.status_code == 400
    assert french(SHARED_ADDRESS) in _text(response)
    assert not WorkingGroupMembership.objects.filter(
        working_group=group, status=WorkingGroupMembershipStatus.INVITED
    ).exists()


def test_nobody_sets_their_own_address_to_the_invited_one_in_the_admin():
    """Otherwise binding to the address would be one form away: asso-b changes its email, then accepts."""
    asso_b = User.objects.get(username="asso-b")
    client = _signed_in("asso-b")
    page = client.get("/admin/account/")
    assert page.status_code == 200
    assert 'name="name_email-email"' not in page.content.decode()
    client.post(
        "/admin/account/",
        {
            "name_email-first_name": asso_b.first_name,
            "name_email-last_name": asso_b.last_name,
            "name_email-email": "someone@example.org",
        },
    )
    asso_b.refresh_from_db()
    assert asso_b.email == "asso-b@example.org"


# --- Once, and not after withdrawal or expiry -----------------------------------------------------------------


def test_a_team_invitation_serves_once_even_for_its_own_address(django_capture_on_commit_callbacks):
    person = user_make("deux-fois")
    _invitation, path = _team_invitation(person.email, django_capture_on_commit_callbacks)
    client = client_for(person)
    assert client.post(path).status_code == 302
    OrganisationMembership.objects.filter(organisation=_brest(), user=person).delete()
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        assert response.status_code == 410
        assert french(USED) in _text(response)
    assert TRUSTED_ASSOCIATION not in _team_roles(person)


def test_a_withdrawn_team_invitation_grants_nothing(django_capture_on_commit_callbacks):
    person = user_make("retiree")
    invitation, path = _team_invitation(person.email, django_capture_on_commit_callbacks)
    invitation_revoke(invitation=invitation)
    response = client_for(person).post(path)
    assert response.status_code == 410
    assert french(WITHDRAWN) in _text(response)
    assert TRUSTED_ASSOCIATION not in _team_roles(person)


def test_an_expired_team_invitation_grants_nothing(settings, django_capture_on_commit_callbacks):
    person = user_make("expiree")
    _invitation, path = _team_invitation(person.email, django_capture_on_commit_callbacks)
    settings.CASI_WORKSPACE_INVITATION_MAX_AGE = -1
    response = client_for(person).post(path)
    assert response.status_code == 410
    assert french(EXPIRED) in _text(response)
    assert TRUSTED_ASSOCIATION not in _team_roles(person)


def test_a_group_invitation_serves_once_and_not_after_withdrawal_or_decline():
    group = group_make("members", WorkingGroupJoinPolicy.INVITATION)
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    manager = client_for(coordinator)
    accept = url("group_invitation_accept", group_id=group.pk)
    once, withdrawn, declined = user_make("une-fois"), user_make("retire"), user_make("decline")
    for person in (once, withdrawn, declined):
        assert manager.post(url("group_invite", group_id=group.pk), {"identifier": person.username}).status_code == 302

    client = client_for(once)
    assert client.post(accept).status_code == 302
    assert client.post(url("group_leave", group_id=group.pk)).status_code == 302
    response = client.post(accept)
    assert response.status_code == 400
    assert french(NO_GROUP_INVITATION) in _text(response)
    assert not WorkingGroupMembership.objects.filter(working_group=group, user=once).exists()

    membership = WorkingGroupMembership.objects.get(working_group=group, user=withdrawn)
    response = manager.post(url("group_member_action", group_id=group.pk, membership_id=membership.pk, action="remove"))
    assert response.status_code == 302
    assert client_for(withdrawn).post(accept).status_code == 400
    assert not WorkingGroupMembership.objects.filter(working_group=group, user=withdrawn).exists()

    client = client_for(declined)
    assert client.post(url("group_leave", group_id=group.pk)).status_code == 302
    assert client.post(accept).status_code == 400
    assert not WorkingGroupMembership.objects.filter(working_group=group, user=declined).exists()


# --- The matrix: every role against both kinds of invitation --------------------------------------------------

MATRIX_ROLES = ("visitor", "invited", *(f"other:{username}" for username in DEMO_ACCOUNTS), "new-account")


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_team_invitation_acceptance(role: str, django_capture_on_commit_callbacks):
    """Only the invited address joins: signed in with it, or as the account the link creates for it."""
    stamp = time.monotonic_ns()
    invited = _person("invitee", f"Invitee-{stamp}@Example.org") if role == "invited" else None
    invitation, path = _team_invitation(f"invitee-{stamp}@example.org", django_capture_on_commit_callbacks)
    brest = _brest()

    if role == "visitor":
        # Opening the link and posting without an account creates nothing and grants nothing.
        response = Client().post(path)
        assert response.status_code == 200
        assert 'name="username"' in response.content.decode()
        _assert_nothing_granted(invitation, None)
        assert not User.objects.filter(email__iexact=invitation.email).exists()
    elif role == "invited":
        response = client_for(invited).post(path)
        assert response.status_code == 302
        assert OrganisationMembership.objects.get(organisation=brest, user=invited).role == MembershipRole.EDITOR
        invitation.refresh_from_db()
        assert invitation.accepted_by == invited
    elif role == "new-account":
        response = Client().post(path, _account_form(f"nouveau-{stamp}", email="ailleurs@example.net"))
        assert response.status_code == 302
        user = User.objects.get(username=f"nouveau-{stamp}")
        assert user.email == invitation.email
        assert OrganisationMembership.objects.filter(organisation=brest, user=user).exists()
    else:
        username = role.split(":", 1)[1]
        user = User.objects.get(username=username)
        before = OrganisationMembership.objects.filter(organisation=brest, user=user).first()
        client = _signed_in(username)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 403, (username, method, response.status_code)
            assert french(WRONG_ACCOUNT) in _text(response)
        after = OrganisationMembership.objects.filter(organisation=brest, user=user).first()
        assert (before and (before.pk, before.role)) == (after and (after.pk, after.role))
        _assert_nothing_granted(invitation, user)


@pytest.mark.parametrize("by", ["username", "email"])
@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_group_invitation_acceptance(role: str, by: str):
    """Only the invited account joins; a new account with the invited address later is not that account."""
    group = group_make("members", WorkingGroupJoinPolicy.INVITATION)
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    person = user_make("invite-gt")
    identifier = person.username if by == "username" else person.email.upper()
    invited = client_for(coordinator).post(url("group_invite", group_id=group.pk), {"identifier": identifier})
    assert invited.status_code == 302
    accept = url("group_invitation_accept", group_id=group.pk)

    def memberships() -> set[tuple[str, str]]:
        return set(WorkingGroupMembership.objects.filter(working_group=group).values_list("user__username", "status"))

    before = memberships()
    if role == "visitor":
        response = Client().post(accept)
        assert response.status_code == 302 and "next=" in response["Location"]
        assert memberships() == before
    elif role == "invited":
        assert client_for(person).post(accept).status_code == 302
        assert (person.username, WorkingGroupMembershipStatus.ACTIVE) in memberships()
    else:
        if role == "new-account":
            client = client_for(_person("meme-adresse", person.email))
        else:
            client = _signed_in(role.split(":", 1)[1])
        response = client.post(accept)
        assert response.status_code == 400, response.status_code  # nothing to accept: as the group's own tests say
        assert french(NO_GROUP_INVITATION) in _text(response)
        assert memberships() == before
    assert (person.username, WorkingGroupMembershipStatus.INVITED if role != "invited" else "active") in memberships()
