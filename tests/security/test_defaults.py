"""Security defaults a visitor or an attacker meets: headers on every answer, a strict Content-Security-Policy on
the public site, login throttling on every sign-in form with a French lockout page, security.txt."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from casi_workspace.demo.data import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
SITE_LOGIN = "/_util/login/"
LOCKS = "/admin/casi_workspace/connexions-bloquees/"
LIMIT = 5


def _policy(response) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("address", ["/", "/annuaire/", "/actualites/", "/lettre/", "/adherer/", "/recherche/?q=eau"])
def test_public_pages_have_a_strict_policy_and_the_security_headers(client, address):
    response = client.get(address)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_admin_has_its_own_policy_and_no_more(login):
    response = login("coordination").get("/admin/")
    policy = _policy(response)
    assert "'unsafe-inline'" in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]


def test_security_txt_names_a_contact_and_does_not_expire(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"].startswith(("mailto:", "https://"))
    expires = datetime.datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert expires > timezone.now() + datetime.timedelta(days=300)
    assert fields["Canonical"].endswith("/.well-known/security.txt")


def _fail(client, address: str, username: str, times: int = LIMIT):
    for _ in range(times):
        response = client.post(address, {"username": username, "password": "pas-le-bon"})
        assert response.status_code in (200, 429)
    return response


@pytest.mark.parametrize("address", [ADMIN_LOGIN, SITE_LOGIN])
def test_sign_in_is_locked_after_five_failures_with_a_french_page(client, address):
    _fail(client, address, "asso-a")
    locked = client.post(address, {"username": "asso-a", "password": DEFAULT_PASSWORD})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Trop de tentatives de connexion" in html and "15 minutes" in html and 'lang="fr"' in html
    assert "_auth_user_id" not in client.session  # the right password does not open a locked account
    # Another account from the same address signs in: the lock is per account and address.
    assert client.post(ADMIN_LOGIN, {"username": "asso-b", "password": DEFAULT_PASSWORD}).status_code == 302


def test_the_lockout_page_is_the_same_for_an_unknown_account(client):
    """It tells an attacker nothing about which usernames exist."""
    known = _fail(client, ADMIN_LOGIN, "asso-a", LIMIT + 1)
    unknown = _fail(client, ADMIN_LOGIN, "personne-de-tel", LIMIT + 1)
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content


def test_a_coordinator_unlocks_an_account(login):
    attacker = Client()
    _fail(attacker, ADMIN_LOGIN, "asso-a")
    assert attacker.post(ADMIN_LOGIN, {"username": "asso-a", "password": DEFAULT_PASSWORD}).status_code == 429

    coordinator = login("coordination")
    page = coordinator.get(LOCKS)
    assert page.status_code == 200 and "asso-a" in page.content.decode()
    attempt = page.context["locks"].object_list[0]
    response = coordinator.post(LOCKS, {"attempt": attempt.pk}, follow=True)
    assert "asso-a peut de nouveau se connecter." in response.content.decode()
    assert "asso-a" not in coordinator.get(LOCKS).content.decode()

    coordinator.logout()
    assert coordinator.post(ADMIN_LOGIN, {"username": "asso-a", "password": DEFAULT_PASSWORD}).status_code == 302


@pytest.mark.parametrize("forged", ["", "abc", "-1", "99999999", "9" * 40])
def test_unlocking_with_a_forged_id_changes_nothing(login, forged):
    response = login("coordination").post(LOCKS, {"attempt": forged}, follow=True)
    assert response.status_code == 200 and "n’est pas (ou plus) bloquée" in response.content.decode()


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29", "membre-gt"])
def test_only_network_coordinators_see_and_unlock_sign_ins(login, username):
    _fail(Client(), ADMIN_LOGIN, "someone-else")
    other = login(username)
    assert other.get(LOCKS).status_code == 403
    attempt = AccessAttempt.objects.get(username="someone-else")
    assert other.post(LOCKS, {"attempt": attempt.pk}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
