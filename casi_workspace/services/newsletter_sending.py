"""Sending a newsletter issue: one delivery per recipient, sent in batches by the task worker.

Starting freezes the recipients: a delivery for every subscribed address, created in the same transaction
as the issue's change to "sending". Each batch then claims its deliveries one at a time (a conditional
update, so that two workers never take the same one), sends the email and records the outcome at once.
A worker stopped between two emails leaves only deliveries still to send, which the next batch takes:
nobody is missed and nobody gets two. A worker killed while an email was leaving leaves that one delivery
"being sent"; resuming marks it failed with the reason, for a coordinator to retry knowingly, since the
email may have left.

Each subscriber receives the issue's items that are still public when their batch runs, in the sections
of their topics and, for items tied to a département, of their départements; a subscriber left with
nothing is skipped.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Max, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..conf import get_setting, host_setting
from ..links import absolute_url
from ..models import (
    DeliveryStatus,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterIssueStatus,
    NewsletterPage,
    NewsletterSubscriber,
    NewsletterTopic,
    SubscriberStatus,
)
from ..models.sections import PublicationKind
from .newsletter import NewsletterError, link_token
from .newsletter_issues import Section, issue_sections

TOPIC_OF_SECTION = {
    PublicationKind.NEWS: NewsletterTopic.NEWS,
    PublicationKind.EVENT: NewsletterTopic.AGENDA,
    PublicationKind.CALL: NewsletterTopic.CALLS,
    PublicationKind.OFFER: NewsletterTopic.OFFERS,
    PublicationKind.TRAINING: NewsletterTopic.TRAININGS,
    # Resources have no topic of their own: they come with the news.
    PublicationKind.RESOURCE: NewsletterTopic.NEWS,
}
CREATE_CHUNK = 1000
ERROR_LENGTH = 500
UNFINISHED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


@dataclass(frozen=True)
class Progress:
    total: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    remaining: int = 0

    @property
    def done(self) -> int:
        return self.total - self.remaining

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def issue_recipients() -> QuerySet[NewsletterSubscriber]:
    return NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE)


def issue_progress(issue: NewsletterIssue) -> Progress:
    """Sent / failed / skipped / still to send, in one query."""
    counts = {
        row["status"]: row["count"]
        for row in NewsletterDelivery.objects.filter(issue=issue).values("status").annotate(count=Count("pk"))
    }
    return Progress(
        total=sum(counts.values()),
        sent=counts.get(DeliveryStatus.SENT, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
        skipped=counts.get(DeliveryStatus.SKIPPED, 0),
        remaining=sum(counts.get(status, 0) for status in UNFINISHED),
    )


def issue_send_stalled(issue: NewsletterIssue, *, now: datetime.datetime | None = None) -> bool:
    """Sending, but no email claimed for longer than the lease: the worker stopped, the sending needs resuming."""
    if issue.status != NewsletterIssueStatus.SENDING:
        return False
    now = now or timezone.now()
    last = issue.deliveries.aggregate(last=Max("claimed_at"))["last"] or issue.send_started_at or now
    quiet = datetime.timedelta(seconds=get_setting("NEWSLETTER_SEND_LEASE") + get_setting("NEWSLETTER_BATCH_INTERVAL"))
    return now - last > quiet


def _chunks(values: Iterable[int], size: int) -> Iterator[list[int]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _enqueue_batch(issue_id: int, *, after: datetime.datetime | None = None) -> None:
    from ..tasks import newsletter_issue_send

    task = newsletter_issue_send.using(run_after=after) if after else newsletter_issue_send
    task.enqueue(issue_id=issue_id)


def _locked_issue(issue: NewsletterIssue) -> NewsletterIssue:
    return NewsletterIssue.objects.select_for_update().get(pk=issue.pk)


def issue_send_start(issue: NewsletterIssue, *, user=None) -> int:
    """Freeze the recipients, one delivery each, and queue the first batch; returns how many recipients."""
    with transaction.atomic():
        issue = _locked_issue(issue)
        if issue.status != NewsletterIssueStatus.DRAFT:
            raise NewsletterError(_("This issue is already sent or being sent."))
        if not issue_sections(issue):
            raise NewsletterError(_("This issue holds no public publication: there is nothing to send."))
        recipients = issue_recipients().order_by("pk").values_list("pk", flat=True)
        total = 0
        for chunk in _chunks(recipients.iterator(chunk_size=CREATE_CHUNK), CREATE_CHUNK):
            NewsletterDelivery.objects.bulk_create(
                (NewsletterDelivery(issue=issue, subscriber_id=pk) for pk in chunk), ignore_conflicts=True
            )
            total += len(chunk)
        if not total:
            raise NewsletterError(_("Nobody is subscribed yet: there is nobody to send this issue to."))
        issue.status = NewsletterIssueStatus.SENDING
        issue.send_started_at = timezone.now()
        issue.sent_by = user if user is not None and user.is_authenticated else None
        issue.save(update_fields=["status", "send_started_at", "sent_by"])
        transaction.on_commit(lambda: _enqueue_batch(issue.pk))
    return total


def issue_send_run(issue_id: int, *, can_defer: bool) -> None:
    """What the worker's task does: a batch, then the next one after the throttle's interval.

    A backend that can defer gets the next batch as a new task (so that a worker stopped after some tasks
    resumes where it stopped); one that runs tasks at once (development, tests) loops here instead of
    nesting one call per batch.
    """
    interval = get_setting("NEWSLETTER_BATCH_INTERVAL")
    while True:
        started = time.monotonic()
        if not issue_send_batch(issue_id):
            return
        wait = max(0.0, interval - (time.monotonic() - started))
        if can_defer:
            _enqueue_batch(issue_id, after=timezone.now() + datetime.timedelta(seconds=wait) if wait else None)
            return
        time.sleep(wait)


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
    _complete_if_done(issue.pk)
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


def _complete_if_done(issue_id: int) -> None:
    """Sent once no delivery is left to send; the first completion's date stays the issue's date."""
    NewsletterIssue.objects.filter(pk=issue_id, status=NewsletterIssueStatus.SENDING).exclude(
        deliveries__status__in=UNFINISHED
    ).update(status=NewsletterIssueStatus.SENT, sent_at=Coalesce("sent_at", timezone.now()))


def issue_send_resume(
    issue: NewsletterIssue, *, now: datetime.datetime | None = None, lease: float | None = None
) -> int:
    """After a stopped worker: the deliveries it left "being sent" fail with the reason, the rest goes on.

    Returns how many were interrupted. Only deliveries claimed longer ago than the lease (seconds; the
    NEWSLETTER_SEND_LEASE setting by default) are touched, so that a worker still sending is not disturbed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        issue = _locked_issue(issue)
        if issue.status != NewsletterIssueStatus.SENDING:
            raise NewsletterError(_("This issue is not being sent."))
        with translation.override(host_setting("LANGUAGE_CODE")):
            reason = _("Interrupted: the sending stopped while this email was leaving; it may have been received.")
        lease = datetime.timedelta(seconds=get_setting("NEWSLETTER_SEND_LEASE") if lease is None else lease)
        interrupted = issue.deliveries.filter(status=DeliveryStatus.SENDING, claimed_at__lte=now - lease).update(
            status=DeliveryStatus.FAILED, error=reason
        )
        transaction.on_commit(lambda: _resume(issue.pk))
    return interrupted


