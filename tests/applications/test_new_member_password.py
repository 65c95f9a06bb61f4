"""A new member chooses a password; nobody "resets" one they never had.

The approval email's link opens Wagtail's password form: for an account without a password yet it reads
"Choisir votre mot de passe" and its button "Définir mon mot de passe"; a member who forgot theirs still
gets Wagtail's own reset page.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from casi_workspace.applications.services import application_approve

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "Kerhuon-Bamako-2026!"


def _text(response) -> str:
    return unescape(response.content.decode())


def _title(html: str) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split())


@pytest.fixture
def approved(make_application, django_capture_on_commit_callbacks) -> tuple[str, str]:
    """The approval email of a new member: its text part and its HTML part."""
    coordinator = User.objects.get(username="coordination")
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=make_application(), user=coordinator)
    (email,) = mail.outbox
    html, _mimetype = email.alternatives[0]
    return email.body, unescape(html)


def test_the_approval_email_asks_the_new_member_to_choose_a_password(approved):
    body, html = approved
    for part in (body, html):
        assert "Choisissez votre mot de passe avec ce lien" in part
        assert "initialis" not in part.lower()
    assert "Choisir mon mot de passe" in html


def test_the_new_members_password_page_says_choose_not_reset(approved):
    body, _html = approved
    link = re.search(r"http://testserver(/admin/password_reset/confirm/[^/\s]+/[^/\s]+/)", body).group(1)
    browser = Client()
    form_url = browser.get(link)["Location"]

    page = _text(browser.get(form_url))
    assert _title(page).startswith("Choisir votre mot de passe")
    assert "<h1>Choisir votre mot de passe</h1>" in page
    assert '<button type="submit" class="button">Définir mon mot de passe</button>' in page
    assert "nolwenn@sqb.example.org" in page  # their username
    assert "Réinitialiser" not in page and "nouveau mot de passe</h1>" not in page

    # A mistake shows the same page again, with the same words.
    mismatch = _text(browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "autre-chose-2026"}))
    assert "<h1>Choisir votre mot de passe</h1>" in mismatch and "Réinitialiser" not in mismatch

    response = browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    done = _text(response)
    assert _title(done).startswith("Votre mot de passe est enregistré")
    assert "Réinitialiser" not in done
    assert Client().login(username="nolwenn@sqb.example.org", password=NEW_PASSWORD)


def test_a_member_who_forgot_their_password_still_gets_wagtails_reset_page():
    member = User.objects.get(username="asso-a")
    assert member.has_usable_password()
    link = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(member.pk)),
            "token": default_token_generator.make_token(member),
        },
    )
    browser = Client()
    page = _text(browser.get(browser.get(link)["Location"]))
    assert "Choisir votre mot de passe" not in page
    assert "Définissez votre nouveau mot de passe" in page
