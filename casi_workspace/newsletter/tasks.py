"""The newsletter's background work: confirmation emails, and sending an issue batch after batch."""

from __future__ import annotations

import time
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from casi_workspace.conf import get_setting, host_setting
from casi_workspace.core.emails import SECONDS_PER_DAY, email_send
from casi_workspace.core.links import absolute_url
from casi_workspace.newsletter.delivery import IssueEmails, issue_send_batch
from casi_workspace.newsletter.models import NewsletterIssue, NewsletterSubscriber, SubscriberStatus
from casi_workspace.newsletter.selectors import issue_sections
from casi_workspace.newsletter.tokens import confirmation_token, link_token


def _subscriber_context(subscriber: NewsletterSubscriber) -> dict[str, Any]:
    link = link_token(subscriber)
    return {
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
        "preferences_url": absolute_url(reverse("casi_workspace:newsletter_preferences", kwargs={"token": link})),
        "unsubscribe_url": absolute_url(reverse("casi_workspace:newsletter_unsubscribe", kwargs={"token": link})),
    }


@task()
def newsletter_confirmation_email_send(*, subscriber_id: int) -> None:
    """The double opt-in link, signed when the email leaves so that its validity starts then."""
    subscriber = NewsletterSubscriber.objects.filter(pk=subscriber_id, status=SubscriberStatus.PENDING).first()
    if subscriber is None:
        return
    confirm = reverse("casi_workspace:newsletter_confirm", kwargs={"token": confirmation_token(subscriber)})
    context = _subscriber_context(subscriber) | {
        "confirm_url": absolute_url(confirm),
        "link_validity_days": max(1, get_setting("NEWSLETTER_CONFIRM_MAX_AGE") // SECONDS_PER_DAY),
    }
    email_send("newsletter_confirmation", context, to=subscriber.email)


@task()
def newsletter_subscribed_already_email_send(*, subscriber_id: int) -> None:
    """Someone asked to subscribe an address that already is: its owner gets the link to their preferences."""
    subscriber = NewsletterSubscriber.objects.filter(pk=subscriber_id, status=SubscriberStatus.ACTIVE).first()
    if subscriber is not None:
        email_send("newsletter_subscribed_already", _subscriber_context(subscriber), to=subscriber.email)


def issue_send_run(issue_id: int, chain: str | None, *, can_defer: bool) -> None:
    """What the worker's task does: a batch when its turn comes, then the next one when the throttle allows.

    A backend that can defer gets the next batch as a new task of the same chain (so that a worker stopped
    after some tasks resumes where it stopped); one that runs tasks at once (development, tests) loops here
    instead of nesting one call per batch, and leaves the rest for a resume if the mail server is away.
    """
    while True:
        next_at = issue_send_batch(issue_id, chain)
        if next_at is None:
            return
        if can_defer:
            newsletter_issue_send.using(run_after=next_at).enqueue(issue_id=issue_id, chain=chain)
            return
        wait = (next_at - timezone.now()).total_seconds()
        if wait > get_setting("NEWSLETTER_BATCH_INTERVAL") + 1:
            return  # the mail server is away: a resume sends the rest once it answers again
        time.sleep(max(0.0, wait))


@task()
def newsletter_issue_send(*, issue_id: int, chain: str | None = None) -> None:
    """One batch of an issue's sending; the next batch follows as a new task of the same chain."""
    issue_send_run(issue_id, chain, can_defer=newsletter_issue_send.get_backend().supports_defer)


@task()
def newsletter_issue_test_email_send(*, issue_id: int, to: str) -> None:
    """The coordinator's test copy of an issue."""
    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is not None:
        IssueEmails(issue, issue_sections(issue)).test_message(to).send()
