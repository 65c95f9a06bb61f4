"""Which mail-server errors are worth trying again, and how long to wait before each new try.

A mail server that refuses the connection, drops it or answers 4xx ("try again later") has not taken the
email: it can be sent again without anyone getting two copies. A 5xx refusal (an unknown address, a message
refused) will be refused again: it is recorded as a failure with the server's reason.
"""

from __future__ import annotations

import smtplib

RETRY_FIRST_DELAY = 5
RETRY_MAX_DELAY = 600


def _transient_code(code: int) -> bool:
    return 400 <= code < 500


def mail_error_is_transient(exc: BaseException) -> bool:
    """True when the email did not leave and may be tried again later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(_transient_code(code) for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return _transient_code(exc.smtp_code)
    # SMTPServerDisconnected, SMTPConnectError's siblings, refused connections, timeouts, unknown hosts.
    return isinstance(exc, OSError)


def mail_retry_delay(attempt: int) -> int:
    """Seconds before try number `attempt + 1`, doubling from 5 s up to 10 minutes."""
    return min(RETRY_MAX_DELAY, RETRY_FIRST_DELAY * 2 ** max(0, attempt - 1))
