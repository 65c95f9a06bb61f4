"""An association's workspace and team: what provisioning created for it, who belongs, the invitations sent.

The workspace (groups, collection) is kept beside the organisation's page, out of its revisions: a
reference stored on the page would be rolled back by restoring an old revision. A membership is the
record of a person's role in an association; the association's editors' group follows the memberships,
and services/teams.py keeps the two in step. An invitation's link carries a signed token: the row stores
only a random nonce, and the signature (HMAC with SECRET_KEY) is what makes the token impossible to forge.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection

INVITATION_SALT = "casi_workspace.invitation"


def invitation_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=INVITATION_SALT)


def invitation_nonce() -> str:
    return secrets.token_hex(16)


class MembershipRole(models.TextChoices):
    EDITOR = "editor", _("Editor")
    MANAGER = "manager", _("Manager")


class OrganisationMembership(models.Model):
    """A person's role in an association: editors publish; managers also manage the team."""

    organisation = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.EDITOR)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="casi_membership_unique_organisation_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

    @property
    def is_manager(self) -> bool:
        return self.role == MembershipRole.MANAGER


class Invitation(models.Model):
    """An invitation to join an association's team, accepted once through its signed link."""

    organisation = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.EDITOR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Signed with the pk into the link's token; not a secret on its own (the signature is).
    nonce = models.CharField(max_length=32, default=invitation_nonce, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One pending invitation per address and association: a double click cannot send two.
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="casi_invitation_one_pending_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def make_token(self) -> str:
        """A fresh link token; its timestamp starts the validity period (CASI_WORKSPACE_INVITATION_MAX_AGE)."""
        return invitation_signer().sign(f"{self.pk}.{self.nonce}")


class OrganisationWorkspace(models.Model):
    organisation = models.OneToOneField(
        "casi_workspace.OrganisationPage", on_delete=models.CASCADE, related_name="workspace"
    )
    editors_group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="organisation_workspace")
    coordinators_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="collective_workspace"
    )
    collection = models.OneToOneField(Collection, on_delete=models.PROTECT, related_name="organisation_workspace")
    workflow = models.OneToOneField(
        "wagtailcore.Workflow",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collective_workspace",
        help_text=_("A collective's moderation workflow, for its members' submissions."),
    )
    handles_support_requests = models.BooleanField(
        _("handles the support requests of its département"),
        default=False,
        help_text=_("A collective's choice: otherwise the network's coordinators answer them."),
    )

    class Meta:
        verbose_name = _("organisation workspace")
        verbose_name_plural = _("organisation workspaces")

    def __str__(self) -> str:
        return str(self.organisation)
