"""Account and subscriber enumeration: the answers must not tell which accounts or addresses exist.

tests/security/test_defaults.py compares the lockout pages, tests/newsletter/test_subscription.py the redirect
of a pending and a new address; here are the sign-in forms' error pages, Wagtail's password reset, and the
newsletter form for a confirmed and an unsubscribed address, compared page for page.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from casi_workspace.models import NewsletterSubscriber, SubscriberStatus
from tests.helpers import french

from .support import content

pytestmark = pytest.mark.django_db

# What differs between two renderings of the same page: the CSRF token, and the username typed back in.
_VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken" value=""'),
    (re.compile(r'"CSRF_TOKEN": "[^"]+"'), '"CSRF_TOKEN": ""'),
]


def _normalised(response, typed: str = "") -> str:
    text = content(response)
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text.replace(typed, "<typed>") if typed else text


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("address", ["/admin/login/", "/_util/login/"])
def test_a_wrong_password_and_an_unknown_account_get_the_same_page(address):
    """One failure each, under two names: far from the lockout, which test_defaults covers."""
    known, unknown = "membre-gt-2", "personne-inconnue-du-reseau"
    assert get_user_model().objects.filter(username=known).exists()
    assert not get_user_model().objects.filter(username=unknown).exists()
    wrong_password = Client().post(address, {"username": known, "password": "pas-le-bon"})
    no_account = Client().post(address, {"username": unknown, "password": "pas-le-bon"})
    assert wrong_password.status_code == no_account.status_code == 200
    assert _normalised(wrong_password, known) == _normalised(no_account, unknown)


def test_the_password_reset_answers_the_same_for_a_known_and_an_unknown_address():
    known = get_user_model().objects.get(username="asso-a").email
    answers = {}
    for email in (known, "inconnu-du-reseau@example.org", known.upper()):
        client = Client()
        response = client.post("/admin/password_reset/", {"email": email})
        assert response.status_code == 302, email
        followed = client.get(response["Location"])
        answers[email] = (response["Location"], followed.status_code, _normalised(followed))
    assert len(set(answers.values())) == 1
    # Only the owner of the known address is written to.
    assert {address for message in mail.outbox for address in message.to} == {known}


def _subscriber(status: str) -> NewsletterSubscriber:
    return NewsletterSubscriber.objects.filter(status=status).order_by("pk").first()


@pytest.mark.parametrize("source", ["newsletter-page", "home-page"])
def test_the_newsletter_form_answers_the_same_for_a_subscribed_an_unsubscribed_and_a_new_address(
    source, django_capture_on_commit_callbacks
):
    active, unsubscribed = _subscriber(SubscriberStatus.ACTIVE), _subscriber(SubscriberStatus.UNSUBSCRIBED)
    assert active is not None and unsubscribed is not None  # the demo has both
    pages = {}
    for email in (active.email, unsubscribed.email, "lectrice-nouvelle@example.org"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/lettre/", {"email": email, "source": source})
        assert response.status_code == 302, email
        followed = client.get(response["Location"])
        pages[email] = (response["Location"], followed.status_code, _normalised(followed))
    assert len(set(pages.values())) == 1
    assert french("Check your mailbox") in pages[active.email][2]
    # What differs is only what each mailbox receives.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(pages)
