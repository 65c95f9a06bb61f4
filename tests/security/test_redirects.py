"""Open redirects after sign-in, and links in emails that a forged Host header would point elsewhere.

A phishing link to the real sign-in page with `next=` pointing at the attacker's site must, once the person
has signed in, leave them on this site.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from casi_workspace.demo.data import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN_FORMS = ["/admin/login/", "/_util/login/"]
HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "/\t/evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(1)",
]


def _stays_on_the_site(location: str) -> None:
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https"), location
    assert parts.netloc in ("", "testserver"), location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil.example" not in location.split("?")[0], location


@pytest.mark.parametrize("next_url", HOSTILE_NEXT)
@pytest.mark.parametrize("address", SIGN_IN_FORMS)
def test_signing_in_never_redirects_off_the_site(address, next_url):
    client = Client()
    page = client.get(address, {"next": next_url})
    assert page.status_code == 200
    response = client.post(
        f"{address}?{urlencode({'next': next_url})}",
        {"username": "asso-a", "password": DEFAULT_PASSWORD, "next": next_url},
    )
    assert response.status_code == 302, response.status_code
    _stays_on_the_site(response["Location"])
    assert "_auth_user_id" in client.session  # the sign-in itself worked


@pytest.mark.parametrize("next_url", HOSTILE_NEXT[:3])
def test_a_signed_in_person_sent_to_the_login_page_stays_on_the_site(login, next_url):
    response = login("asso-a").get("/admin/login/", {"next": next_url})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        _stays_on_the_site(response["Location"])


def test_a_safe_next_is_still_followed():
    """The control: a path of the site is where the person lands."""
    client = Client()
    response = client.post("/admin/login/", {"username": "asso-a", "password": DEFAULT_PASSWORD, "next": "/groupes/"})
    assert response["Location"] == "/groupes/"


# --- Host header poisoning of the links in emails ------------------------------------------------------------


def _links(body: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", body)


def test_a_forged_host_does_not_reach_the_password_reset_link():
    response = Client(HTTP_HOST="evil.example").post("/admin/password_reset/", {"email": "asso-a@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    links = _links(message.body)
    assert links and all(urlsplit(link).netloc == "testserver" for link in links), links


def test_a_forged_host_does_not_reach_the_newsletter_confirmation_link(django_capture_on_commit_callbacks):
    cache.clear()  # the subscription rate limit counts in the cache
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(HTTP_HOST="evil.example").post("/lettre/", {"email": "hote-force@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    links = _links(message.body) + _links(html)
    assert links and all(urlsplit(link).netloc == "testserver" for link in links), links
