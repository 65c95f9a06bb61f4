"""The home page: its hero, the latest news, next events, open calls and members as cards, the newsletter signup."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, PageViewRestriction

from casi_workspace.models import OrganisationPage, PublicationPage
from home.models import HomePage
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
    # The request, the sections and their private pages, each list (news, events, calls, members), the
    # sections' links, the images with their renditions, the page's sharing picture and the menu.
    assert few <= 17


def test_a_private_section_stays_out_of_the_menu(client):
    """The menu filters private sections inside its one query: same result as Wagtail's `.public()`."""
    groups = Page.objects.get(depth=3, slug="groupes")
    assert 'href="/groupes/"' in client.get("/").content.decode()

    PageViewRestriction.objects.create(page=groups, restriction_type=PageViewRestriction.LOGIN)

    assert 'href="/groupes/"' not in client.get("/").content.decode().split("</header>")[0]


def _image(title: str = "Photo"):
    return get_image_model().objects.create(title=title, file=get_test_image_file(size=(1200, 675)))


def _imgs(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def _card(html: str, title: str) -> str:
    """The card (list item) whose title is `title`."""
    end = html.index(f">{title}</a></h3>")
    start = html.rindex("<li ", 0, end)
    return html[start : html.index("</li>", end)]


def test_the_hero_shows_the_headline_a_picture_and_the_two_main_calls_to_action(client):
    html = client.get("/").content.decode()
    hero = _section(html, "home-title")

    assert '<h1 id="home-title">Agir ensemble pour la solidarité internationale en Bretagne</h1>' in hero
    (picture,) = _imgs(hero)
    assert 'alt=""' in picture  # the demo's picture is abstract: decorative, the headline says it all
    assert 'width="640"' in picture and 'height="360"' in picture
    assert ".webp 1200w" in picture and 'sizes="' in picture
    assert 'loading="lazy"' not in picture  # the first thing seen: loaded at once
    assert '<a class="button button-primary" href="/annuaire/">Découvrir les acteurs</a>' in hero
    assert '<a class="button button-secondary" href="/adherer/">Adhérer au réseau</a>' in hero


def test_the_hero_picture_says_what_the_editor_wrote_of_it(client):
    home = HomePage.objects.get()
    home.hero_image = _image("Fête des solidarités")
    home.hero_image_alt = "Des bénévoles tiennent le stand du réseau"
    home.save_revision().publish()

    (picture,) = _imgs(_section(client.get("/").content.decode(), "home-title"))

    assert 'alt="Des bénévoles tiennent le stand du réseau"' in picture


def test_a_home_page_without_picture_shows_its_text_alone(client):
    home = HomePage.objects.get()
    home.hero_image = None
    home.save_revision().publish()

    hero = _section(client.get("/").content.decode(), "home-title")

    assert not _imgs(hero) and "home-hero-with-image" not in hero
    assert "Découvrir les acteurs" in hero


def test_cards_show_their_picture_sized_and_loaded_lazily_or_a_plain_band(client):
    with_picture = publication_create("news", BREST, image=_image(), image_alt="Un puits au Mali")
    without = publication_create("news", BREST)

    news = _section(client.get("/").content.decode(), "home-news")

    (picture,) = _imgs(_card(news, with_picture.title))
    assert 'width="480"' in picture and 'height="270"' in picture
    assert 'loading="lazy"' in picture and ".webp 960w" in picture
    assert 'alt=""' in picture  # the card's title names it; its page describes the picture
    plain = _card(news, without.title)
    assert not _imgs(plain) and 'class="card-media card-media-placeholder" aria-hidden="true"' in plain
    assert f'href="{with_picture.get_parent().url}">Brest Sahel Solidarité</a>' in _card(news, with_picture.title)


def test_an_event_card_shows_its_day_and_month(client):
    start = (timezone.now() + datetime.timedelta(minutes=30)).replace(second=0, microsecond=0)
    event = publication_create("event", BREST, start=start, end=None, image=_image(), image_alt="Affiche")

    card = _card(_section(client.get("/").content.decode(), "home-events"), event.title)

    local = timezone.localtime(start)
    assert f'<p class="date-badge" aria-hidden="true"><time datetime="{local:%Y-%m-%d}">' in card
    assert f'<span class="date-badge-day">{local.day}</span>' in card


def test_the_members_section_shows_organisations_with_their_logo(client):
    html = client.get("/").content.decode()
    members = _section(html, "home-members")

    cards = re.findall(r'<li class="card organisation-card">.*?</li>', members)
    assert len(cards) == 6
    for card in cards:
        (logo,) = _imgs(card)
        assert 'alt=""' in logo and 'loading="lazy"' in logo and 'width="96"' in logo and 'height="96"' in logo
        assert re.search(r'<h3><a href="/annuaire/[^/"]+/">', card)
    assert 'href="/annuaire/">Tous les acteurs</a>' in members


def _member_titles(client) -> list[str]:
    section = _section(client.get("/").content.decode(), "home-members")
    return [unescape(title) for title in re.findall(r'<h3><a href="[^"]+">([^<]+)</a>', section)]


def test_a_member_unpublished_or_private_is_not_shown(client):
    first, second, *_others = _member_titles(client)
    OrganisationPage.objects.filter(title=first).update(live=False)
    PageViewRestriction.objects.create(
        page=OrganisationPage.objects.get(title=second), restriction_type=PageViewRestriction.LOGIN
    )

    shown = _member_titles(client)

    assert first not in shown and second not in shown and len(shown) == 6


def test_the_home_page_names_no_account(client):
    author = User.objects.create_user("redactrice-cachee", email="redactrice-cachee@example.org")
    publication_create("news", BREST, owner=author)

    html = client.get("/").content.decode()

    assert "redactrice-cachee" not in html


def _news_event_call_with_pictures(organisation: str, count: int) -> None:
    for number in range(count):
        for kind in ("news", "event", "call"):
            publication_create(kind, organisation, image=_image(f"{kind} {number}"), image_alt="Illustration")


def test_the_query_count_stays_the_same_from_one_card_to_full_lists(client, django_assert_max_num_queries):
    """One card per list, each with its picture, then full lists of distinct pictures and new logos."""
    PublicationPage.objects.filter(kind__in=["news", "event", "call"]).update(live=False)
    _news_event_call_with_pictures(BREST, 1)
    client.get("/")  # the renditions are made once, at the first visit
    with CaptureQueriesContext(connection) as few:
        small = client.get("/").content.decode()
    few_queries = len(few)  # now: the connection keeps the last queries only, and many follow
    assert small.count('class="card publication-card') == 3

    _news_event_call_with_pictures("casi-bretagne", 4)
    for organisation in OrganisationPage.objects.filter(membership_status="member"):
        OrganisationPage.objects.filter(pk=organisation.pk).update(logo=_image(f"Logo {organisation.pk}"))
    client.get("/")

    with django_assert_max_num_queries(few_queries):
        large = client.get("/").content.decode()
    assert large.count('class="card publication-card') == 9
    assert large.count('loading="lazy"') == 9 + 6  # every card of the three lists and every logo
