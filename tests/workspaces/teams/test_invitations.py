"""Invitations: created once, emailed with a signed link, accepted once, and refused clearly otherwise."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import Invitation, MembershipRole, OrganisationMembership
from casi_workspace.workspaces.models import INVITATION_SALT
from casi_workspace.workspaces.services.teams import (
    AccountExists,
    AlreadyMember,
    InvitationExpired,
    InvitationInvalid,
    InvitationRevoked,
    InvitationUsed,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    invitation_send,
    membership_add,
)
from tests.helpers import french

from .helpers import NEW_PASSWORD, invitation_path, text

pytestmark = pytest.mark.django_db

EXPIRED = "This invitation has expired. Ask the association's managers to send you a new one."
USED = "This invitation has already been used. If you accepted it, sign in to the members' area."
WITHDRAWN = "This invitation has been withdrawn."
INVALID = (
    "This invitation link is not valid. Check that you copied the whole link from the email, "
    "or ask the association for a new invitation."
)


@pytest.fixture
def asso_a(db) -> User:
    return User.objects.get(username="asso-a")


@pytest.fixture
def invite(brest, asso_a, django_capture_on_commit_callbacks):
    """Invite an address to Brest Sahel Solidarité's team and send the email; return the invitation."""

    def _invite(email: str = "nouvelle@example.net", role: str = MembershipRole.EDITOR) -> Invitation:
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitation_create(organisation=brest, email=email, role=role, invited_by=asso_a)
            invitation_send(invitation=invitation)
        return invitation

    return _invite


def _account(username: str = "nouvelle", password: str = NEW_PASSWORD, **overrides) -> dict[str, str]:
    return {
        "username": username,
        "first_name": "Nolwenn",
        "last_name": "Le Goff",
        "password1": password,
        "password2": password,
        **overrides,
    }


def test_anonymous_visitor_accepts_and_edits_the_association_page(invite, brest):
    invitation = invite()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["nouvelle@example.net"]
    assert "\n" not in email.subject and brest.title in email.subject
    assert brest.title in email.body and "Aïcha Traoré" in email.body
    assert "&#x27;" not in email.body and "&amp;" not in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and 'lang="fr"' in html
    path = invitation_path(email.body)
    assert path in html

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert brest.title in text(page)
    assert 'for="id_username"' in page.content.decode() and 'autocomplete="new-password"' in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")

    response = visitor.post(path, _account())
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    user = User.objects.get(username="nouvelle")
    assert (user.email, user.first_name, user.last_name) == ("nouvelle@example.net", "Nolwenn", "Le Goff")
    membership = OrganisationMembership.objects.get(organisation=brest, user=user)
    assert membership.role == MembershipRole.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None

    # Signed in by the acceptance, and able to edit the association's page.
    assert visitor.get("/admin/").status_code == 200
    assert visitor.get(f"/admin/pages/{brest.pk}/edit/").status_code == 200
    # The password works for a later sign-in too.
    later = Client()
    assert later.login(username="nouvelle", password=NEW_PASSWORD)
    assert later.get(f"/admin/pages/{brest.pk}/edit/").status_code == 200


def test_signed_in_user_joins_a_second_association(client, invite, brest, douarnenez):
    invitation = invite(email="asso-b@example.org")
    path = invitation_path(mail.outbox[0].body)
    assert client.login(username="asso-b", password=DEFAULT_PASSWORD)
    page = client.get(path)
    assert page.status_code == 200
    assert 'name="username"' not in page.content.decode()
    assert french("Join the team") in text(page)

    users_before = User.objects.count()
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert User.objects.count() == users_before
    asso_b = User.objects.get(username="asso-b")
    roles = dict(OrganisationMembership.objects.filter(user=asso_b).values_list("organisation__slug", "role"))
    assert roles == {brest.slug: MembershipRole.EDITOR, douarnenez.slug: MembershipRole.MANAGER}
    assert client.get(f"/admin/pages/{brest.pk}/edit/").status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_by == asso_b


def test_a_used_link_is_refused_with_410(invite):
    invite()
    path = invitation_path(mail.outbox[0].body)
    assert Client().post(path, _account()).status_code == 302
    for method in ("get", "post"):
        response = getattr(Client(), method)(path, _account(username="seconde"))
        assert response.status_code == 410
        assert french(USED) in text(response)
    assert not User.objects.filter(username="seconde").exists()
    with pytest.raises(InvitationUsed):
        invitation_accept(token=path.split("/")[-2], user=User.objects.get(username="asso-b"))


def test_an_expired_link_is_refused_with_410(invite, monkeypatch):
    invitation = invite()
    eight_days_ago = time.time() - 8 * 24 * 60 * 60
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: eight_days_ago)
        old_token = invitation.make_token()
    response = Client().get(f"/casi/invitation/{old_token}/")
    assert response.status_code == 410
    assert french(EXPIRED) in text(response)
    assert Client().post(f"/casi/invitation/{old_token}/", _account()).status_code == 410
    assert not User.objects.filter(username="nouvelle").exists()


def test_a_fresh_link_expires_with_the_setting(invite):
    invite()
    path = invitation_path(mail.outbox[0].body)
    with override_settings(CASI_WORKSPACE_INVITATION_MAX_AGE=-1):
        assert Client().get(path).status_code == 410
        with pytest.raises(InvitationExpired):
            invitation_accept(token=path.split("/")[-2], account_data={})
    assert Client().get(path).status_code == 200