def _resume(issue_id: int) -> None:
    if NewsletterDelivery.objects.filter(issue_id=issue_id, status=DeliveryStatus.PENDING).exists():
        _enqueue_batch(issue_id)
    else:
        _complete_if_done(issue_id)


def issues_send_resume(*, lease: float | None = None) -> list[tuple[NewsletterIssue, int]]:
    """Resume every issue being sent (run when the worker starts again); each issue with its interrupted count."""
    return [
        (issue, issue_send_resume(issue, lease=lease))
        for issue in NewsletterIssue.objects.filter(status=NewsletterIssueStatus.SENDING).order_by("pk")
    ]


def issue_send_retry(issue: NewsletterIssue) -> int:
    """Send the failed deliveries again; returns how many."""
    with transaction.atomic():
        issue = _locked_issue(issue)
        if issue.status == NewsletterIssueStatus.DRAFT:
            raise NewsletterError(_("This issue has not been sent yet."))
        retried = issue.deliveries.filter(status=DeliveryStatus.FAILED).update(status=DeliveryStatus.PENDING, error="")
        if not retried:
            raise NewsletterError(_("No sending failed: there is nothing to retry."))
        issue.status = NewsletterIssueStatus.SENDING
        issue.save(update_fields=["status"])
        transaction.on_commit(lambda: _enqueue_batch(issue.pk))
    return retried


def issue_test_send(issue: NewsletterIssue, *, user) -> str:
    """The whole issue to the coordinator's own address, marked as a test; returns the address."""
    from ..tasks import newsletter_issue_test_email_send

    if not user.email:
        raise NewsletterError(_("Your account has no email address: add one in your account settings first."))
    transaction.on_commit(lambda: newsletter_issue_test_email_send.enqueue(issue_id=issue.pk, to=user.email))
    return user.email


# --- What each subscriber receives ------------------------------------------------------------------------


def subscriber_sections(sections: list[Section], subscriber: NewsletterSubscriber) -> list[Section]:
    """The sections of the subscriber's topics, with the items of their départements (none chosen: all).

    An item tied to no département concerns the whole region and goes to everyone.
    """
    topics, departments = set(subscriber.topics), set(subscriber.departments)
    chosen = []
    for section in sections:
        if topics and TOPIC_OF_SECTION.get(section.kind) not in topics:
            continue
        items = [item for item in section.items if not departments or item.page.department in departments | {""}]
        if items:
            chosen.append(section._replace(items=items))
    return chosen


def newsletter_page() -> NewsletterPage | None:
    return NewsletterPage.objects.live().order_by("path").first()


def issue_web_url(issue: NewsletterIssue, page: NewsletterPage | None = None) -> str:
    """The issue's address in the public archive ("" when the site has no newsletter page)."""
    page = page or newsletter_page()
    if page is None:
        return ""
    return (page.get_full_url() or "") + page.reverse_subpage("issue", kwargs={"issue_id": issue.pk})


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
