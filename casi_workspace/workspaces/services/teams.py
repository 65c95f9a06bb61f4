"""Associations' teams: who belongs to an association, with which role, and the invitations that add people.

A membership (OrganisationMembership) is the record; the association's editors' group follows it. Editors
and managers both edit the association's pages, so both are in the group; managers also invite people,
change roles and remove members, from the admin, without any global right. Network coordinators and
superusers may manage every team.

An invitation is accepted through a link whose token is the invitation's pk and nonce signed with a
TimestampSigner: forging one needs SECRET_KEY, its age is checked against CASI_WORKSPACE_INVITATION_MAX_AGE,
and it serves once (accepted_at). The link is forwarded, leaked or opened on a shared computer, so holding it
is not enough: only an account whose email is the invited address (compared without regard to case) may
accept it, and the account the link creates gets that address (invitation_verify with `user`, used by
invitation_accept). Emails leave through a task, after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from casi_workspace.conf import get_setting
from casi_workspace.core.errors import CasiError
from casi_workspace.core.permissions import user_is_coordinator
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.workspaces.models import (
    Invitation,
    MembershipRole,
    OrganisationMembership,
    OrganisationWorkspace,
    invitation_signer,
)
from casi_workspace.workspaces.provisioning import organisation_provision
from casi_workspace.workspaces.tasks import invitation_email_send

ACCOUNT_FIELDS = ("username", "first_name", "last_name", "password")


class TeamError(CasiError):
    """A team change that cannot be made; the message is meant for the user."""


class AlreadyMember(TeamError):
    """The invited address belongs to someone already in the team."""


class LastManager(TeamError):
    """The change would leave a team without a manager."""


class AccountExists(TeamError):
    """An anonymous visitor tried to create a second account for an address that already has one."""


class InvitationError(TeamError):
    """An invitation link that cannot be used; `status` is the HTTP status to answer with."""

    status = 400


class InvitationInvalid(InvitationError):
    status = 400


class InvitationExpired(InvitationError):
    status = 410


class InvitationUsed(InvitationError):
    status = 410


class InvitationRevoked(InvitationError):
    status = 410


class InvitationWrongAccount(InvitationError):
    """A signed-in account whose address is not the invited one: the link was meant for someone else."""

    status = 403


def user_can_manage_team(user, organisation: OrganisationPage) -> bool:
    """A manager of this organisation, a network coordinator or a superuser."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user_is_coordinator(user):
        return True
    return OrganisationMembership.objects.filter(
        organisation=organisation, user=user, role=MembershipRole.MANAGER
    ).exists()


def user_can_view_team(user, organisation: OrganisationPage) -> bool:
    """Who manages the team, and whoever edits the organisation's pages (they see the team read-only)."""
    if user_can_manage_team(user, organisation):
        return True
    return user.is_authenticated and (
        OrganisationMembership.objects.filter(organisation=organisation, user=user).exists()
        or user.groups.filter(organisation_workspace__organisation=organisation).exists()
    )


def organisations_managed_by(user) -> QuerySet[OrganisationPage]:
    """The organisations whose team the user may manage: every one for a coordinator."""
    if not (user.is_authenticated and user.is_active):
        return OrganisationPage.objects.none()
    if user_is_coordinator(user):
        return OrganisationPage.objects.order_by("title")
    return OrganisationPage.objects.filter(memberships__user=user, memberships__role=MembershipRole.MANAGER).order_by(
        "title"
    )


def organisations_exportable_by(user) -> QuerySet[OrganisationPage]:
    """The organisations whose data the user may download (the ZIP of everything the organisation owns).

    Those who answer for an organisation: its team's managers, the coordinators of a departmental collective
    for the collective and its members (they already publish on their pages and use their files), network
    coordinators and superusers for every one. An editor who is not a manager publishes but does not answer
    for the organisation: the archive holds the whole team's addresses, and the unpublished work of everyone.
    """
    if not (user.is_authenticated and user.is_active):
        return OrganisationPage.objects.none()
    if user_is_coordinator(user):
        return OrganisationPage.objects.order_by("title")
    answers_for = (
        Q(memberships__user=user, memberships__role=MembershipRole.MANAGER)
        | Q(workspace__coordinators_group__user=user)
        | Q(parent_collective__workspace__coordinators_group__user=user)
    )
    return OrganisationPage.objects.filter(answers_for).order_by("title").distinct()


def user_can_export_organisation(user, organisation: OrganisationPage) -> bool:
    """May `user` download the organisation's data? Remembered on the user for the request, so that a listing
    asking about each of its organisations costs one query."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user_is_coordinator(user):
        return True
    if not hasattr(user, "_casi_exportable_organisations"):
        user._casi_exportable_organisations = frozenset(organisations_exportable_by(user).values_list("pk", flat=True))
    return organisation.pk in user._casi_exportable_organisations


def team_members(organisation: OrganisationPage) -> QuerySet[OrganisationMembership]:
    return (
        OrganisationMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def team_unrecorded_editors(organisation: OrganisationPage) -> QuerySet:
    """People in the editors' group without a membership (given access by hand): shown, so nobody edits unseen."""
    return (
        get_user_model()
        ._default_manager.filter(groups__organisation_workspace__organisation=organisation)
        .exclude(organisation_memberships__organisation=organisation)
        .order_by("last_name", "first_name", "username")
    )


