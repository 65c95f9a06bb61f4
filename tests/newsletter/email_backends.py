"""A mail server that refuses some recipients, as a real one answers for an unknown mailbox."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Refuses the addresses of the REFUSED_ADDRESSES setting with a 550, like smtplib does; sends the rest."""

    def send_messages(self, messages):
        refused = getattr(settings, "REFUSED_ADDRESSES", set())
        for message in messages:
            answer = {address: (550, b"5.1.1 Mailbox unknown") for address in message.to if address in refused}
            if answer:
                raise smtplib.SMTPRecipientsRefused(answer)
        return super().send_messages(messages)
