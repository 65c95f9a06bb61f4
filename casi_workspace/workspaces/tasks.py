"""The team invitation email, sent by the task worker in the site's language."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from casi_workspace.conf import get_setting, host_setting
from casi_workspace.core.emails import SECONDS_PER_DAY, email_send
from casi_workspace.core.links import absolute_url
from casi_workspace.workspaces.models import Invitation


@task()
def invitation_email_send(*, invitation_id: int) -> None:
    """The invitation to join an association's team, with its signed, single-use link.

    The token is signed here, when the email leaves, so that its validity period does not run down
    in the task queue. An invitation accepted or revoked in the meantime is not sent.
    """
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_pending:
        return
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "inviter_name": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "invitation_url": absolute_url(reverse("casi_workspace:invitation", args=[invitation.make_token()])),
        "link_validity_days": max(1, get_setting("INVITATION_MAX_AGE") // SECONDS_PER_DAY),
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
    }
    email_send("invitation", context, to=invitation.email)
