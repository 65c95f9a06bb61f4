"""Sending an issue's emails, a batch at a time: what the sending task does between two batches.

Each delivery is claimed before its email leaves, so that two workers never send the same one; an
issue is sent once no delivery is left to send.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from casi_workspace.conf import get_setting, host_setting
from casi_workspace.core.links import absolute_url
from casi_workspace.core.locks import work_lock
from casi_workspace.core.mail import delivery_connection
from casi_workspace.core.mail_errors import mail_error_is_transient, mail_retry_delay
from casi_workspace.newsletter.models import (
    DeliveryStatus,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterIssueStatus,
    NewsletterSubscriber,
    SubscriberStatus,
)
from casi_workspace.newsletter.selectors import (
    UNFINISHED,
    Section,
    issue_sections,
    issue_web_url,
    sending_lock_name,
    subscriber_sections,
)
from casi_workspace.newsletter.tokens import link_token

ERROR_LENGTH = 500
# The mail server away: the batch is tried again after 5 s, then twice as long each time, 10 minutes at most.
RETRY_FIRST_DELAY = datetime.timedelta(seconds=5)
RETRY_LONGEST_DELAY = datetime.timedelta(minutes=10)


class MailServerUnavailable(Exception):
    """The mail server did not take an email: the batch stops, and the email is tried again later."""

    def __init__(self, attempt: int) -> None:
        super().__init__(attempt)
        self.attempt = attempt


def issue_send_batch(issue_id: int, chain: uuid.UUID | str | None) -> datetime.datetime | None:
    """Send the next batch of the issue's deliveries if it is this chain's turn; when to come back.

    None means that the chain has nothing more to do: the issue is sent, or a newer chain took over. A batch
    starts only once the previous one has ended and the throttle's interval has passed since, whichever
    chain or worker ran it: at most NEWSLETTER_BATCH_SIZE emails leave in any NEWSLETTER_BATCH_INTERVAL.
    """
    now = timezone.now()
    interval = datetime.timedelta(seconds=get_setting("NEWSLETTER_BATCH_INTERVAL"))
    lease = datetime.timedelta(seconds=get_setting("NEWSLETTER_SEND_LEASE"))
    mine = NewsletterIssue.objects.filter(pk=issue_id, status=NewsletterIssueStatus.SENDING, send_chain=chain)
    turn = Q(next_batch_at__isnull=True) | Q(next_batch_at__lte=now)
    if not mine.filter(turn).update(next_batch_at=now + lease):
        next_at = mine.values_list("next_batch_at", flat=True).first()
        # Another batch is under way (a worker of an older chain finishing): look again after an interval.
        return None if next_at is None else min(next_at, now + max(interval, datetime.timedelta(seconds=1)))
    with work_lock(sending_lock_name(issue_id)) as held:
        pause = _batch_send(issue_id) if held else interval
    next_at = timezone.now() + pause
    NewsletterIssue.objects.filter(pk=issue_id).update(next_batch_at=next_at)
    if NewsletterDelivery.objects.filter(issue_id=issue_id, status=DeliveryStatus.PENDING).exists():
        return next_at
    issue_complete_if_done(issue_id)
    return None


def _batch_send(issue_id: int) -> datetime.timedelta:
    """Send one batch; the pause before the next: the throttle's interval, or a backoff if the server is away."""
    issue = NewsletterIssue.objects.get(pk=issue_id)
    pending = NewsletterDelivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING)
    batch = list(pending.order_by("pk").values_list("pk", flat=True)[: get_setting("NEWSLETTER_BATCH_SIZE")])
    interval = datetime.timedelta(seconds=get_setting("NEWSLETTER_BATCH_INTERVAL"))
    if not batch:
        return interval
    emails = IssueEmails(issue, issue_sections(issue))
    deliveries = NewsletterDelivery.objects.filter(pk__in=batch).select_related("subscriber").order_by("pk")
    try:
        connection = delivery_connection()
        connection.open()
    except Exception as exc:
        if not mail_error_is_transient(exc):
            raise
        first = NewsletterDelivery.objects.filter(pk=batch[0])
        first.update(attempts=F("attempts") + 1, error=_reason(exc))
        return _backoff(first.values_list("attempts", flat=True).get())
    try:
        for delivery in deliveries:
            _deliver(delivery, emails, connection)
    except MailServerUnavailable as away:
        return _backoff(away.attempt)
    finally:
        connection.close()
    return interval


