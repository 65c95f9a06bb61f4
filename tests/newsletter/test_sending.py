"""Sending an issue: every subscribed address exactly once, in batches, with what each one chose; a stopped
worker is resumed without sending anything twice; failures are recorded with their reason and retried."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.core import mail
from django.db.models import F
from django.utils import timezone

from casi_workspace.models import (
    DeliveryStatus,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterIssueItem,
    NewsletterIssueStatus,
    NewsletterSubscriber,
    SubscriberStatus,
)
from casi_workspace.newsletter.delivery import issue_send_batch
from casi_workspace.newsletter.selectors import issue_progress, issue_send_stalled
from casi_workspace.newsletter.services.sending import (
    issue_send_retry,
    issue_send_start,
    issues_send_resume,
)
from casi_workspace.newsletter.services.subscriptions import NewsletterError
from casi_workspace.newsletter.tasks import issue_send_run
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

TRUSTED = "brest-sahel-solidarite"
BATCH = 40


@pytest.fixture(autouse=True)
def _small_batches(settings):
    settings.CASI_WORKSPACE_NEWSLETTER_BATCH_SIZE = BATCH
    settings.CASI_WORKSPACE_NEWSLETTER_BATCH_INTERVAL = 0


def _issue_with(*pages) -> NewsletterIssue:
    issue = NewsletterIssue.objects.create(title="Lettre de décembre", intro="<p>Bonne lecture !</p>")
    for number, page in enumerate(pages):
        NewsletterIssueItem.objects.create(issue=issue, page=page, section=page.kind, sort_order=number)
    return issue


@pytest.fixture
def issue():
    """An issue of two items, for subscribers who all take every topic: each of them must receive it."""
    NewsletterSubscriber.objects.update(topics=[], departments=[])
    return _issue_with(
        publication_create("news", TRUSTED, title="Retour du Sénégal", summary="Trois semaines à Dakar."),
        publication_create("event", TRUSTED, title="Festisol à Brest"),
    )


def _active() -> set[str]:
    return set(NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).values_list("email", flat=True))


def _received() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


def _start(issue, django_capture_on_commit_callbacks, *, execute: bool = True) -> int:
    with django_capture_on_commit_callbacks(execute=execute):
        return issue_send_start(issue)


def _message_to(address: str):
    return next(message for message in mail.outbox if message.to == [address])


def test_every_subscribed_address_receives_the_issue_exactly_once(issue, client, django_capture_on_commit_callbacks):
    active = _active()
    assert len(active) > 2 * BATCH  # several batches
    total = _start(issue, django_capture_on_commit_callbacks)

    assert total == len(active)
    received = _received()
    assert set(received) == active and set(received.values()) == {1}
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.SENT and issue.sent_at is not None
    assert issue_progress(issue).sent == total and issue_progress(issue).remaining == 0
    # Pending and unsubscribed addresses receive nothing.
    others = NewsletterSubscriber.objects.exclude(status=SubscriberStatus.ACTIVE).values_list("email", flat=True)
    assert others and not set(others) & set(received)


def test_the_email_has_both_parts_the_personal_links_and_the_one_click_headers(
    issue, client, django_capture_on_commit_callbacks
):
    _start(issue, django_capture_on_commit_callbacks)
    subscriber = NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).order_by("pk").first()
    message = _message_to(subscriber.email)
    assert message.subject == "Lettre de décembre"
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "Retour du Sénégal" in part and "Festisol à Brest" in part and "Bonne lecture" in part
        assert "/lettre/desinscription/" in part and "/lettre/preferences/" in part
        assert f"/lettre/{issue.pk}/" in part  # the web version
    assert "Trois semaines à Dakar." in html
    assert 'lang="fr"' in html
    assert "Se désabonner de la lettre" in html  # French

    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/casi/lettre/desinscription/") and unsubscribe.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The one-click unsubscription a mail client sends: a POST with no CSRF token, from the header alone.
    response = client.post(unsubscribe[len("<http://testserver") : -1], {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    # Another subscriber's link is their own.
    other = NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).exclude(pk=subscriber.pk).first()
    assert _message_to(other.email).extra_headers["List-Unsubscribe"] != unsubscribe


def test_each_subscriber_gets_the_sections_of_their_topics_and_departements(django_capture_on_commit_callbacks):
    news_29 = publication_create("news", TRUSTED, title="Nouvelle du Finistère", department="29")
    news_35 = publication_create("news", TRUSTED, title="Nouvelle d’Ille-et-Vilaine", department="35")
    regional = publication_create("news", TRUSTED, title="Nouvelle de toute la région")
    type(regional).objects.filter(pk=regional.pk).update(department="")
    event = publication_create("event", TRUSTED, title="Rencontre à Quimper", department="29")
    issue = _issue_with(news_29, news_35, regional, event)
    NewsletterSubscriber.objects.update(status=SubscriberStatus.UNSUBSCRIBED)
    everything = NewsletterSubscriber.objects.create(email="tout@example.org", status=SubscriberStatus.ACTIVE)
    agenda = NewsletterSubscriber.objects.create(email="agenda@example.org", status="active", topics=["agenda"])
    finistere = NewsletterSubscriber.objects.create(email="29@example.org", status="active", departments=["29"])
    trainings = NewsletterSubscriber.objects.create(
        email="formations@example.org", status="active", topics=["trainings"]
    )

    assert _start(issue, django_capture_on_commit_callbacks) == 4

    def titles(subscriber) -> set[str]:
        body = _message_to(subscriber.email).body
        return {page.title for page in (news_29, news_35, regional, event) if page.title in body}

    assert titles(everything) == {news_29.title, news_35.title, regional.title, event.title}
    assert titles(agenda) == {event.title}
    assert titles(finistere) == {news_29.title, regional.title, event.title}
    # Nothing for their choices: no email, and the delivery says why.
    assert not any(message.to == [trainings.email] for message in mail.outbox)
    assert NewsletterDelivery.objects.get(issue=issue, subscriber=trainings).status == DeliveryStatus.SKIPPED
    progress = issue_progress(issue)
    assert (progress.sent, progress.skipped, progress.total) == (3, 1, 4)


def test_an_item_unpublished_after_composition_is_not_sent(issue, django_capture_on_commit_callbacks):
    gone = issue.items.get(page__title="Festisol à Brest").page
    gone.unpublish()
    _start(issue, django_capture_on_commit_callbacks)
    assert mail.outbox
    assert all("Festisol à Brest" not in message.body for message in mail.outbox)
    assert all("Retour du Sénégal" in message.body for message in mail.outbox)


def test_a_stopped_worker_resumes_where_it_stopped_and_sends_nothing_twice(issue, django_capture_on_commit_callbacks):
    active = _active()
    _start(issue, django_capture_on_commit_callbacks, execute=False)  # queued, no worker yet
    assert not mail.outbox and issue_progress(issue).remaining == len(active)

    # A worker limited to two batches, then stopped.
    issue.refresh_from_db()
    chain = str(issue.send_chain)
    assert issue_send_batch(issue.pk, chain) is not None
    assert issue_send_batch(issue.pk, chain) is not None
    assert len(mail.outbox) == 2 * BATCH
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.SENDING

    # Resumed: the rest goes, each address once in all.
    issue_send_run(issue.pk, chain, can_defer=False)
    received = _received()
    assert set(received) == active and set(received.values()) == {1}
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.SENT
    assert issue_send_batch(issue.pk, chain) is None  # a late duplicate task sends nothing
    assert len(mail.outbox) == len(active)


def test_an_email_a_killed_worker_was_sending_is_failed_not_sent_twice(issue, django_capture_on_commit_callbacks):
    _start(issue, django_capture_on_commit_callbacks, execute=False)
    issue.refresh_from_db()
    issue_send_batch(issue.pk, str(issue.send_chain))
    # What a worker killed while an email was leaving leaves behind: that delivery claimed, "being sent".
    killed = NewsletterDelivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING).order_by("pk").first()
    NewsletterDelivery.objects.filter(pk=killed.pk).update(status=DeliveryStatus.SENDING, claimed_at=timezone.now())
    # Ten minutes later, nothing has moved.
    ten_minutes = datetime.timedelta(minutes=10)
    NewsletterDelivery.objects.filter(issue=issue).update(claimed_at=F("claimed_at") - ten_minutes)
    issue.refresh_from_db()
    assert issue_send_stalled(issue)

    with django_capture_on_commit_callbacks(execute=True):
        resumed = issues_send_resume()
    assert resumed == [(issue, 1)]
    killed.refresh_from_db()
    assert killed.status == DeliveryStatus.FAILED and "Interrompu" in killed.error
    received = _received()
    assert killed.subscriber.email not in received
    assert set(received.values()) == {1} and len(received) == len(_active()) - 1
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.SENT

    # The coordinator retries it knowingly: it leaves once.
    with django_capture_on_commit_callbacks(execute=True):
        assert issue_send_retry(issue) == 1
    assert _received()[killed.subscriber.email] == 1


def test_failures_are_recorded_with_their_reason_and_retried(issue, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.newsletter.email_backends.RefusingBackend"
    refused = NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).order_by("pk")[:3]
    refused_emails = {subscriber.email for subscriber in refused}
    NewsletterSubscriber.objects.filter(pk__in=[s.pk for s in refused]).update(topics=["news"], departments=[])
    settings.REFUSED_ADDRESSES = refused_emails
    _start(issue, django_capture_on_commit_callbacks)

    failed = NewsletterDelivery.objects.filter(issue=issue, status=DeliveryStatus.FAILED).select_related("subscriber")
    assert {delivery.subscriber.email for delivery in failed} == refused_emails
    assert all("SMTPRecipientsRefused" in delivery.error for delivery in failed)
    assert issue_progress(issue).failed == 3
    assert not refused_emails & set(_received())

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert issue_send_retry(issue) == 3
    received = _received()
    assert all(received[email] == 1 for email in refused_emails)
    assert set(received.values()) == {1}
    assert NewsletterDelivery.objects.get(issue=issue, subscriber=refused[0]).attempts == 2
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.SENT and issue_progress(issue).failed == 0


def test_an_issue_is_sent_once_and_only_when_it_has_something_and_someone(issue, django_capture_on_commit_callbacks):
    _start(issue, django_capture_on_commit_callbacks)
    count = len(mail.outbox)
    with pytest.raises(NewsletterError, match="déjà envoyé"):
        _start(issue, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == count

    empty = NewsletterIssue.objects.create(title="Vide")
    with pytest.raises(NewsletterError, match="aucune publication publique"):
        _start(empty, django_capture_on_commit_callbacks)
    NewsletterSubscriber.objects.update(status=SubscriberStatus.UNSUBSCRIBED)
    nobody = _issue_with(publication_create("news", TRUSTED))
    with pytest.raises(NewsletterError, match="Personne"):
        _start(nobody, django_capture_on_commit_callbacks)
    nobody.refresh_from_db()
    assert nobody.status == NewsletterIssueStatus.DRAFT and not nobody.deliveries.exists()
    with pytest.raises(NewsletterError):
        issue_send_retry(nobody)
