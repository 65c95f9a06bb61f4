"""Membership applications: the public form's submissions and the coordinators' decisions.

A submission is stored once (its fingerprint is unique among pending applications) and flagged when it
looks like an organisation already in the directory. Approval creates or links the organisation page,
provisions its workspace and gives the contact an account, in one transaction; the emails are queued
only once that transaction has committed, so that nobody is told about a decision that was rolled back.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from casi_workspace.applications.models import SUBMITTED_FIELDS, ApplicationStatus, MembershipApplication
from casi_workspace.applications.tasks import (
    application_approved_email_send,
    application_received_email_send,
    application_rejected_email_send,
    application_submitted_notice_send,
)
from casi_workspace.conf import get_setting
from casi_workspace.core.errors import CasiError
from casi_workspace.core.queue import enqueue_on_commit
from casi_workspace.core.ratelimit import client_address_hash, rate_limit_exceeded
from casi_workspace.core.slugs import page_slug_available
from casi_workspace.core.validators import compact_identifier
from casi_workspace.organisations.models import DirectoryPage, MembershipStatus, OrganisationPage
from casi_workspace.organisations.selectors import organisation_find_duplicate
from casi_workspace.workspaces.models import MembershipRole
from casi_workspace.workspaces.provisioning import organisation_provision
from casi_workspace.workspaces.services.teams import membership_add

IDENTIFIER_FIELDS = ("rna", "siren", "siret")


class ApplicationError(CasiError):
    """A decision or submission that cannot be carried out; the message is meant for the user."""


class ApplicationRateLimited(ApplicationError):
    """Too many submissions from one client address within the hour."""


class ApplicationNotPending(ApplicationError):
    """The application was already approved or rejected: a second decision is refused."""

    def __init__(self, application: MembershipApplication) -> None:
        self.application = application
        super().__init__(
            _("This application has already been decided (%(status)s).")
            % {"status": application.get_status_display().lower()}
        )


def _normalised(text: str) -> str:
    """Lower case, no accents, no punctuation: "Brest – Sahel" and "brest sahel" are the same name."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.findall(r"\w+", letters))


def application_fingerprint(*, organisation_name: str, contact_email: str) -> str:
    """What makes two submissions "the same application": the organisation's name and the contact's email."""
    key = f"{_normalised(organisation_name)}\n{(contact_email or '').strip().casefold()}"
    return hashlib.sha256(key.encode()).hexdigest()


def _pending_with_fingerprint(fingerprint: str) -> MembershipApplication | None:
    return MembershipApplication.objects.filter(fingerprint=fingerprint, status=ApplicationStatus.PENDING).first()


