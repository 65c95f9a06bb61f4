"""Clickjacking: no page with a form or personal data may be framed by another site.

tests/security/test_defaults.py checks the headers on six public listings and forms; here are the sign-in
pages, detail pages, the pages only signed-in people or link holders see, and the error pages.
"""

from __future__ import annotations

import pytest
from django.test import Client

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import (
    NewsletterIssue,
    NewsletterIssueStatus,
    NewsletterSubscriber,
    NewsPage,
    SubscriberStatus,
    WorkingGroupPage,
)
from casi_workspace.newsletter.tokens import link_token

pytestmark = pytest.mark.django_db


def _frame_ancestors(response) -> list[str]:
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        if name == "frame-ancestors":
            return values
    return []


def _news() -> str:
    return NewsPage.objects.live().public().order_by("pk").first().url


def _issue() -> str:
    return f"/lettre/{NewsletterIssue.objects.filter(status=NewsletterIssueStatus.SENT).first().pk}/"


def _preferences() -> str:
    subscriber = NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).first()
    return f"/casi/lettre/preferences/{link_token(subscriber)}/"


def _secret_group() -> str:
    return WorkingGroupPage.objects.get(slug="groupe-pays-sahel").url


def _members() -> str:
    return f"/casi/groupes/{WorkingGroupPage.objects.get(slug='ecsi').pk}/membres/"


# (address, who, expected status)
PAGES = {
    "site sign-in": (lambda: "/_util/login/", None, 200),
    "news item": (_news, None, 200),
    "organisation page": (lambda: "/annuaire/brest-sahel-solidarite/", None, 200),
    "newsletter issue": (_issue, None, 200),
    "newsletter preferences (from an email link)": (_preferences, None, 200),
    "visitor's event proposal": (lambda: "/agenda/proposer/", None, 200),
    "editor's news proposal": (lambda: "/casi/proposer/actualite/", "asso-a", 200),
    "working group library": (lambda: "/groupes/ecsi/", "membre-gt", 200),
    "group members page": (_members, "animation-gt", 200),
    "secret group refused": (_secret_group, "asso-a", 404),  # answered as a missing page
    "page not found": (lambda: "/n-existe-pas/", None, 404),
}


@pytest.mark.parametrize("page", PAGES)
def test_public_site_pages_refuse_every_frame(page):
    address, username, status = PAGES[page]
    client = Client()
    if username:
        assert client.login(username=username, password=DEFAULT_PASSWORD)
    response = client.get(address())
    assert response.status_code == status, (page, response.status_code)
    assert response["X-Frame-Options"] == "DENY", page
    assert _frame_ancestors(response) == ["'none'"], page


@pytest.mark.parametrize("address", ["/admin/login/", "/admin/password_reset/"])
def test_the_admin_sign_in_pages_refuse_frames_from_other_sites(address):
    response = Client().get(address)
    assert response.status_code == 200
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert _frame_ancestors(response) in (["'none'"], ["'self'"])


@pytest.mark.parametrize("address", ["/", "/lettre/", "/annuaire/brest-sahel-solidarite/", "/actualites/flux/rss/"])
def test_a_page_served_from_the_anonymous_cache_keeps_its_protections(address):
    """The cache keeps only a page's body and content headers: the protections must be added again on a hit."""
    first, second = Client().get(address), Client().get(address)
    assert first.status_code == second.status_code == 200
    assert second["X-Cache"] == "HIT", "the second visit is served from the cache"
    for response in (first, second):
        assert response["X-Frame-Options"] == "DENY"
        assert _frame_ancestors(response) == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]  # a shared proxy must not hand it to a signed-in person
