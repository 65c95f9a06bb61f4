"""How a stored email leaves: claimed by one worker, handed to the real mail backend, and its outcome recorded.

The mail server's answer decides what follows: accepted, the email is sent; refused for now (a 4xx reply, or
no server to talk to), it waits and is tried again later, each wait twice the previous one; refused for good
(a 5xx reply) or too many times, it has failed, with the server's reason. An email left "being sent" by a
stopped worker may have been accepted before the worker could record it: it is reported as interrupted and
never sent again by itself, since sending it twice is worse than telling a person it may not have left.
"""

from __future__ import annotations

import base64
import datetime
from email.mime.base import MIMEBase
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone

from casi_workspace.conf import get_setting
from casi_workspace.core.mail_errors import mail_refusal, mail_retry_delay
from casi_workspace.core.models import OutgoingEmail, OutgoingEmailStatus

# The longest wait between two attempts, whatever the number of attempts.
RETRY_DELAY_MAX = datetime.timedelta(hours=1)


def _content(content: str | bytes) -> dict[str, str]:
    if isinstance(content, bytes):
        return {"base64": base64.b64encode(content).decode("ascii")}
    return {"text": content}


def _restored(content: dict[str, str]) -> str | bytes:
    return base64.b64decode(content["base64"]) if "base64" in content else content["text"]


def _attachment(attachment: Any) -> dict[str, Any]:
    if isinstance(attachment, MIMEBase):  # a part built by hand: kept as its name, content and type
        name, content, mimetype = attachment.get_filename(), attachment.get_payload(decode=True), None
        mimetype = attachment.get_content_type()
    else:
        name, content, mimetype = attachment
    return {"name": name, "content": _content(content), "mimetype": mimetype}


def message_to_json(message: EmailMessage) -> dict[str, Any]:
    """Everything needed to build `message` again in another process (JSON only)."""
    return {
        "subject": str(message.subject),
        "body": _content(message.body),
        "content_subtype": message.content_subtype,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(name): str(value) for name, value in message.extra_headers.items()},
        "alternatives": [
            {"content": _content(content), "mimetype": mimetype}
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment(attachment) for attachment in message.attachments],
    }


def message_from_json(data: dict[str, Any]) -> EmailMultiAlternatives:
    fields = {name: data[name] for name in ("subject", "from_email", "to", "cc", "bcc", "reply_to", "headers")}
    message = EmailMultiAlternatives(body=_restored(data["body"]), **fields)
    message.content_subtype = data["content_subtype"]
    for alternative in data["alternatives"]:
        message.attach_alternative(_restored(alternative["content"]), alternative["mimetype"])
    for attachment in data["attachments"]:
        message.attach(attachment["name"], _restored(attachment["content"]), attachment["mimetype"])
    return message


def outgoing_email_store(message: EmailMessage, *, now: datetime.datetime | None = None) -> OutgoingEmail:
    """Keep `message` until the mail server accepts it; the caller queues its delivery."""
    return OutgoingEmail.objects.create(
        message=message_to_json(message),
        recipients=", ".join(message.recipients()),
        subject=" ".join(str(message.subject).split())[:998],
        next_attempt_at=now or timezone.now(),
    )


def _retry_delay(attempts: int) -> datetime.timedelta:
    return mail_retry_delay(
        attempts, first=datetime.timedelta(seconds=get_setting("EMAIL_RETRY_DELAY")), longest=RETRY_DELAY_MAX
    )


def outgoing_email_deliver(email_id: int, *, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Send the stored email if it is due and no other worker has it; returns when to try again, if ever.

    The claim (pending → sending) is one conditional update: two tasks for one email send it once.
    """
    now = now or timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=OutgoingEmailStatus.PENDING, next_attempt_at__lte=now
    ).update(status=OutgoingEmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return None
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        with get_connection(get_setting("EMAIL_DELIVERY_BACKEND"), fail_silently=False) as connection:
            connection.send_messages([message_from_json(email.message)])
    except Exception as error:
        passing, reason = mail_refusal(error)
        if passing and email.attempts < get_setting("EMAIL_ATTEMPTS"):
            retry_at = timezone.now() + _retry_delay(email.attempts)
            OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmailStatus.SENDING).update(
                status=OutgoingEmailStatus.PENDING, next_attempt_at=retry_at, last_error=reason
            )
            return retry_at
        OutgoingEmail.objects.filter(pk=email_id).update(status=OutgoingEmailStatus.FAILED, last_error=reason)
        return None
    # Accepted: that is the truth even if the email was meanwhile taken for interrupted.
    OutgoingEmail.objects.filter(pk=email_id).update(status=OutgoingEmailStatus.SENT, sent_at=timezone.now())
    return None


def outgoing_emails_interrupt(*, lease: float, now: datetime.datetime | None = None) -> int:
    """Mark interrupted the emails "being sent" for longer than `lease` seconds (their worker stopped)."""
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(
        status=OutgoingEmailStatus.SENDING, claimed_at__lte=now - datetime.timedelta(seconds=lease)
    ).update(status=OutgoingEmailStatus.INTERRUPTED)


def outgoing_emails_pending() -> list[tuple[int, datetime.datetime]]:
    """(id, when due) of every email waiting to be sent, the oldest first."""
    return list(
        OutgoingEmail.objects.filter(status=OutgoingEmailStatus.PENDING)
        .order_by("next_attempt_at")
        .values_list("pk", "next_attempt_at")
    )


def outgoing_emails_unsent():
    """The emails not (or not surely) delivered, newest first: what the coordinators' listing shows."""
    return OutgoingEmail.objects.exclude(status=OutgoingEmailStatus.SENT).order_by("-created_at", "-pk")
