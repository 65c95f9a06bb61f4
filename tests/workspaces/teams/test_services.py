"""Team services: memberships and roles, kept in step with the organisations' editors' groups."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command

from casi_workspace.applications.services import application_approve, application_create
from casi_workspace.models import MembershipRole, OrganisationMembership
from casi_workspace.workspaces.services.teams import (
    LastManager,
    membership_add,
    membership_change_role,
    membership_remove,
    organisations_managed_by,
    user_can_manage_team,
    user_can_view_team,
)

pytestmark = pytest.mark.django_db

EDITOR, MANAGER = MembershipRole.EDITOR, MembershipRole.MANAGER


def _in_editors_group(user, organisation) -> bool:
    return user.groups.filter(pk=organisation.workspace.editors_group_id).exists()


def test_demo_associations_are_managed_by_their_accounts(brest, douarnenez):
    asso_a, asso_b = User.objects.get(username="asso-a"), User.objects.get(username="asso-b")
    assert OrganisationMembership.objects.get(user=asso_a).organisation == brest
    assert OrganisationMembership.objects.get(user=asso_a).role == MANAGER
    assert OrganisationMembership.objects.get(user=asso_b).organisation == douarnenez
    assert OrganisationMembership.objects.get(user=asso_b).role == MANAGER
    assert _in_editors_group(asso_a, brest) and _in_editors_group(asso_b, douarnenez)


def test_demo_seed_again_keeps_one_membership_each():
    before = list(OrganisationMembership.objects.order_by("pk").values_list("pk", "organisation", "user", "role"))
    call_command("casi_demo", stdout=io.StringIO())
    assert list(OrganisationMembership.objects.order_by("pk").values_list("pk", "organisation", "user", "role")) == (
        before
    )


def test_membership_add_is_idempotent_and_joins_the_editors_group(brest, make_user):
    user = make_user("nouvelle")
    first = membership_add(organisation=brest, user=user, role=EDITOR)
    second = membership_add(organisation=brest, user=user, role=EDITOR)
    assert first.pk == second.pk
    assert OrganisationMembership.objects.filter(organisation=brest, user=user).count() == 1
    assert user.groups.filter(pk=brest.workspace.editors_group_id).count() == 1
    assert second.role == EDITOR


def test_membership_add_promotes_but_never_demotes(brest, make_user):
    user = make_user("promue")
    membership_add(organisation=brest, user=user, role=EDITOR)
    assert membership_add(organisation=brest, user=user, role=MANAGER).role == MANAGER
    assert membership_add(organisation=brest, user=user, role=EDITOR).role == MANAGER
    assert OrganisationMembership.objects.get(organisation=brest, user=user).role == MANAGER


def test_membership_add_refuses_an_unknown_role(brest, make_user):
    with pytest.raises(ValueError):
        membership_add(organisation=brest, user=make_user("inconnue"), role="owner")
    assert not OrganisationMembership.objects.filter(user__username="inconnue").exists()


def test_a_user_may_belong_to_two_associations(brest, douarnenez, make_user):
    user = make_user("double")
    membership_add(organisation=brest, user=user, role=EDITOR)
    membership_add(organisation=douarnenez, user=user, role=MANAGER)
    assert _in_editors_group(user, brest) and _in_editors_group(user, douarnenez)
    assert set(organisations_managed_by(user)) == {douarnenez}
    assert user_can_manage_team(user, douarnenez)
    assert not user_can_manage_team(user, brest)
    assert user_can_view_team(user, brest)


def test_membership_remove_leaves_the_editors_group(brest, make_user):
    user = make_user("partante")
    membership = membership_add(organisation=brest, user=user, role=EDITOR)
    membership_remove(membership=membership, by=User.objects.get(username="asso-a"))
    assert not OrganisationMembership.objects.filter(organisation=brest, user=user).exists()
    assert not _in_editors_group(user, brest)
    assert not user_can_view_team(user, brest)


def test_change_role_both_ways(brest, make_user):
    user = make_user("changeante")
    membership = membership_add(organisation=brest, user=user, role=EDITOR)
    assert membership_change_role(membership=membership, role=MANAGER).role == MANAGER
    assert user_can_manage_team(user, brest)
    assert membership_change_role(membership=membership, role=EDITOR).role == EDITOR
    assert not user_can_manage_team(user, brest)
    assert _in_editors_group(user, brest)  # editors and managers both edit


def test_the_last_manager_can_neither_leave_nor_step_down(brest):
    asso_a = User.objects.get(username="asso-a")
    membership = OrganisationMembership.objects.get(organisation=brest, user=asso_a)
    with pytest.raises(LastManager):
        membership_remove(membership=membership, by=asso_a)
    with pytest.raises(LastManager):
        membership_change_role(membership=membership, role=EDITOR, by=asso_a)
    with pytest.raises(LastManager):
        membership_remove(membership=membership)
    membership.refresh_from_db()
    assert membership.role == MANAGER
    assert _in_editors_group(asso_a, brest)


def test_a_manager_may_leave_once_another_manager_is_named(brest, make_user):
    asso_a = User.objects.get(username="asso-a")
    membership_add(organisation=brest, user=make_user("relais"), role=MANAGER)
    membership_remove(membership=OrganisationMembership.objects.get(organisation=brest, user=asso_a), by=asso_a)
    assert not user_can_manage_team(asso_a, brest)
    assert not _in_editors_group(asso_a, brest)


def test_a_network_coordinator_may_remove_the_last_manager(brest):
    asso_a = User.objects.get(username="asso-a")
    membership = OrganisationMembership.objects.get(organisation=brest, user=asso_a)
    membership_remove(membership=membership, by=User.objects.get(username="coordination"))
    assert not OrganisationMembership.objects.filter(organisation=brest).exists()


@pytest.mark.parametrize(
    ("username", "expected"),
    [("admin", True), ("coordination", True), ("asso-a", True), ("asso-b", False), ("membre-gt", False)],
)
def test_who_can_manage_brest_team(brest, username, expected):
    assert user_can_manage_team(User.objects.get(username=username), brest) is expected


def test_a_collective_coordinator_does_not_manage_its_members_teams(douarnenez):
    assert not user_can_manage_team(User.objects.get(username="collectif-29"), douarnenez)


def test_nobody_anonymous_or_inactive_manages(brest):
    assert not user_can_manage_team(AnonymousUser(), brest)
    assert not user_can_view_team(AnonymousUser(), brest)
    asso_a = User.objects.get(username="asso-a")
    asso_a.is_active = False
    assert not user_can_manage_team(asso_a, brest)
    assert not organisations_managed_by(asso_a).exists()


def test_an_approved_application_makes_its_contact_the_manager(django_capture_on_commit_callbacks):
    application = application_create(
        data={
            "organisation_name": "Pont-l'Abbé Solidarité Togo",
            "actor_type": "association",
            "postcode": "29120",
            "commune": "Pont-l'Abbé",
            "department": "29",
            "contact_name": "Maëlle Riou",
            "contact_email": "maelle@plst.example.org",
            "motivation": "Des échanges entre collèges.",
            "consent": True,
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        organisation = application_approve(application=application, user=User.objects.get(username="coordination"))
    contact = User.objects.get(email="maelle@plst.example.org")
    membership = OrganisationMembership.objects.get(organisation=organisation, user=contact)
    assert membership.role == MANAGER
    assert _in_editors_group(contact, organisation)
