"""The helpers every public form and every page-creating service share: the rate limit and the page slug."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.crypto import salted_hmac
from wagtail.models import Page, Site

from casi_workspace.core.ratelimit import client_address_hash, rate_limit_exceeded
from casi_workspace.core.slugs import page_slug_available
from casi_workspace.models import DirectoryPage, MembershipApplication, NewsletterSubscriber

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.4"


@pytest.fixture
def directory() -> DirectoryPage:
    return DirectoryPage.objects.get(slug="annuaire")


def _application(email: str) -> dict[str, str]:
    return {
        "organisation_name": "Solidarité Quimper Bénin",
        "actor_type": "association",
        "postcode": "29000",
        "commune": "Quimper",
        "department": "29",
        "contact_name": "Nolwenn Le Goff",
        "contact_email": email,
        "motivation": "Nous soutenons deux écoles à Abomey et animons des rencontres dans les lycées.",
        "consent": "on",
    }


# The rate limit


def test_the_limit_refuses_the_submission_after_the_limit_within_the_window():
    assert [rate_limit_exceeded("applications", ADDRESS, 3) for _ in range(5)] == [False, False, False, True, True]


def test_each_address_has_its_own_count():
    assert not rate_limit_exceeded("applications", ADDRESS, 1)
    assert rate_limit_exceeded("applications", ADDRESS, 1)
    assert not rate_limit_exceeded("applications", OTHER_ADDRESS, 1)


def test_two_scopes_do_not_share_a_count():
    assert not rate_limit_exceeded("newsletter", ADDRESS, 1)
    assert rate_limit_exceeded("newsletter", ADDRESS, 1)
    assert not rate_limit_exceeded("applications", ADDRESS, 1)
    assert not rate_limit_exceeded("proposals", ADDRESS, 1)


@pytest.mark.parametrize("limit", [0, None])
def test_no_limit_when_the_setting_is_off(limit):
    assert not any(rate_limit_exceeded("applications", ADDRESS, limit) for _ in range(20))


def test_a_full_newsletter_window_leaves_the_membership_form_open(settings):
    settings.CASI_WORKSPACE_NEWSLETTER_RATE_LIMIT = 1
    settings.CASI_WORKSPACE_APPLICATION_RATE_LIMIT = 1
    client = Client(REMOTE_ADDR=ADDRESS)
    assert client.post("/lettre/", {"email": "lectrice@example.org"}).status_code == 302
    assert client.post("/lettre/", {"email": "lecteur@example.org"}).status_code == 429
    assert client.post("/adherer/", _application("contact@sqb.example.org")).status_code == 302
    assert client.post("/adherer/", _application("autre@sqb.example.org")).status_code == 429


def test_the_hash_never_contains_the_address_and_differs_per_scope():
    hashes = {scope: client_address_hash(scope, ADDRESS) for scope in ("applications", "proposals", "newsletter")}
    assert len(set(hashes.values())) == 3
    for value in hashes.values():
        assert len(value) == 64
        assert ADDRESS not in value and ADDRESS.replace(".", "") not in value


def test_the_hash_keeps_the_salts_already_stored_hashes_were_made_with():
    for scope in ("applications", "proposals", "newsletter"):
        expected = salted_hmac(f"casi_workspace.{scope}.ip", ADDRESS, algorithm="sha256").hexdigest()
        assert client_address_hash(scope, ADDRESS) == expected


def test_the_forms_store_the_hash_of_the_client_address():
    client = Client(REMOTE_ADDR=ADDRESS)
    client.post("/lettre/", {"email": "lectrice@example.org"})
    client.post("/adherer/", _application("contact@sqb.example.org"))
    subscriber = NewsletterSubscriber.objects.get(email="lectrice@example.org")
    application = MembershipApplication.objects.get(contact_email="contact@sqb.example.org")
    assert subscriber.consent_ip_hash == client_address_hash("newsletter", ADDRESS)
    assert application.ip_hash == client_address_hash("applications", ADDRESS)


# The page slug


def test_accents_are_kept_when_wagtail_allows_unicode_slugs(settings, directory):
    settings.WAGTAIL_ALLOW_UNICODE_SLUGS = True
    assert page_slug_available(directory, "Solidarité Quimper Bénin", fallback="structure") == (
        "solidarité-quimper-bénin"
    )


def test_the_slug_is_ascii_when_wagtail_does_not_allow_unicode_slugs(settings, directory):
    settings.WAGTAIL_ALLOW_UNICODE_SLUGS = False
    assert page_slug_available(directory, "Solidarité Quimper Bénin", fallback="structure") == (
        "solidarite-quimper-benin"
    )


def test_a_slug_taken_by_a_sibling_is_numbered(directory):
    assert directory.get_children().filter(slug="brest-sahel-solidarite").exists()
    assert page_slug_available(directory, "Brest Sahel Solidarite", fallback="structure") == "brest-sahel-solidarite-1"
    directory.add_child(instance=Page(title="Brest Sahel Solidarite", slug="brest-sahel-solidarite-1"))
    assert page_slug_available(directory, "Brest Sahel Solidarite", fallback="structure") == "brest-sahel-solidarite-2"


def test_a_slug_taken_elsewhere_in_the_tree_is_free(directory):
    home = Site.objects.get(is_default_site=True).root_page
    assert not home.get_children().filter(slug="brest-sahel-solidarite").exists()
    assert page_slug_available(home, "Brest Sahel Solidarite", fallback="page") == "brest-sahel-solidarite"


@pytest.mark.parametrize("title", ["", "   ", "!?…", "---"])
def test_a_title_with_nothing_to_slugify_gets_the_fallback(directory, title):
    assert page_slug_available(directory, title, fallback="structure") == "structure"


def test_a_long_title_is_cut_without_a_trailing_hyphen(directory):
    slug = page_slug_available(directory, "a" * 199 + " b" + "c" * 100, fallback="structure")
    assert slug == "a" * 199