def team_pending_invitations(organisation: OrganisationPage) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def _checked_role(role: str) -> str:
    if role not in MembershipRole.values:
        raise ValueError(f"Unknown team role: {role!r}")
    return role


def _editors_group(organisation: OrganisationPage) -> Group:
    workspace = OrganisationWorkspace.objects.filter(organisation=organisation).select_related("editors_group").first()
    if workspace is None:
        workspace = organisation_provision(organisation=organisation)
    return workspace.editors_group


def _locked(membership: OrganisationMembership) -> OrganisationMembership:
    """The membership's row, and its organisation's managers' rows, locked until the end of the transaction.

    Locking the managers makes the last-manager rule hold when two managers remove each other at once.
    """
    list(
        OrganisationMembership.objects.select_for_update().filter(
            organisation_id=membership.organisation_id, role=MembershipRole.MANAGER
        )
    )
    return OrganisationMembership.objects.select_for_update().get(pk=membership.pk)


def _last_manager_guard(membership: OrganisationMembership, by: AbstractBaseUser | None) -> None:
    """A team keeps at least one manager; only a network coordinator (who can manage it anyway) may lift that."""
    if not membership.is_manager or (by is not None and user_is_coordinator(by)):
        return
    others = (
        OrganisationMembership.objects.filter(organisation_id=membership.organisation_id, role=MembershipRole.MANAGER)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise LastManager(_("The team must keep at least one manager: make another member a manager first."))


@transaction.atomic
def membership_add(*, organisation: OrganisationPage, user: AbstractBaseUser, role: str) -> OrganisationMembership:
    """Make `user` a member of the organisation's team with at least `role`, and one of its page editors.

    Idempotent, and never a demotion: adding a manager again as an editor keeps them a manager
    (membership_change_role changes a role both ways).
    """
    role = _checked_role(role)
    membership, created = OrganisationMembership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    if not created and role == MembershipRole.MANAGER and not membership.is_manager:
        membership.role = role
        membership.save(update_fields=["role"])
    user.groups.add(_editors_group(organisation))
    return membership


@transaction.atomic
def membership_change_role(
    *, membership: OrganisationMembership, role: str, by: AbstractBaseUser | None = None
) -> OrganisationMembership:
    """Give the member another role. Raises LastManager when that would leave the team without a manager."""
    role = _checked_role(role)
    locked = _locked(membership)
    if locked.role != role:
        if role != MembershipRole.MANAGER:
            _last_manager_guard(locked, by)
        locked.role = role
        locked.save(update_fields=["role"])
    membership.role = locked.role
    return locked


@transaction.atomic
def membership_remove(*, membership: OrganisationMembership, by: AbstractBaseUser | None = None) -> None:
    """Take the member out of the team and out of the organisation's editors' group.

    Raises LastManager when the member is the team's last manager (unless `by` is a network coordinator).
    """
    locked = _locked(membership)
    _last_manager_guard(locked, by)
    workspace = OrganisationWorkspace.objects.filter(organisation_id=locked.organisation_id).first()
    if workspace is not None:
        locked.user.groups.remove(workspace.editors_group)
    locked.delete()


def _normalised_email(email: str) -> str:
    email = BaseUserManager.normalize_email((email or "").strip())
    validate_email(email)
    return email


def _pending(organisation: OrganisationPage, email: str) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    )


def _is_member(organisation: OrganisationPage, email: str) -> bool:
    email_field = get_user_model().get_email_field_name()
    return OrganisationMembership.objects.filter(
        organisation=organisation, **{f"user__{email_field}__iexact": email}
    ).exists()


@transaction.atomic
def invitation_create(
    *, organisation: OrganisationPage, email: str, role: str, invited_by: AbstractBaseUser | None
) -> Invitation:
    """A pending invitation to the organisation's team, or the one already pending for that address.

    An invitation already pending takes the new role, so that inviting again corrects a mistake. Raises
    AlreadyMember when the address belongs to a member of the team, ValidationError for a malformed address.
    """
    role = _checked_role(role)
    email = _normalised_email(email)
    if _is_member(organisation, email):
        raise AlreadyMember(_("%(email)s is already a member of the team.") % {"email": email})
    invitation = _pending(organisation, email).select_for_update().first()
    if invitation is None:
        try:
            with transaction.atomic():
                return Invitation.objects.create(
                    organisation=organisation, email=email, role=role, invited_by=invited_by
                )
        except IntegrityError:
            # A double click raced past the look-up: the constraint kept one pending invitation.
            invitation = _pending(organisation, email).select_for_update().first()
            if invitation is None:
                raise
    if invitation.role != role:
        invitation.role = role
        invitation.save(update_fields=["role"])
    return invitation


