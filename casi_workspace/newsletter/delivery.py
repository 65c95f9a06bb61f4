"""Sending an issue's emails, a batch at a time: what the sending task does between two batches.

Each delivery is claimed before its email leaves, so that two workers never send the same one; an
issue is sent once no delivery is left to send.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from casi_workspace.conf import get_setting, host_setting
from casi_workspace.core.links import absolute_url
from casi_workspace.newsletter.models import (
    DeliveryStatus,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterIssueStatus,
    NewsletterSubscriber,
    SubscriberStatus,
)
from casi_workspace.newsletter.selectors import UNFINISHED, Section, issue_sections, issue_web_url, subscriber_sections
from casi_workspace.newsletter.tokens import link_token

ERROR_LENGTH = 500


def issue_send_batch(issue_id: int) -> bool:
    """Send the next batch of the issue's deliveries; True while some remain to send."""
    issue = NewsletterIssue.objects.filter(pk=issue_id, status=NewsletterIssueStatus.SENDING).first()
    if issue is None:
        return False
    pending = NewsletterDelivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING)
    batch = list(pending.order_by("pk").values_list("pk", flat=True)[: get_setting("NEWSLETTER_BATCH_SIZE")])
    if batch:
        emails = IssueEmails(issue, issue_sections(issue))
        deliveries = NewsletterDelivery.objects.filter(pk__in=batch).select_related("subscriber").order_by("pk")
        with get_connection() as connection:
            for delivery in deliveries:
                _deliver(delivery, emails, connection)
    if pending.exists():
        return True
    issue_complete_if_done(issue.pk)
    return False


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
        outcome.update(status=DeliveryStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH])
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
