"""Which mail-server errors are worth trying again, and how long to wait before each new try.

A mail server that refuses the connection, drops it or answers 4xx ("try again later") has not taken the
email: it can be sent again without anyone getting two copies. A 5xx refusal (an unknown address, a message
refused) will be refused again: it is recorded as a failure with the server's reason.
"""

from __future__ import annotations

import datetime
import smtplib


def _reply(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def mail_refusal(error: BaseException) -> tuple[bool, str]:
    """(whether the email may be tried again later, the reason to record) for what sending raised."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply_text in error.recipients.values()]
        replies = "; ".join(f"{address}: {code} {_reply(reply)}" for address, (code, reply) in error.recipients.items())
        return any(400 <= code < 500 for code in codes), replies
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500, f"{error.smtp_code} {_reply(error.smtp_error)}"
    # Refused, cut or timed-out connections, unknown hosts (smtplib's other errors are OSErrors too).
    return isinstance(error, OSError), f"{type(error).__name__}: {error}"


def mail_error_is_transient(error: BaseException) -> bool:
    """True when the email did not leave and may be tried again later."""
    return mail_refusal(error)[0]


def mail_retry_delay(attempt: int, *, first: datetime.timedelta, longest: datetime.timedelta) -> datetime.timedelta:
    """The wait before try number `attempt + 1`: `first`, then twice as long each time, `longest` at most."""
    return min(first * 2 ** max(attempt - 1, 0), longest)