def _backoff(attempt: int) -> datetime.timedelta:
    return mail_retry_delay(attempt, first=RETRY_FIRST_DELAY, longest=RETRY_LONGEST_DELAY)


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]


def _deliver(delivery: NewsletterDelivery, emails: IssueEmails, connection) -> None:
    claimed = NewsletterDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:  # another worker took it
        return
    outcome = NewsletterDelivery.objects.filter(pk=delivery.pk)
    subscriber = delivery.subscriber
    sections = subscriber_sections(emails.sections, subscriber) if subscriber.status == SubscriberStatus.ACTIVE else []
    if not sections:
        outcome.update(status=DeliveryStatus.SKIPPED)
        return
    try:
        connection.send_messages([emails.message(subscriber, sections)])
    except Exception as exc:  # whatever the mail server answered is the reason recorded
        if mail_error_is_transient(exc):
            # The server did not take it: the email goes back to the queue, and the batch stops until later.
            outcome.update(status=DeliveryStatus.PENDING, claimed_at=None, error=_reason(exc))
            raise MailServerUnavailable(delivery.attempts + 1) from exc
        outcome.update(status=DeliveryStatus.FAILED, error=_reason(exc))
        return
    outcome.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")


def issue_complete_if_done(issue_id: int) -> None:
    """Sent once no delivery is left to send; the first completion's date stays the issue's date."""
    NewsletterIssue.objects.filter(pk=issue_id, status=NewsletterIssueStatus.SENDING).exclude(
        deliveries__status__in=UNFINISHED
    ).update(status=NewsletterIssueStatus.SENT, sent_at=Coalesce("sent_at", timezone.now()))


class IssueEmails:
    """Builds the issue's emails. The sections are rendered once for each set of choices, then wrapped with
    each subscriber's own links: rendering stays cheap however many subscribers share those choices."""

    def __init__(self, issue: NewsletterIssue, sections: list[Section]) -> None:
        self.issue = issue
        self.sections = sections
        self.site_name = host_setting("WAGTAIL_SITE_NAME")
        self.web_url = issue_web_url(issue)
        self._contents: dict[tuple, tuple[str, str]] = {}

    def _content(self, sections: list[Section]) -> tuple[str, str]:
        key = tuple((section.kind, tuple(item.pk for item in section.items)) for section in sections)
        if key not in self._contents:
            context = {"issue": self.issue, "sections": sections}
            self._contents[key] = (
                render_to_string("casi_workspace/emails/newsletter_issue_content.html", context),
                render_to_string("casi_workspace/emails/newsletter_issue_content.txt", context),
            )
        return self._contents[key]

    def parts(self, sections: list[Section], links: dict[str, str]) -> tuple[str, str, str]:
        """Subject, plain text and HTML, in the site's language."""
        with translation.override(host_setting("LANGUAGE_CODE")):
            html, text = self._content(sections)
            context = {
                "issue": self.issue,
                "site_name": self.site_name,
                "web_url": self.web_url,
                "content_html": mark_safe(html),  # noqa: S308 — rendered from our template just above
                "content_text": text,
                **links,
            }
            return (
                " ".join(self.issue.title.split()),
                render_to_string("casi_workspace/emails/newsletter_issue.txt", context),
                render_to_string("casi_workspace/emails/newsletter_issue.html", context),
            )

    def message(self, subscriber: NewsletterSubscriber, sections: list[Section]) -> EmailMultiAlternatives:
        """The subscriber's email, with the one-click unsubscription headers of RFC 8058."""
        token = link_token(subscriber)
        unsubscribe_url = absolute_url(reverse("casi_workspace:newsletter_unsubscribe", kwargs={"token": token}))
        links = {
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": absolute_url(reverse("casi_workspace:newsletter_preferences", kwargs={"token": token})),
        }
        subject, text, html = self.parts(sections, links)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[subscriber.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Precedence": "bulk",
            },
        )
        message.attach_alternative(html, "text/html")
        return message

    def test_message(self, to: str) -> EmailMultiAlternatives:
        """The whole issue, to a coordinator, marked as a test and without anyone's personal links."""
        subject, text, html = self.parts(self.sections, {"is_test": True})
        with translation.override(host_setting("LANGUAGE_CODE")):
            subject = _("[Test] %(subject)s") % {"subject": subject}
        message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
        message.attach_alternative(html, "text/html")
        return message
