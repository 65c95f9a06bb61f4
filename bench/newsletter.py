"""The benchmark's email backend for the newsletter's sending (bench/run.py), by its dotted path
`bench.newsletter.CountingEmailBackend`.

Django's locmem backend keeps every message in `django.core.mail.outbox`: 10,000 emails held there would
make the peak memory of the sending grow with the list, and that growth would be the outbox's, not the
sending code's. This backend builds each message's bytes as the SMTP backend does (so that the time of
writing the MIME message is counted), counts them and drops them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class CountingEmailBackend(BaseEmailBackend):
    """Counts messages and their bytes, keeps none.

    The counters are class attributes: the sending opens a new connection, a new instance, for each batch.
    """

    messages = 0
    size = 0

    @classmethod
    def reset(cls) -> None:
        cls.messages = cls.size = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            CountingEmailBackend.size += len(message.message().as_bytes(linesep="\r\n"))
        CountingEmailBackend.messages += len(email_messages)
        return len(email_messages)
