"""Emails about a membership application, sent by the task worker in the site's language."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from casi_workspace.applications.models import MembershipApplication
from casi_workspace.conf import host_setting
from casi_workspace.core.emails import SECONDS_PER_DAY, email_send
from casi_workspace.core.links import absolute_url
from casi_workspace.core.permissions import coordinators_group


def _application_context(application: MembershipApplication) -> dict[str, Any]:
    return {
        "application": application,
        "message": application.decision_message,
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
    }


@task()
def application_approved_email_send(*, application_id: int, user_id: int) -> None:
    """The invitation: the organisation's page, and how to sign in to publish.

    A new account gets a link to Wagtail's own password-reset form: the token is signed, expires after
    PASSWORD_RESET_TIMEOUT and is void once the password is set. It is made here, when the email
    leaves, so that it never waits in the task queue.
    """
    application = MembershipApplication.objects.select_related("organisation").get(pk=application_id)
    user = get_user_model()._default_manager.get(pk=user_id)
    organisation = application.organisation
    context = _application_context(application) | {
        "organisation": organisation,
        "organisation_url": organisation.get_full_url() if organisation else "",
        "username": user.get_username(),
        "login_url": absolute_url(reverse("wagtailadmin_login")),
        "password_reset_url": absolute_url(reverse("wagtailadmin_password_reset")),
        "link_validity_days": max(1, host_setting("PASSWORD_RESET_TIMEOUT") // SECONDS_PER_DAY),
    }
    if not user.has_usable_password():
        path = reverse(
            "wagtailadmin_password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context["set_password_url"] = absolute_url(path)
    email_send("application_approved", context, to=application.contact_email)


@task()
def application_rejected_email_send(*, application_id: int) -> None:
    """The refusal, with the coordinators' message."""
    application = MembershipApplication.objects.get(pk=application_id)
    email_send("application_rejected", _application_context(application), to=application.contact_email)


# The coordinators' review of one application (wagtail-modeladmin's inspect view, registered under this name).
REVIEW_URL_NAME = "casi_workspace_applications_modeladmin_inspect"


@task()
def application_received_email_send(*, application_id: int) -> None:
    """The applicant's acknowledgement: the application has arrived, and what happens next."""
    application = MembershipApplication.objects.filter(pk=application_id).first()
    if application is not None:
        email_send("application_received", _application_context(application), to=application.contact_email)


@task()
def application_submitted_notice_send(*, application_id: int) -> None:
    """Each network coordinator with an address learns of the new application, with the link to review it."""
    application = MembershipApplication.objects.filter(pk=application_id).first()
    group = coordinators_group()
    if application is None or group is None:
        return
    context = _application_context(application) | {
        "review_url": absolute_url(reverse(REVIEW_URL_NAME, args=[application.pk])),
    }
    addresses = group.user_set.filter(is_active=True).exclude(email="").values_list("email", flat=True).distinct()
    for address in addresses.order_by("email"):
        email_send("application_submitted", context, to=address)