def application_create(*, data: Mapping[str, Any], ip_hash: str = "", notify: bool = False) -> MembershipApplication:
    """Store a pending application, or return the pending one with the same fingerprint.

    No rate limit: the public form goes through `application_submit`, which asks (`notify`) for the
    applicant's acknowledgement and the coordinators' notice when a new application is stored; the demo seed
    calls this directly, silently. Raises ValidationError when the data break the model's rules or lack consent.
    """
    fields = {name: data[name] for name in SUBMITTED_FIELDS if name in data}
    for name in IDENTIFIER_FIELDS:
        fields[name] = compact_identifier(fields.get(name, ""))
    application = MembershipApplication(**fields, ip_hash=ip_hash)
    if not application.consent:
        raise ValidationError({"consent": _("The applicant must agree to the processing of these data.")})
    application.fingerprint = application_fingerprint(
        organisation_name=application.organisation_name, contact_email=application.contact_email
    )
    existing = _pending_with_fingerprint(application.fingerprint)
    if existing is not None:
        return existing
    application.matching_organisation = organisation_find_duplicate(
        name=application.organisation_name,
        commune=application.commune,
        siren=application.siren,
        rna=application.rna,
        siret=application.siret,
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # A double click raced past the look-up above; the constraint kept one row, return it.
        existing = _pending_with_fingerprint(application.fingerprint)
        if existing is None:
            raise
        return existing
    if notify:
        enqueue_on_commit(application_received_email_send, application_id=application.pk)
        enqueue_on_commit(application_submitted_notice_send, application_id=application.pk)
    return application


def application_submit(*, data: Mapping[str, Any], ip: str) -> MembershipApplication:
    """A visitor's application from the public form: rate-limited per client address, stored once.

    Raises ApplicationRateLimited past CASI_WORKSPACE_APPLICATION_RATE_LIMIT submissions in the hour.
    Only a hash of the address is kept (`ip_hash`).
    """
    if rate_limit_exceeded("applications", ip, get_setting("APPLICATION_RATE_LIMIT")):
        raise ApplicationRateLimited(
            _("Too many applications have been sent from your connection. Please try again in an hour.")
        )
    return application_create(data=data, ip_hash=client_address_hash("applications", ip), notify=True)


def _lock_pending(application: MembershipApplication) -> MembershipApplication:
    """The application's row, locked until the end of the transaction, if it still awaits a decision."""
    locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ApplicationNotPending(locked)
    return locked


def _decide(
    application: MembershipApplication,
    *,
    status: str,
    user: AbstractBaseUser | None,
    message: str,
    organisation: OrganisationPage | None = None,
) -> None:
    application.status = status
    application.decided_at = timezone.now()
    application.decided_by = user
    application.decision_message = message
    application.organisation = organisation
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_message", "organisation"])


def _directory() -> DirectoryPage:
    directory = DirectoryPage.objects.order_by("path").first()
    if directory is None:
        raise ApplicationError(_("There is no directory page to add the organisation to."))
    return directory


def _organisation_create(application: MembershipApplication, user: AbstractBaseUser | None) -> OrganisationPage:
    """The new member's page in the directory, published. The contact details stay private."""
    directory = _directory()
    if OrganisationPage.objects.filter(title=application.organisation_name).exists():
        # The workspace's group and collection are named after the page: a second page with the same
        # title would be handed the first one's.
        raise ApplicationError(
            _(
                "An organisation named “%(name)s” is already in the directory: link the application to it, "
                "or rename that organisation's page first."
            )
            % {"name": application.organisation_name}
        )
    organisation = OrganisationPage(
        title=application.organisation_name,
        slug=page_slug_available(directory, application.organisation_name, fallback="structure"),
        acronym=application.acronym,
        actor_type=application.actor_type,
        membership_status=MembershipStatus.MEMBER,
        rna=application.rna,
        siren=application.siren,
        siret=application.siret,
        address=application.address,
        postcode=application.postcode,
        commune=application.commune,
        department=application.department,
        website=application.website,
        contact_name=application.contact_name,
        private_email=application.contact_email,
        private_phone=application.contact_phone,
        owner=user,
    )
    directory.add_child(instance=organisation)
    log(instance=organisation, action="wagtail.create", user=user)
    # Deciding on the application is the permission that matters here: the page follows from it.
    organisation.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    return organisation


def _free_username(email: str) -> str:
    User = get_user_model()
    field = User.USERNAME_FIELD
    max_length = User._meta.get_field(field).max_length or 150
    base = re.sub(r"[^\w.@+-]", "", email.strip().lower())[: max_length - 6] or "membre"
    taken = {
        name.lower()
        for name in User._default_manager.filter(**{f"{field}__istartswith": base}).values_list(field, flat=True)
    }
    username, number = base, 2
    while username in taken:
        username, number = f"{base}-{number}", number + 1
    return username


def _contact_account(application: MembershipApplication) -> AbstractBaseUser:
    """The contact's account: the existing one with that email, or a new one without a usable password.

    The password is chosen by its owner through the link of the invitation email, never sent.
    """
    User = get_user_model()
    email_field = User.get_email_field_name()
    email = application.contact_email.strip()
    user = User._default_manager.filter(**{f"{email_field}__iexact": email}).order_by("pk").first()
    if user is not None:
        return user
    first_name, _sep, last_name = application.contact_name.strip().partition(" ")
    user = User(**{User.USERNAME_FIELD: _free_username(email), email_field: email})
    user.first_name = first_name[:150]
    user.last_name = last_name.strip()[:150]
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def application_approve(
    *,
    application: MembershipApplication,
    user: AbstractBaseUser | None,
    message: str = "",
    organisation: OrganisationPage | None = None,
) -> OrganisationPage:
    """Accept the application and make its organisation a member with its own workspace.

    Creates and publishes the organisation's page in the directory, unless `organisation` names an
    existing page to link instead (for instance the application's `matching_organisation`). Provisions
    the workspace, makes the contact's account (created if needed) a manager of its team and, after
    commit, emails the contact an invitation with a single-use link to choose a password.
    Raises ApplicationNotPending when the application was already decided, even by a concurrent request.
    """
    locked = _lock_pending(application)
    if organisation is None:
        organisation = _organisation_create(locked, user)
    organisation_provision(organisation=organisation)
    contact = _contact_account(locked)
    membership_add(organisation=organisation, user=contact, role=MembershipRole.MANAGER)
    _decide(locked, status=ApplicationStatus.APPROVED, user=user, message=message, organisation=organisation)
    transaction.on_commit(
        partial(application_approved_email_send.enqueue, application_id=locked.pk, user_id=contact.pk)
    )
    application.refresh_from_db()
    return organisation


@transaction.atomic
def application_reject(
    *, application: MembershipApplication, user: AbstractBaseUser | None, message: str
) -> MembershipApplication:
    """Refuse the application; after commit, the contact receives the coordinators' message by email.

    Raises ApplicationNotPending when the application was already decided.
    """
    locked = _lock_pending(application)
    _decide(locked, status=ApplicationStatus.REJECTED, user=user, message=message)
    transaction.on_commit(partial(application_rejected_email_send.enqueue, application_id=locked.pk))
    application.refresh_from_db()
    return application
