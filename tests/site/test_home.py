"""The home page: latest news, next events, open calls, and the newsletter signup."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from tests.publications.helpers import publication_create

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

BREST = "brest-sahel-solidarite"
INDEXES = {"home-news": "/actualites/", "home-events": "/agenda/", "home-calls": "/appels-a-projets/"}


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def _titles(section: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', section)


def test_the_home_page_shows_the_latest_news_the_next_events_and_the_open_calls(client):
    now = timezone.now()
    news = [publication_create("news", BREST) for _ in range(4)]  # published one after the other
    soon = [now + datetime.timedelta(minutes=minutes) for minutes in (30, 10, 20, 40)]
    events = [publication_create("event", "casi-bretagne", start=start, end=None) for start in soon]
    past_event = publication_create("event", BREST, start=now - datetime.timedelta(days=2), end=None)
    closed_call = publication_create("call", BREST, deadline=timezone.localdate() - datetime.timedelta(days=1))
    open_call = publication_create("call", BREST, deadline=timezone.localdate())
    draft_news = publication_create("news", BREST, live=False)

    html = client.get("/").content.decode()

    latest = _titles(_section(html, "home-news"))
    assert latest[:3] == [news[3].title, news[2].title, news[1].title]
    assert len(latest) == 3 and draft_news.title not in latest
    upcoming = _titles(_section(html, "home-events"))
    assert upcoming == [events[1].title, events[2].title, events[0].title]
    assert past_event.title not in upcoming
    calls = _titles(_section(html, "home-calls"))
    assert calls[0] == open_call.title and closed_call.title not in calls
    for heading, index in (
        ("home-news", "/actualites/"),
        ("home-events", "/agenda/"),
        ("home-calls", "/appels-a-projets/"),
    ):
        assert f'href="{index}"' in _section(html, heading)


def test_a_private_item_stays_off_the_home_page(client):
    private = publication_create("news", BREST)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert private.title not in client.get("/").content.decode()


def test_the_newsletter_signup_is_an_accessible_form_to_the_newsletter_page(client):
    html = client.get("/").content.decode()
    signup = _section(html, "home-newsletter")

    assert 'action="/lettre/"' in signup and 'method="post"' in signup
    assert '<label for="home-newsletter-email">' in signup
    assert 'type="email" id="home-newsletter-email" name="email" required autocomplete="email"' in signup
    assert "csrfmiddlewaretoken" in signup


def _count(client) -> int:
    client.get("/")
    with CaptureQueriesContext(connection) as context:
        assert client.get("/").status_code == 200
    return len(context.captured_queries)


def test_the_home_page_makes_as_many_queries_with_many_publications_as_with_a_few(client):
    for kind in ("news", "event", "call"):
        publication_create(kind, BREST)
    few = _count(client)
    for _ in range(4):
        for kind in ("news", "event", "call"):
            publication_create(kind, "casi-bretagne", tags=["Accueil"])

    assert _count(client) == few
    assert few <= 15


def test_a_private_section_stays_out_of_the_menu(client):
    """The menu filters private sections inside its one query: same result as Wagtail's `.public()`."""
    groups = Page.objects.get(depth=3, slug="groupes")
    assert 'href="/groupes/"' in client.get("/").content.decode()

    PageViewRestriction.objects.create(page=groups, restriction_type=PageViewRestriction.LOGIN)

    assert 'href="/groupes/"' not in client.get("/").content.decode().split("</header>")[0]
