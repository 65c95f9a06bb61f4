"""The "Our team" admin pages: managers manage their own team, and forged ids reach no other."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail

from casi_workspace.models import Invitation, MembershipRole, OrganisationMembership
from casi_workspace.workspaces.services.teams import invitation_create, membership_add
from tests.helpers import french

from .helpers import NEW_PASSWORD, invitation_path, text

pytestmark = pytest.mark.django_db

LAST_MANAGER = "The team must keep at least one manager: make another member a manager first."


def _team(organisation) -> str:
    return f"/admin/casi_workspace/organisations/{organisation.pk}/team/"


def _membership(organisation, username: str) -> OrganisationMembership:
    return OrganisationMembership.objects.get(organisation=organisation, user__username=username)


@pytest.fixture
def pending_at_douarnenez(douarnenez) -> Invitation:
    return invitation_create(
        organisation=douarnenez,
        email="benevole@example.net",
        role=MembershipRole.EDITOR,
        invited_by=User.objects.get(username="asso-b"),
    )


def test_a_manager_sees_and_manages_the_team(login, brest):
    client = login("asso-a")
    response = client.get(_team(brest))
    assert response.status_code == 200
    html = text(response)
    assert brest.title in html and "asso-a@example.org" in html
    assert french("Manager") in html
    assert f'action="{_team(brest)}invite/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_manager_invites_by_email(login, brest, django_capture_on_commit_callbacks):
    client = login("asso-a")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{_team(brest)}invite/", {"email": "tresoriere@example.net", "role": "editor"})
    assert response.status_code == 302 and response["Location"] == _team(brest)
    invitation = Invitation.objects.get(organisation=brest, email="tresoriere@example.net")
    assert invitation.invited_by.username == "asso-a"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["tresoriere@example.net"]
    assert invitation_path(mail.outbox[0].body).startswith("/casi/invitation/")
    page = text(client.get(_team(brest)))
    assert "tresoriere@example.net" in page and f'data-invitation="{invitation.pk}"' in page


def test_inviting_a_member_shows_an_error_and_sends_nothing(login, brest, django_capture_on_commit_callbacks):
    client = login("asso-a")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{_team(brest)}invite/", {"email": "Asso-A@example.org", "role": "editor"})
    assert response.status_code == 200
    assert french("%(email)s is already a member of the team.") % {"email": "Asso-A@example.org"} in text(response)
    assert not Invitation.objects.filter(organisation=brest).exists()
    assert mail.outbox == []


def test_a_bad_invitation_form_changes_nothing(login, brest):
    client = login("asso-a")
    for data in ({"email": "pas-une-adresse", "role": "editor"}, {"email": "ok@example.net", "role": "owner"}):
        assert client.post(f"{_team(brest)}invite/", data).status_code == 200
    assert not Invitation.objects.filter(organisation=brest).exists()


def test_sending_again_keeps_one_invitation(login, brest, django_capture_on_commit_callbacks):
    client = login("asso-a")
    for _number in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"{_team(brest)}invite/", {"email": "relance@example.net", "role": "editor"})
    assert Invitation.objects.filter(organisation=brest).count() == 1
    assert len(mail.outbox) == 2


def test_a_manager_changes_a_role_and_removes_a_member(login, brest, make_user):
    member = make_user("benevole")
    membership = membership_add(organisation=brest, user=member, role=MembershipRole.EDITOR)
    client = login("asso-a")
    response = client.post(f"{_team(brest)}members/{membership.pk}/role/", {f"member-{membership.pk}-role": "manager"})
    assert response.status_code == 302
    assert _membership(brest, "benevole").role == MembershipRole.MANAGER
    response = client.post(f"{_team(brest)}members/{membership.pk}/remove/")
    assert response.status_code == 302
    assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()
    assert not member.groups.filter(pk=brest.workspace.editors_group_id).exists()


def test_the_last_manager_cannot_remove_or_demote_themselves(login, brest):
    client = login("asso-a")
    membership = _membership(brest, "asso-a")
    for url, data in (
        (f"{_team(brest)}members/{membership.pk}/remove/", {}),
        (f"{_team(brest)}members/{membership.pk}/role/", {f"member-{membership.pk}-role": "editor"}),
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert french(LAST_MANAGER) in text(response)
    membership.refresh_from_db()
    assert membership.role == MembershipRole.MANAGER


def test_a_manager_who_leaves_goes_back_to_the_dashboard(login, brest, make_user):
    membership_add(organisation=brest, user=make_user("releve"), role=MembershipRole.MANAGER)
    client = login("asso-a")
    response = client.post(f"{_team(brest)}members/{_membership(brest, 'asso-a').pk}/remove/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    # No group left, so no admin access at all: Wagtail sends the account back to its login page.
    assert client.get(_team(brest))["Location"].startswith("/admin/login/")


def test_a_manager_gets_403_on_another_team(login, douarnenez, pending_at_douarnenez):
    client = login("asso-a")
    membership = _membership(douarnenez, "asso-b")
    assert client.get(_team(douarnenez)).status_code == 403
    assert client.post(f"{_team(douarnenez)}invite/", {"email": "x@example.net", "role": "manager"}).status_code == 403
    assert client.post(f"{_team(douarnenez)}members/{membership.pk}/remove/").status_code == 403
    assert (
        client.post(
            f"{_team(douarnenez)}members/{membership.pk}/role/", {f"member-{membership.pk}-role": "editor"}
        ).status_code
        == 403
    )
    assert client.post(f"{_team(douarnenez)}invitations/{pending_at_douarnenez.pk}/revoke/").status_code == 403
    assert Invitation.objects.filter(organisation=douarnenez).count() == 1
    assert _membership(douarnenez, "asso-b").role == MembershipRole.MANAGER
    pending_at_douarnenez.refresh_from_db()
    assert pending_at_douarnenez.revoked_at is None


def test_forged_ids_under_our_own_team_are_404(login, brest, douarnenez, pending_at_douarnenez):
    """asso-a manages Brest's team: another team's member or invitation id in Brest's URLs is not found."""
    client = login("asso-a")
    theirs = _membership(douarnenez, "asso-b")
    assert client.post(f"{_team(brest)}members/{theirs.pk}/remove/").status_code == 404
    assert client.post(
        f"{_team(brest)}members/{theirs.pk}/role/", {f"member-{theirs.pk}-role": "editor"}
    ).status_code == (404)
    assert client.post(f"{_team(brest)}invitations/{pending_at_douarnenez.pk}/revoke/").status_code == 404
    assert client.post(f"{_team(brest)}members/999999/remove/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == MembershipRole.MANAGER
    assert User.objects.get(username="asso-b").groups.filter(pk=douarnenez.workspace.editors_group_id).exists()
    pending_at_douarnenez.refresh_from_db()
    assert pending_at_douarnenez.revoked_at is None


def test_editors_given_access_by_hand_are_shown_to_managers(login, brest, make_user):
    outsider = make_user("ajoutee-a-la-main", first_name="Anne", last_name="Hors-Équipe")
    outsider.groups.add(brest.workspace.editors_group)
    html = text(login("asso-a").get(_team(brest)))
    assert "data-team-unrecorded" in html and "Anne Hors-Équipe" in html


def test_a_manager_revokes_an_invitation_of_the_team(login, brest):
    invitation = invitation_create(
        organisation=brest, email="retiree@example.net", role="editor", invited_by=User.objects.get(username="asso-a")
    )
    client = login("asso-a")
    assert client.post(f"{_team(brest)}invitations/{invitation.pk}/revoke/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert f'data-invitation="{invitation.pk}"' not in text(client.get(_team(brest)))


def test_changes_are_post_only(login, brest):
    client = login("asso-a")
    membership = _membership(brest, "asso-a")
    assert client.get(f"{_team(brest)}invite/").status_code == 405
    assert client.get(f"{_team(brest)}members/{membership.pk}/remove/").status_code == 405
    assert OrganisationMembership.objects.filter(pk=membership.pk).exists()


def test_a_network_coordinator_manages_any_team(login, douarnenez, pending_at_douarnenez):
    client = login("coordination")
    assert client.get(_team(douarnenez)).status_code == 200
    membership = _membership(douarnenez, "asso-b")
    client.post(f"{_team(douarnenez)}invitations/{pending_at_douarnenez.pk}/revoke/")
    pending_at_douarnenez.refresh_from_db()
    assert pending_at_douarnenez.revoked_at is not None
    client.post(f"{_team(douarnenez)}members/{membership.pk}/role/", {f"member-{membership.pk}-role": "editor"})
    assert _membership(douarnenez, "asso-b").role == MembershipRole.EDITOR


def test_a_plain_editor_sees_the_team_read_only(client, brest, make_user):
    membership_add(organisation=brest, user=make_user("redactrice"), role=MembershipRole.EDITOR)
    assert client.login(username="redactrice", password=NEW_PASSWORD)
    response = client.get(_team(brest))
    assert response.status_code == 200
    html = text(response)
    assert "asso-a@example.org" in html
    assert "/invite/" not in html and "/remove/" not in html
    assert client.post(f"{_team(brest)}invite/", {"email": "x@example.net", "role": "editor"}).status_code == 403
    assert not Invitation.objects.filter(organisation=brest).exists()


@pytest.mark.parametrize("username", ["membre-gt", "collectif-29"])
def test_others_get_403(login, brest, username):
    client = login(username)
    assert client.get(_team(brest)).status_code == 403
    assert client.post(f"{_team(brest)}invite/", {"email": "x@example.net", "role": "manager"}).status_code == 403
    assert not Invitation.objects.filter(organisation=brest).exists()


def test_anonymous_is_sent_to_the_login(client, brest):
    response = client.get(_team(brest))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.post(f"{_team(brest)}invite/", {"email": "x@example.net", "role": "manager"}).status_code == 302
    assert not Invitation.objects.filter(organisation=brest).exists()


def test_unknown_or_non_organisation_pages_are_404(login, brest):
    client = login("coordination")
    assert client.get("/admin/casi_workspace/organisations/999999/team/").status_code == 404
    assert client.get(f"/admin/casi_workspace/organisations/{'9' * 30}/team/").status_code == 404
    assert client.post(f"{_team(brest)}members/{'9' * 30}/remove/").status_code == 404
    assert client.get(f"/admin/casi_workspace/organisations/{brest.get_parent().pk}/team/").status_code == 404


def test_our_team_menu_leads_managers_to_their_team(login, brest):
    client = login("asso-a")
    assert '"name": "casi-our-team"' in client.get("/admin/").content.decode()
    response = client.get("/admin/casi_workspace/teams/")
    assert response.status_code == 302 and response["Location"] == _team(brest)


def test_our_team_menu_offers_a_choice_to_who_manages_several(login, brest, douarnenez):
    membership_add(organisation=douarnenez, user=User.objects.get(username="asso-a"), role=MembershipRole.MANAGER)
    response = login("asso-a").get("/admin/casi_workspace/teams/")
    assert response.status_code == 200
    html = text(response)
    assert f'href="{_team(brest)}"' in html and f'href="{_team(douarnenez)}"' in html


def test_coordinators_choose_among_all_teams(login, brest):
    response = login("coordination").get("/admin/casi_workspace/teams/")
    assert response.status_code == 200
    assert f'href="{_team(brest)}"' in text(response)


def test_no_team_menu_for_who_manages_none(login):
    client = login("membre-gt")
    assert '"name": "casi-our-team"' not in client.get("/admin/").content.decode()
    assert client.get("/admin/casi_workspace/teams/").status_code == 403
