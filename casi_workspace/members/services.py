"""A person deletes their own account from the member space (the right to erasure).

What they shared with a working group stays with the group, shown as a former member's; everything else that
is theirs goes: memberships, invitations, comments, their newsletter subscription, sign-in records. Wagtail's
history keeps each action but no longer says who did it.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.translation import gettext as _

from casi_workspace.core.errors import CasiError
from casi_workspace.newsletter.models import NewsletterSubscriber
from casi_workspace.newsletter.services.subscriptions import subscriber_erase


class AccountDeletionRefused(CasiError):
    pass


def _unlink_untied_references(user) -> None:
    """References Django's deletion does not follow (Wagtail's logs: DO_NOTHING, no database constraint)."""
    for relation in get_user_model()._meta.get_fields(include_hidden=True):
        if not (relation.one_to_many or relation.one_to_one) or not relation.auto_created or relation.concrete:
            continue
        field = relation.field
        if field.remote_field.on_delete is not models.DO_NOTHING:
            continue
        rows = relation.related_model._base_manager.filter(**{field.name: user})
        if field.null:
            rows.update(**{field.name: None})
        else:
            rows.delete()


def _sign_in_records_delete(user) -> None:
    """django-axes keeps usernames (not links to the account) of attempts and sign-ins, when installed."""
    if not apps.is_installed("axes"):
        return
    for name in ("AccessAttempt", "AccessFailureLog", "AccessLog"):
        apps.get_model("axes", name).objects.filter(username=user.get_username()).delete()


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete `user` and what is theirs; raise AccountDeletionRefused for a superuser (the site's keys)."""
    if user.is_superuser:
        raise AccountDeletionRefused(
            _("A superuser's account is not deleted from the member space: ask another superuser in the admin.")
        )
    email = (user.email or "").strip()
    for subscriber in NewsletterSubscriber.objects.filter(email__iexact=email).exclude(email="") if email else ():
        subscriber_erase(subscriber)
    _sign_in_records_delete(user)
    _unlink_untied_references(user)
    user.delete()
