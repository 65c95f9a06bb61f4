"""Sign-ins locked by too many failures (django-axes' database handler): which ones, and unlocking one."""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset
from django.db.models import QuerySet

from casi_workspace.conf import host_setting


def locked_sign_ins() -> QuerySet[AccessAttempt]:
    """Username and address pairs at or past the failure limit, the latest first."""
    return AccessAttempt.objects.filter(failures_since_start__gte=host_setting("AXES_FAILURE_LIMIT")).order_by(
        "-attempt_time", "-pk"
    )


def sign_in_unlock(attempt_id: int) -> AccessAttempt | None:
    """Forget the failures of one locked pair, so that its owner may sign in at once; None if it is gone."""
    attempt = locked_sign_ins().filter(pk=attempt_id).first()
    if attempt is not None:
        reset(username=attempt.username, ip=attempt.ip_address)
    return attempt
