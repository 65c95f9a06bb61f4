"""Breadcrumbs: every page but the home page shows its trail of public ancestors, at no query once cached."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from casi_workspace.core import breadcrumbs
from casi_workspace.models import OrganisationPage
from tests.publications.helpers import publication_create

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

BREST = "brest-sahel-solidarite"


def _trail(html: str) -> list[tuple[str, str]]:
    """(text, link or "current") of each crumb of the site's breadcrumbs."""
    nav = re.search(r'<nav class="breadcrumbs" aria-label="Fil d(?:\x27|&#x27;)Ariane">(.*?)</nav>', html, re.S)
    if nav is None:
        return []
    crumbs = re.findall(r'<li>(?:<a href="([^"]*)">|<span aria-current="page">)([^<]*)<', nav.group(1))
    return [(text, href or "current") for href, text in crumbs]


def _warm_queries(client, url: str) -> int:
    cache.clear()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_a_news_item_shows_its_trail_from_the_home_page(client):
    news = publication_create("news", BREST, title="Une actualité à suivre")
    assert _trail(client.get(news.url).content.decode()) == [
        ("Accueil", "/"),
        ("Annuaire des acteurs", "/annuaire/"),
        ("Brest Sahel Solidarité", "/annuaire/brest-sahel-solidarite/"),
        ("Une actualité à suivre", "current"),
    ]


def test_the_home_page_has_no_breadcrumbs(client):
    assert 'class="breadcrumbs"' not in client.get("/").content.decode()


def test_a_section_sub_address_links_back_to_its_section(client):
    """/agenda/proposer/ is the events index's form: the index is a link, nothing claims to be this page."""
    assert _trail(client.get("/agenda/proposer/").content.decode()) == [("Accueil", "/"), ("Agenda", "/agenda/")]


def test_a_private_ancestor_is_never_listed(client, login):
    organisation = OrganisationPage.objects.get(slug=BREST)
    news = publication_create("news", organisation, title="Réservée aux membres")
    PageViewRestriction.objects.create(page=organisation, restriction_type=PageViewRestriction.LOGIN)

    signed_in = login("membre-gt")
    trail = _trail(signed_in.get(news.url).content.decode())
    assert trail == [("Accueil", "/"), ("Annuaire des acteurs", "/annuaire/"), ("Réservée aux membres", "current")]
    assert "Brest Sahel Solidarité" not in [text for text, _link in trail]


def test_an_unpublished_ancestor_is_never_listed(client):
    news = publication_create("news", BREST, title="Sous une rubrique")
    parent = news.get_parent()
    grandchild = news.add_child(instance=type(news)(title="Plus bas", slug="plus-bas", owner=news.owner))
    grandchild.save_revision().publish()
    news.unpublish()
    trail = _trail(client.get(grandchild.url).content.decode())
    assert [text for text, _link in trail] == ["Accueil", "Annuaire des acteurs", parent.title, "Plus bas"]


def test_breadcrumbs_add_no_query_to_a_page_once_cached(client, monkeypatch):
    news = publication_create("news", BREST)
    with_trail = _warm_queries(client, news.url)
    monkeypatch.setattr(breadcrumbs, "_ancestors", lambda *args: ())
    without_trail = _warm_queries(client, news.url)
    assert with_trail == without_trail


def test_breadcrumbs_cost_the_same_queries_with_a_small_and_a_large_network(client, django_assert_max_num_queries):
    news = publication_create("news", BREST)
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        client.get(news.url)
    for number in range(40):
        publication_create("news", BREST, title=f"Actualité voisine {number}")
    deeper = news
    for level in range(4):
        child = type(news)(title=f"Niveau {level}", slug=f"niveau-{level}", owner=news.owner)
        deeper = deeper.add_child(instance=child)
        deeper.save_revision().publish()
    cache.clear()
    with django_assert_max_num_queries(len(small)):
        response = client.get(news.url)
    assert len(_trail(response.content.decode())) == 4
    assert len(_trail(client.get(deeper.url).content.decode())) == 8