@transaction.atomic
def invitation_send(*, invitation: Invitation) -> Invitation:
    """Email the invitation's link (after commit, through a task). Sending again gives a fresh link."""
    if not invitation.is_pending:
        raise TeamError(_("This invitation is no longer pending."))
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    transaction.on_commit(partial(invitation_email_send.enqueue, invitation_id=invitation.pk))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link stops working. Revoking twice changes nothing."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise TeamError(_("This invitation has already been accepted: remove the member from the team instead."))
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    invitation.revoked_at = locked.revoked_at
    return locked


def invitation_addressed_to(invitation: Invitation, user: AbstractBaseUser) -> bool:
    """Whether `user`'s email is the invited address; case is not significant in practice, so it is ignored."""
    email = str(getattr(user, user.get_email_field_name(), "") or "").strip()
    return bool(email) and email.lower() == invitation.email.strip().lower()


def invitation_verify(*, token: str, for_update: bool = False, user: AbstractBaseUser | None = None) -> Invitation:
    """The invitation a link's token names, if it may still be accepted (by `user`, when one is signed in).

    Raises InvitationInvalid (a forged or damaged token), InvitationUsed, InvitationRevoked or
    InvitationExpired, each with a message for the visitor; InvitationWrongAccount when `user` is signed in
    with another address than the invited one.
    """
    signer = invitation_signer()
    try:
        value = signer.unsign(token)
    except signing.BadSignature:
        raise InvitationInvalid(
            _(
                "This invitation link is not valid. Check that you copied the whole link from the email, "
                "or ask the association for a new invitation."
            )
        ) from None
    pk, _sep, nonce = value.partition(".")
    queryset = Invitation.objects.select_for_update() if for_update else Invitation.objects.all()
    invitation = queryset.filter(pk=int(pk)).first() if pk.isdigit() else None
    if invitation is None or not constant_time_compare(nonce, invitation.nonce):
        raise InvitationRevoked(_("This invitation has been withdrawn."))
    if invitation.accepted_at is not None:
        raise InvitationUsed(
            _("This invitation has already been used. If you accepted it, sign in to the members' area.")
        )
    if invitation.revoked_at is not None:
        raise InvitationRevoked(_("This invitation has been withdrawn."))
    try:
        signer.unsign(token, max_age=get_setting("INVITATION_MAX_AGE"))
    except signing.SignatureExpired:
        raise InvitationExpired(
            _("This invitation has expired. Ask the association's managers to send you a new one.")
        ) from None
    if user is not None and user.is_authenticated and not invitation_addressed_to(invitation, user):
        raise InvitationWrongAccount(
            _(
                "This invitation was sent to another email address than your account's. Sign out, then open "
                "the link again to sign in with the invited address or to create its account."
            )
        )
    return invitation


def invitation_account_exists(invitation: Invitation) -> bool:
    """Whether an account already uses the invited address (its owner signs in instead of creating one)."""
    User = get_user_model()
    return User._default_manager.filter(**{f"{User.get_email_field_name()}__iexact": invitation.email}).exists()


def _account_create(invitation: Invitation, data: Mapping[str, Any]) -> AbstractBaseUser:
    """A new account for the invited address, its password checked by the site's password validators."""
    if invitation_account_exists(invitation):
        raise AccountExists(
            _("An account already uses this email address: sign in with it, then open the invitation link again.")
        )
    User = get_user_model()
    values = {name: str(data.get(name) or "").strip() for name in ACCOUNT_FIELDS if name != "password"}
    password = str(data.get("password") or "")
    errors: dict[str, list] = {
        name: [ValidationError(_("This field is required."), code="required")]
        for name in ACCOUNT_FIELDS
        if not (password if name == "password" else values[name])
    }
    username = User.normalize_username(values["username"])
    user = User(
        **{User.USERNAME_FIELD: username, User.get_email_field_name(): invitation.email},
        first_name=values["first_name"],
        last_name=values["last_name"],
    )
    try:
        user.full_clean(exclude=["password", "last_login", "date_joined"], validate_unique=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in errors:  # "required" is said once
                errors[name] = [ValidationError(message) for message in messages]
    if username and User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).exists():
        errors.setdefault("username", []).append(
            ValidationError(_("A user with that username already exists."), code="unique")
        )
    if password:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def invitation_accept(
    *, token: str, user: AbstractBaseUser | None = None, account_data: Mapping[str, Any] | None = None
) -> OrganisationMembership:
    """Accept an invitation: join the team with the signed-in `user`, or with a new account.

    A signed-in `user` must have the invited address (InvitationWrongAccount otherwise: nothing changes).
    Without one, `account_data` (username, first_name, last_name, password) creates the account, with the
    invited address whatever else it holds; ValidationError carries its errors by field. The invitation serves
    once: a second acceptance raises InvitationUsed. See invitation_verify for the other refusals.
    """
    invitation = invitation_verify(token=token, for_update=True, user=user)
    member = user if user is not None and user.is_authenticated else _account_create(invitation, account_data or {})
    membership = membership_add(organisation=invitation.organisation, user=member, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = member
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
