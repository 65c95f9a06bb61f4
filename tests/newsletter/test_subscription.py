"""Subscribing to the newsletter as a visitor does: the form, the double opt-in link, preferences and
unsubscription, with everything an attacker could try on them."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client, override_settings

from casi_workspace.models import NewsletterSubscriber, SubscriberStatus, SubscriptionSource
from casi_workspace.newsletter.services.subscriptions import subscriber_erase, subscriber_export
from casi_workspace.newsletter.tokens import link_token
from tests.helpers import french

pytestmark = pytest.mark.django_db

PAGE = "/lettre/"
ADDRESS = "Nolwenn.Le-Goff@Example.org"
STORED = "nolwenn.le-goff@example.org"


def _subscribe(client: Client, email: str = ADDRESS, **fields):
    with_defaults = {"email": email, "topics": ["news", "calls"], "departments": ["29"], **fields}
    return client.post(PAGE, with_defaults)


def _subscribe_sent(client, django_capture_on_commit_callbacks, email: str = ADDRESS, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, email, **fields)
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?envoye=1"
    return response


def _link(message, name: str) -> str:
    """The path of the email's link to `name` (confirmer, preferences, desinscription)."""
    match = re.search(rf"https?://[^/\s]+(/casi/lettre/{name}/[^\s\"]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _text(response) -> str:
    return unescape(response.content.decode())


def test_the_page_offers_the_form(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = _text(response)
    for name in ('name="email"', 'name="topics"', 'name="departments"', 'value="29"', 'value="trainings"'):
        assert name in html


def test_double_opt_in_from_the_form_to_the_confirmed_subscription(client, django_capture_on_commit_callbacks):
    _subscribe_sent(client, django_capture_on_commit_callbacks)
    assert french("Check your mailbox") in _text(client.get(f"{PAGE}?envoye=1"))
    subscriber = NewsletterSubscriber.objects.get(email=STORED)
    assert subscriber.status == SubscriberStatus.PENDING
    assert (subscriber.topics, subscriber.departments) == (["news", "calls"], ["29"])
    assert subscriber.consent_source == "newsletter-page"
    assert subscriber.consent_ip_hash and "127.0.0.1" not in subscriber.consent_ip_hash

    (message,) = mail.outbox
    assert message.to == [STORED]
    assert message.alternatives[0][1] == "text/html"
    confirm = _link(message, "confirmer")
    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    page = client.get(confirm)
    assert page.status_code == 200
    assert NewsletterSubscriber.objects.get(pk=subscriber.pk).status == SubscriberStatus.PENDING
    response = client.post(confirm)
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.confirmed_at is not None and subscriber.consent_at is not None

    # The link works once.
    for method in (client.get, client.post):
        reused = method(confirm)
        assert reused.status_code == 400
        assert french("This confirmation link was already used, or replaced by a newer one.") in _text(reused)


def test_an_expired_or_tampered_confirmation_link_is_refused(client, django_capture_on_commit_callbacks):
    _subscribe_sent(client, django_capture_on_commit_callbacks)
    confirm = _link(mail.outbox[0], "confirmer")
    with override_settings(CASI_WORKSPACE_NEWSLETTER_CONFIRM_MAX_AGE=-1):
        response = client.post(confirm)
    assert response.status_code == 400
    assert french("This confirmation link has expired: subscribe again to receive a new one.") in _text(response)

    token = confirm.split("/")[-2]
    invalid = french("This link is not valid: check that it was copied whole from the email.")
    for forged in (token[:-3] + "abc", token + "x", "abc", "0" * 300, "%00", "' OR 1=1 --"):
        response = client.post(f"/casi/lettre/confirmer/{forged}/")
        assert response.status_code in (400, 404), forged
        if response.status_code == 400:
            assert invalid in _text(response)
    assert NewsletterSubscriber.objects.get(email=STORED).status == SubscriberStatus.PENDING


def test_subscribing_twice_makes_no_duplicate_and_reveals_nothing(client, django_capture_on_commit_callbacks):
    first = _subscribe_sent(client, django_capture_on_commit_callbacks)
    again = _subscribe_sent(client, django_capture_on_commit_callbacks, email=STORED.upper())
    unknown = _subscribe_sent(client, django_capture_on_commit_callbacks, email="inconnu@example.org")
    assert first["Location"] == again["Location"] == unknown["Location"]
    assert NewsletterSubscriber.objects.filter(email=STORED).count() == 1
    # The pending address gets a new link; the older one is replaced.
    assert [message.to for message in mail.outbox] == [[STORED], [STORED], ["inconnu@example.org"]]

    client.post(_link(mail.outbox[1], "confirmer"))
    mail.outbox.clear()
    subscribed = _subscribe_sent(client, django_capture_on_commit_callbacks)
    assert subscribed["Location"] == first["Location"]
    assert NewsletterSubscriber.objects.filter(email=STORED).count() == 1
    # Already subscribed: the owner of the address is told so, with the link to their preferences.
    (message,) = mail.outbox
    assert message.to == [STORED]
    assert _link(message, "preferences") and _link(message, "desinscription")
    assert "/confirmer/" not in message.body


@pytest.mark.parametrize(
    "email",
    ["", "pas-une-adresse", "a@b", "nolwenn@@example.org", "x" * 250 + "@example.org", "nul\x00@example.org"],
)
def test_an_invalid_address_is_refused_in_french(client, email: str):
    response = _subscribe(client, email)
    assert response.status_code == 400
    html = _text(response)
    assert (
        french("Enter your email address.") in html
        or french("Enter a valid email address, such as nom@exemple.fr.") in html
        or "254" in html
    )
    assert not NewsletterSubscriber.objects.exclude(consent_source=SubscriptionSource.DEMO).exists()
    assert mail.outbox == []


def test_forged_choices_are_refused_and_nothing_is_saved(client):
    response = _subscribe(client, topics=["news", "<script>"], departments=["75"])
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    assert not NewsletterSubscriber.objects.exclude(consent_source=SubscriptionSource.DEMO).exists()


def test_the_honeypot_drops_robots_without_a_word(client):
    response = _subscribe(client, homepage="https://spam.example.com")
    assert response.status_code == 302
    assert not NewsletterSubscriber.objects.exclude(consent_source=SubscriptionSource.DEMO).exists()


@override_settings(CASI_WORKSPACE_NEWSLETTER_RATE_LIMIT=2)
def test_too_many_subscriptions_from_one_address_are_refused(client, django_capture_on_commit_callbacks):
    for number in range(2):
        _subscribe_sent(client, django_capture_on_commit_callbacks, email=f"lecteur{number}@example.org")
    response = _subscribe(client, email="lecteur3@example.org")
    assert response.status_code == 429
    assert french("Too many subscriptions from your connection: please try again in an hour.") in _text(response)
    assert not NewsletterSubscriber.objects.filter(email="lecteur3@example.org").exists()


def test_the_home_page_form_records_its_source(client, django_capture_on_commit_callbacks):
    home = client.get("/").content.decode()
    assert 'name="source" value="home-page"' in home
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, {"email": ADDRESS, "source": "home-page"})
    assert response.status_code == 302
    subscriber = NewsletterSubscriber.objects.get(email=STORED)
    assert subscriber.consent_source == "home-page"
    # No topic ticked: every topic; no département: the whole region.
    assert subscriber.topics == ["news", "agenda", "calls", "offers", "trainings"]
    assert subscriber.departments == []


@pytest.fixture
def subscriber(client, django_capture_on_commit_callbacks) -> NewsletterSubscriber:
    _subscribe_sent(client, django_capture_on_commit_callbacks)
    client.post(_link(mail.outbox[0], "confirmer"))
    mail.outbox.clear()
    return NewsletterSubscriber.objects.get(email=STORED)


def test_one_click_unsubscription_works_without_a_page(subscriber):
    """Mail clients post `List-Unsubscribe=One-Click` to the link (RFC 8058): no CSRF token, no page."""
    path = f"/casi/lettre/desinscription/{link_token(subscriber)}/"
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200
    assert NewsletterSubscriber.objects.get(pk=subscriber.pk).status == SubscriberStatus.ACTIVE
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED and subscriber.unsubscribed_at
    assert client.post(path).status_code == 200  # twice: still unsubscribed, no error
    forged = client.post(f"/casi/lettre/desinscription/{link_token(subscriber)[:-2]}zz/")
    assert forged.status_code == 400


def test_preferences_are_changed_from_the_link(client, subscriber):
    path = f"/casi/lettre/preferences/{link_token(subscriber)}/"
    page = _text(client.get(path))
    assert subscriber.email in page
    response = client.post(path, {"topics": ["agenda", "trainings"], "departments": ["35", "56"]})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.topics, subscriber.departments) == (["agenda", "trainings"], ["35", "56"])

    response = client.post(path, {"topics": [], "departments": ["35"]})
    assert response.status_code == 400
    assert french("Choose at least one topic, or unsubscribe.") in _text(response)
    subscriber.refresh_from_db()
    assert subscriber.topics == ["agenda", "trainings"]


def test_a_subscribers_data_is_exported_then_erased(subscriber):
    data = subscriber_export(subscriber)
    assert data["email"] == STORED
    assert data["consent"]["source"] == "newsletter-page" and data["consent"]["date"]
    assert data["consent"]["hashed_ip_address"] == subscriber.consent_ip_hash
    link = f"/casi/lettre/preferences/{link_token(subscriber)}/"
    subscriber_erase(subscriber)
    assert not NewsletterSubscriber.objects.filter(email=STORED).exists()
    assert Client().get(link).status_code == 400
