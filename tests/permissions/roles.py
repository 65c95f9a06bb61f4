"""The roles of the permission matrix, as accounts a test client logs in with."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

from casi_workspace.demo.data import DEFAULT_PASSWORD, TRUSTED_ASSOCIATION
from casi_workspace.models import MembershipRole, OrganisationPage
from casi_workspace.workspaces.services.teams import membership_add

ROLES = (
    "anonymous",  # nobody logged in
    "outsider",  # a signed-in account in no group: no access to the admin
    "wg-member",  # membre-gt, member of a working group, editor of nothing
    "editor-a",  # an editor (not a manager) of A, made by the test
    "manager-a",  # asso-a, manager of A's team (A is trusted)
    "editor-b",  # asso-b, editor of B (untrusted, in the Finistère collective); also the manager of B's team
    "collective-29",  # collectif-29, coordinator of the Finistère collective
    "coordinator",  # coordination, network coordinator
    "superuser",  # admin
)
# Roles that may open the admin, and among them those that may edit network-level pages.
ADMIN_ROLES = ROLES[2:]
NETWORK_EDITORS = ("coordinator", "superuser")

DEMO_ACCOUNTS = {
    "wg-member": "membre-gt",
    "manager-a": "asso-a",
    "editor-b": "asso-b",
    "collective-29": "collectif-29",
    "coordinator": "coordination",
    "superuser": "admin",
}


def add_editor(user, organisation: OrganisationPage) -> None:
    """Make `user` an editor (not a manager) of the organisation's team, which puts it in the editors' group."""
    membership_add(organisation=organisation, user=user, role=MembershipRole.EDITOR)


def role_user(role: str):
    """The account that plays `role` (None for anonymous); the outsider and the editor of A are made here."""
    if role == "anonymous":
        return None
    User = get_user_model()
    if role in DEMO_ACCOUNTS:
        return User.objects.get(username=DEMO_ACCOUNTS[role])
    user = User.objects.create_user(
        username=f"test-{role}", email=f"test-{role}@example.org", password=DEFAULT_PASSWORD
    )
    if role == "editor-a":
        add_editor(user, OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION))
    return user


def log_in(client: Client, role: str):
    """Log `client` in as `role`, with the account's real password. Returns the user (None if anonymous)."""
    user = role_user(role)
    if user is not None:
        assert client.login(username=user.get_username(), password=DEFAULT_PASSWORD), f"{role} cannot log in"
    return user
