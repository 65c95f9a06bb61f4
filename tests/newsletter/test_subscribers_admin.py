"""The subscribers in the admin: the coordinators list, filter, export and erase; nobody else sees them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from casi_workspace.models import NewsletterSubscriber, SubscriberStatus, SubscriptionSource

pytestmark = pytest.mark.django_db

LIST = "/admin/lettre/abonnes/"
SUBSCRIBER_LIST_QUERIES = 16  # measured; the same at any number of subscribers


def _export(pk) -> str:
    return f"/admin/casi_workspace/lettre/abonnes/{pk}/export/"


def _erase(pk) -> str:
    return f"/admin/casi_workspace/lettre/abonnes/{pk}/effacer/"


def test_the_demo_has_a_few_hundred_example_subscribers():
    assert NewsletterSubscriber.objects.count() == 300
    assert set(NewsletterSubscriber.objects.values_list("status", flat=True)) == set(SubscriberStatus.values)
    assert not NewsletterSubscriber.objects.exclude(email__endswith="@example.org").exists()
    call_command("casi_demo", stdout=io.StringIO())  # seeding again adds nobody
    assert NewsletterSubscriber.objects.count() == 300


def test_coordinators_list_filter_and_search_the_subscribers(login):
    client = login("coordination")
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "lecteur-300@example.org" in html  # the newest first
    assert "lecteur-001@example.org" not in html  # 300 subscribers: 50 a page
    assert "lecteur-" in client.get(LIST, {"p": "2"}).content.decode()
    for bad_page in ("abc", "-1", "99999", "9" * 30):
        assert client.get(LIST, {"p": bad_page}).status_code in (200, 404)

    pending = client.get(LIST, {"status": SubscriberStatus.PENDING}).content.decode()
    assert "lecteur-015@example.org" in pending and "lecteur-016@example.org" not in pending
    found = client.get(LIST, {"q": "lecteur-042"}).content.decode()
    assert "lecteur-042@example.org" in found and "lecteur-043@example.org" not in found


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29", "membre-gt"])
def test_other_accounts_never_see_a_subscriber(login, username):
    client = login(username)
    subscriber = NewsletterSubscriber.objects.get(email="lecteur-042@example.org")
    for address in (LIST, f"{LIST}inspect/{subscriber.pk}/", _export(subscriber.pk), _erase(subscriber.pk)):
        response = client.get(address)
        assert response.status_code in (302, 403), (address, response.status_code)
        assert b"lecteur-042" not in response.content
    assert client.post(_erase(subscriber.pk)).status_code in (302, 403)
    assert NewsletterSubscriber.objects.filter(pk=subscriber.pk).exists()


def test_a_coordinator_exports_then_erases_a_subscribers_data(login):
    client = login("coordination")
    subscriber = NewsletterSubscriber.objects.get(email="lecteur-042@example.org")
    inspect = client.get(f"{LIST}inspect/{subscriber.pk}/").content.decode()
    assert _export(subscriber.pk) in inspect and _erase(subscriber.pk) in inspect

    response = client.get(_export(subscriber.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["email"] == "lecteur-042@example.org"
    assert data["topics"] == subscriber.topics
    assert data["consent"]["source"] == SubscriptionSource.DEMO

    assert client.get(_erase(subscriber.pk)).status_code == 200
    assert NewsletterSubscriber.objects.filter(pk=subscriber.pk).exists()
    response = client.post(_erase(subscriber.pk))
    assert response.status_code == 302
    assert not NewsletterSubscriber.objects.filter(email="lecteur-042@example.org").exists()
    # Wagtail's audit log would keep the address as the deleted object's label: this erasure logs nothing.
    assert not ModelLogEntry.objects.filter(label__contains="lecteur-042").exists()
    for address in (_export(subscriber.pk), _erase(subscriber.pk), _export("9" * 30)):
        assert client.get(address).status_code == 404


def test_the_list_costs_the_same_queries_at_300_and_1300_subscribers(login, django_assert_max_num_queries):
    client = login("coordination")
    client.get(LIST)
    with django_assert_max_num_queries(SUBSCRIBER_LIST_QUERIES):
        assert client.get(LIST).status_code == 200
    NewsletterSubscriber.objects.bulk_create(
        NewsletterSubscriber(email=f"masse-{number}@example.org", consent_source=SubscriptionSource.DEMO)
        for number in range(1000)
    )
    with django_assert_max_num_queries(SUBSCRIBER_LIST_QUERIES):
        assert client.get(LIST, {"status": SubscriberStatus.PENDING, "p": "3"}).status_code == 200