def test_a_tampered_link_is_refused_with_400(invite, brest, douarnenez):
    invitation = invite()
    token = invitation_path(mail.outbox[0].body).split("/")[-2]
    value, timestamp, signature = token.rsplit(":", 2)
    other = invitation_create(organisation=douarnenez, email="autre@example.net", role="manager", invited_by=None)
    forged = [
        f"{value}:{timestamp}:{signature[:-2]}xx",  # a damaged signature
        f"{other.pk}.{other.nonce}:{timestamp}:{signature}",  # another invitation's id under this signature
        f"{value}:{timestamp}:",
        "n-importe-quoi",
        "x" * 2000,
    ]
    for bad in forged:
        response = Client().get(f"/casi/invitation/{bad}/")
        assert response.status_code == 400, bad
        assert french(INVALID) in text(response)
        assert Client().post(f"/casi/invitation/{bad}/", _account()).status_code == 400
    # A token signed with another salt (another feature's signature) is no invitation either.
    foreign = signing.TimestampSigner(salt="casi_workspace.other").sign(f"{invitation.pk}.{invitation.nonce}")
    assert Client().get(f"/casi/invitation/{foreign}/").status_code == 400
    with pytest.raises(InvitationInvalid):
        invitation_accept(token=forged[0], account_data={})
    assert not OrganisationMembership.objects.filter(organisation__in=[brest, douarnenez], user__username="nouvelle")
    assert INVITATION_SALT == "casi_workspace.invitation"


def test_a_revoked_invitation_is_refused_with_410(invite, brest):
    invitation = invite()
    path = invitation_path(mail.outbox[0].body)
    invitation_revoke(invitation=invitation)
    invitation_revoke(invitation=invitation)  # twice: nothing more happens
    response = Client().get(path)
    assert response.status_code == 410
    assert french(WITHDRAWN) in text(response)
    assert Client().post(path, _account()).status_code == 410
    with pytest.raises(InvitationRevoked):
        invitation_accept(token=path.split("/")[-2], account_data={})
    assert not User.objects.filter(username="nouvelle").exists()


def test_a_deleted_invitation_is_refused_without_error(invite):
    invitation = invite()
    path = invitation_path(mail.outbox[0].body)
    invitation.delete()
    assert Client().get(path).status_code == 410


def test_inviting_a_member_does_not_duplicate(brest, asso_a):
    with pytest.raises(AlreadyMember):
        invitation_create(organisation=brest, email="ASSO-A@example.org", role="editor", invited_by=asso_a)
    assert not Invitation.objects.filter(organisation=brest).exists()


def test_inviting_twice_keeps_one_pending_invitation_with_the_latest_role(invite, brest):
    first = invite()
    second = invite(email="Nouvelle@EXAMPLE.net", role=MembershipRole.MANAGER)
    assert first.pk == second.pk
    assert Invitation.objects.filter(organisation=brest).count() == 1
    assert Invitation.objects.get(pk=first.pk).role == MembershipRole.MANAGER
    assert len(mail.outbox) == 2  # sent again, with a fresh link


def test_a_revoked_or_accepted_invitation_may_be_followed_by_a_new_one(invite, brest):
    first = invite()
    invitation_revoke(invitation=first)
    second = invite()
    assert second.pk != first.pk


def test_an_invitation_revoked_before_its_email_leaves_is_not_sent(brest, asso_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invitation_create(
            organisation=brest, email="tardive@example.net", role="editor", invited_by=asso_a
        )
        invitation_send(invitation=invitation)
    invitation_revoke(invitation=invitation)
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_weak_or_mismatched_passwords_and_taken_usernames_create_nothing(invite):
    invitation = invite()
    path = invitation_path(mail.outbox[0].body)
    users_before = User.objects.count()
    cases = [
        _account(password="12345678"),  # too common, numeric
        _account(password2="autre-chose-2026"),
        _account(username="Asso-A"),  # taken, whatever the case
        _account(username="pas d'espaces!"),
        _account(first_name=""),
    ]
    for data in cases:
        response = Client().post(path, data)
        assert response.status_code == 200, data
        assert 'class="error-summary"' in response.content.decode(), data
    assert User.objects.count() == users_before
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_service_validates_the_new_account(invite):
    invitation = invite()
    token = invitation_path(mail.outbox[0].body).split("/")[-2]
    with pytest.raises(ValidationError) as error:
        invitation_accept(token=token, account_data={"username": "ok", "password": "nouvelle"})
    assert {"first_name", "last_name", "password"} <= set(error.value.message_dict)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_address_with_an_account_must_sign_in_first(invite):
    invite(email="asso-b@example.org")
    path = invitation_path(mail.outbox[0].body)
    page = Client().get(path)
    assert page.status_code == 200
    assert 'name="username"' not in page.content.decode()
    assert "/admin/login/?next=" in page.content.decode()
    users_before = User.objects.count()
    assert Client().post(path, _account()).status_code == 200
    assert User.objects.count() == users_before
    with pytest.raises(AccountExists):
        invitation_accept(token=path.split("/")[-2], account_data={})


def test_a_manager_invited_as_editor_stays_a_manager(invite, brest):
    invite(email="asso-a-bis@example.net")
    path = invitation_path(mail.outbox[0].body)
    asso_a = User.objects.get(username="asso-a")
    # Only the invited address may accept: asso-a's account uses it by now (its address changed after the invite).
    asso_a.email = "asso-a-bis@example.net"
    asso_a.save(update_fields=["email"])
    membership = invitation_accept(token=path.split("/")[-2], user=asso_a)
    assert membership.role == MembershipRole.MANAGER
    membership_add(organisation=brest, user=asso_a, role=MembershipRole.EDITOR)
    assert OrganisationMembership.objects.get(organisation=brest, user=asso_a).role == MembershipRole.MANAGER
