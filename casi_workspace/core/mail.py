"""The email backend of production: every email is kept in the database and leaves through the task worker.

Set `EMAIL_BACKEND = "casi_workspace.core.mail.QueuedEmailBackend"`; the backend that really sends is the
`CASI_WORKSPACE_EMAIL_DELIVERY_BACKEND` setting (SMTP by default). Wagtail's own emails (password reset,
its notifications) go the same way, so a mail-server outage never fails a request nor loses an email.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from casi_workspace.conf import get_setting
from casi_workspace.core.delivery import outgoing_email_store
from casi_workspace.core.tasks import outgoing_email_enqueue


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            outgoing_email_enqueue(outgoing_email_store(message).pk)
            count += 1
        return count


def delivery_connection(**kwargs) -> BaseEmailBackend:
    """A connection to the backend that really sends, for code that throttles and records its own sending
    (the newsletter's batches); the site's EMAIL_BACKEND when it is not the queued one."""
    if isinstance(get_connection(), QueuedEmailBackend):
        return get_connection(get_setting("EMAIL_DELIVERY_BACKEND"), **kwargs)
    return get_connection(**kwargs)
