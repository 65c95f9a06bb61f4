"""The sending page in the admin: a test copy to oneself, the sending, its progress, failures and retry; only
the coordinators may send, and a sent issue is no longer edited."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
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
from tests.helpers import french
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

ISSUES = "/admin/lettre/numeros/"


def _send_page(pk) -> str:
    return f"/admin/casi_workspace/lettre/numeros/{pk}/envoi/"


@pytest.fixture
def issue():
    NewsletterSubscriber.objects.update(topics=[], departments=[])
    issue = NewsletterIssue.objects.create(title="Lettre de décembre")
    page = publication_create("news", "brest-sahel-solidarite", title="Retour du Sénégal")
    NewsletterIssueItem.objects.create(issue=issue, page=page, section=page.kind, sort_order=1)
    return issue


def test_a_coordinator_tests_then_sends_and_follows_the_sending(login, issue, django_capture_on_commit_callbacks):
    client = login("coordination")
    active = NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).count()
    page = client.get(_send_page(issue.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{active} abonnés recevront ce numéro" in html and "Actualités : 1" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_send_page(issue.pk), {"action": "test"}, follow=True)
    assert response.status_code == 200
    [test_copy] = mail.outbox
    assert test_copy.to == [response.wsgi_request.user.email]
    assert test_copy.subject == "[Test] Lettre de décembre" and "Retour du Sénégal" in test_copy.body
    assert "Ceci est un test" in test_copy.body and "/lettre/desinscription/" not in test_copy.body
    assert not NewsletterDelivery.objects.filter(issue=issue).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_send_page(issue.pk), {"action": "send"}, follow=True)
    assert f"L’envoi à {active} abonnés a commencé." in response.content.decode()
    assert len(mail.outbox) == 1 + active
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.SENT and issue.sent_by.username == "coordination"

    progress = client.get(_send_page(issue.pk), {"format": "json"}).json()
    assert progress == {
        "status": "sent",
        "running": False,
        "total": active,
        "done": active,
        "sent": active,
        "failed": 0,
        "skipped": 0,
        "remaining": 0,
        "percent": 100,
    }
    html = client.get(_send_page(issue.pk)).content.decode()
    assert "<progress" in html and 'value="100"' in html

    # Sent: no second sending, no more editing or deleting.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(_send_page(issue.pk), {"action": "send"}, follow=True)
    assert "déjà envoyé" in again.content.decode() and len(mail.outbox) == 1 + active
    response = client.get(f"{ISSUES}edit/{issue.pk}/")
    assert response.status_code == 302 and response.url == _send_page(issue.pk)
    client.post(f"{ISSUES}edit/{issue.pk}/", {"title": "Changé après coup"})
    issue.refresh_from_db()
    assert issue.title == "Lettre de décembre"
    # Not even an administrator deletes a sent issue: it is the archive's and the deliveries' record.
    admin = login("admin")
    response = admin.get(f"{ISSUES}delete/{issue.pk}/")
    assert response.status_code == 302 and response.url == _send_page(issue.pk)
    admin.post(f"{ISSUES}delete/{issue.pk}/")
    assert NewsletterIssue.objects.filter(pk=issue.pk).exists()


def test_failures_are_listed_with_their_reason_and_retried_from_the_page(
    login, issue, django_capture_on_commit_callbacks
):
    issue.status = NewsletterIssueStatus.SENT
    issue.sent_at = timezone.now()
    issue.save()
    subscriber = NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).first()
    NewsletterDelivery.objects.create(
        issue=issue, subscriber=subscriber, status=DeliveryStatus.FAILED, attempts=1, error="SMTP 550 inconnu"
    )
    client = login("coordination")
    html = client.get(_send_page(issue.pk)).content.decode()
    assert subscriber.email in html and "SMTP 550 inconnu" in html and "Renvoyer le 1 envoi en échec" in html

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_send_page(issue.pk), {"action": "retry"})
    assert [message.to for message in mail.outbox] == [[subscriber.email]]
    delivery = NewsletterDelivery.objects.get(issue=issue, subscriber=subscriber)
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.SENT, 2, "")


def test_a_stalled_sending_offers_to_resume(login, issue, django_capture_on_commit_callbacks):
    issue.status = NewsletterIssueStatus.SENDING
    issue.send_started_at = timezone.now() - datetime.timedelta(hours=1)
    issue.save()
    subscriber = NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).first()
    NewsletterDelivery.objects.create(issue=issue, subscriber=subscriber)
    client = login("coordination")
    assert "Reprendre l’envoi" in client.get(_send_page(issue.pk)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_send_page(issue.pk), {"action": "resume"})
    assert [message.to for message in mail.outbox] == [[subscriber.email]]
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.SENT


def test_bad_requests_get_a_clear_answer(login, issue):
    client = login("coordination")
    response = client.post(_send_page(issue.pk), {"action": "tout-casser"}, follow=True)
    assert response.status_code == 200 and french("Unknown action.") in response.content.decode()
    for pk in (987654, 2**63, 10**30):
        assert client.get(_send_page(pk)).status_code == 404
    response = client.post(_send_page(issue.pk), {"action": "test"}, follow=True)
    assert response.status_code == 200


def test_a_coordinator_without_an_address_is_told_so(login, issue, django_capture_on_commit_callbacks):
    client = login("coordination")
    user = client.get("/admin/").wsgi_request.user
    user.email = ""
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_send_page(issue.pk), {"action": "test"}, follow=True)
    assert "n’a pas d’adresse électronique" in response.content.decode()
    assert not mail.outbox


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29", "membre-gt"])
def test_other_accounts_cannot_test_or_send(login, issue, username, django_capture_on_commit_callbacks):
    client = login(username)
    assert client.get(_send_page(issue.pk)).status_code in (302, 403)
    with django_capture_on_commit_callbacks(execute=True):
        for action in ("test", "send", "retry", "resume"):
            assert client.post(_send_page(issue.pk), {"action": action}).status_code in (302, 403)
    assert not mail.outbox
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.DRAFT


def test_anonymous_visitors_are_sent_to_the_login(client, issue):
    response = client.post(_send_page(issue.pk), {"action": "send"})
    assert response.status_code == 302 and "/login/" in response.url
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.DRAFT
