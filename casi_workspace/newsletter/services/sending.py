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
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casi_workspace.conf import get_setting, host_setting
from casi_workspace.core.locks import work_lock_free
from casi_workspace.core.queue import running_tasks_close
from casi_workspace.newsletter.delivery import issue_complete_if_done
from casi_workspace.newsletter.models import (
    DeliveryStatus,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterIssueStatus,
)
from casi_workspace.newsletter.selectors import issue_recipients, issue_sections, sending_lock_name
from casi_workspace.newsletter.services.subscriptions import NewsletterError
from casi_workspace.newsletter.tasks import newsletter_issue_send, newsletter_issue_test_email_send

CREATE_CHUNK = 1000


def _chunks(values: Iterable[int], size: int) -> Iterator[list[int]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _new_chain(issue: NewsletterIssue) -> None:
    """A new chain of batch tasks for the issue, queued once the transaction commits; an older chain's tasks
    end without sending when they run, so that stops, resumes and retries never add a chain beside it."""
    issue.send_chain = uuid.uuid4()
    issue.save(update_fields=["send_chain"])
    chain = str(issue.send_chain)
    transaction.on_commit(lambda: newsletter_issue_send.enqueue(issue_id=issue.pk, chain=chain))


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
        _new_chain(issue)
    return total


def issue_send_resume(
    issue: NewsletterIssue, *, now: datetime.datetime | None = None, lease: float | None = None
) -> int:
    """After a stopped worker: the deliveries it left "being sent" fail with the reason, the rest goes on.

    Returns how many were interrupted. On PostgreSQL the sending lock tells at once whether a worker is still
    in a batch of this issue: if none is, every delivery still "being sent" was left by a worker that died,
    whatever its age, and the batch tasks it left "running" are closed. Elsewhere only deliveries claimed
    longer ago than the lease (seconds; the NEWSLETTER_SEND_LEASE setting by default) are touched, so that a
    worker still sending is not disturbed. Either way the sending goes on as one new chain of batches.
    """
    now = now or timezone.now()
    with transaction.atomic():
        issue = _locked_issue(issue)
        if issue.status != NewsletterIssueStatus.SENDING:
            raise NewsletterError(_("This issue is not being sent."))
        with translation.override(host_setting("LANGUAGE_CODE")):
            reason = _("Interrupted: the sending stopped while this email was leaving; it may have been received.")
        left = issue.deliveries.filter(status=DeliveryStatus.SENDING)
        nobody_sending = work_lock_free(sending_lock_name(issue.pk))
        if not nobody_sending:
            lease = datetime.timedelta(seconds=get_setting("NEWSLETTER_SEND_LEASE") if lease is None else lease)
            left = left.filter(claimed_at__lte=now - lease)
        interrupted = left.update(status=DeliveryStatus.FAILED, error=reason)
        if nobody_sending and issue.next_batch_at is not None:
            # A batch that died with its worker held the turn for a lease: the next one may start once the
            # throttle's interval has passed from now, as if that batch had just ended.
            interval = datetime.timedelta(seconds=get_setting("NEWSLETTER_BATCH_INTERVAL"))
            issue.next_batch_at = min(issue.next_batch_at, now + interval)
            issue.save(update_fields=["next_batch_at"])
        if nobody_sending:
            running_tasks_close(newsletter_issue_send, now=now, issue_id=issue.pk)
        if issue.deliveries.filter(status=DeliveryStatus.PENDING).exists():
            _new_chain(issue)
        else:
            transaction.on_commit(lambda: issue_complete_if_done(issue.pk))
    return interrupted


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
        _new_chain(issue)
    return retried


def issue_test_send(issue: NewsletterIssue, *, user) -> str:
    """The whole issue to the coordinator's own address, marked as a test; returns the address."""
    if not user.email:
        raise NewsletterError(_("Your account has no email address: add one in your account settings first."))
    transaction.on_commit(lambda: newsletter_issue_test_email_send.enqueue(issue_id=issue.pk, to=user.email))
    return user.email
