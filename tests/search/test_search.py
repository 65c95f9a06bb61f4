"""Site search at /recherche/: every kind and the organisations, facets that count and filter, pagination."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

from casi_workspace.models import PUBLICATION_MODELS, OrganisationPage
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

# One word of its title and one of its summary for each kind, found nowhere else in the demo.
TITLE_WORDS = {
    "news": "albatros",
    "event": "bergeronnette",
    "call": "cormoran",
    "offer": "damier",
    "training": "eider",
    "resource": "fuligule",
    "project": "goeland",
}
SUMMARY_WORDS = {
    "news": "amaryllis",
    "event": "bleuet",
    "call": "camomille",
    "offer": "digitale",
    "training": "eglantine",
    "resource": "fumeterre",
    "project": "gentiane",
}


def _search(client, **params) -> str:
    response = client.get("/recherche/", params)
    assert response.status_code == 200
    return response.content.decode()


def _total(html: str) -> int:
    match = re.search(r'class="search-count" role="status">(\d+) résultat', html)
    assert match, "no result count on the page"
    return int(match.group(1))


def _facet(html: str, name: str) -> dict[str, int]:
    """The options of one facet as {value: count}, read from each option's link."""
    section = re.search(rf'<section class="facet facet-{name}">(.*?)</section>', html, re.S)
    if not section:
        return {}
    options = {}
    for href, count in re.findall(r'<a href="([^"]+)"[^>]*>.*?<span class="count">\((\d+)\)</span>', section.group(1)):
        value = re.search(rf"{name}=([^&]+)", href.replace("&amp;", "&"))
        options[value.group(1) if value else "(selected)"] = int(count)
    return options


@pytest.fixture
def one_of_each_kind():
    return {
        kind: publication_create(
            kind,
            "brest-sahel-solidarite",
            title=f"Publication {TITLE_WORDS[kind]}",
            summary=f"Résumé avec le mot {SUMMARY_WORDS[kind]}.",
        )
        for kind in PUBLICATION_MODELS
    }


@pytest.mark.parametrize("kind", list(PUBLICATION_MODELS))
def test_every_kind_is_found_by_a_word_of_its_title_and_of_its_summary(client, one_of_each_kind, kind):
    page = one_of_each_kind[kind]
    with translation.override("fr"):
        label = capfirst(str(PUBLICATION_MODELS[kind]._meta.verbose_name))
    for word in (TITLE_WORDS[kind], SUMMARY_WORDS[kind]):
        html = _search(client, q=word)
        assert _total(html) == 1, word
        assert f'href="{page.url}"' in html
        assert f'<span class="badge">{escape(label)}</span>' in html  # its kind
        assert "Brest Sahel Solidarité" in html  # its organisation
        assert page.summary in html
        assert page.first_published_at.strftime("%Y") in html  # its date


def test_organisations_are_found_and_typed(client):
    html = _search(client, q="Madagascar")
    assert 'href="/annuaire/douarnenez-madagascar/"' in html
    assert _facet(html, "type").get("organisation", 0) >= 1


def test_facets_count_and_each_narrows_the_results(client):
    brest = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    vitre = OrganisationPage.objects.get(slug="vitre-roumanie")
    assert brest.department != vitre.department
    for _ in range(2):
        publication_create("news", brest, title="Nouvelles du pangolin")
    publication_create("event", brest, title="Fête du pangolin")
    publication_create("news", vitre, title="Le pangolin à Vitré")

    html = _search(client, q="pangolin")
    assert _total(html) == 4
    assert _facet(html, "type") == {"news": 3, "event": 1}
    assert _facet(html, "organisation") == {"brest-sahel-solidarite": 3, "vitre-roumanie": 1}
    assert _facet(html, "department") == {brest.department: 3, vitre.department: 1}

    news = _search(client, q="pangolin", type="news")
    assert _total(news) == 3
    assert "Fête du pangolin" not in news
    # A facet keeps counting its other choices once one is chosen; the others count within the choice.
    assert _facet(news, "type") == {"(selected)": 3, "event": 1}
    assert _facet(news, "organisation") == {"brest-sahel-solidarite": 2, "vitre-roumanie": 1}

    assert _total(_search(client, q="pangolin", organisation="vitre-roumanie")) == 1
    assert _total(_search(client, q="pangolin", department=brest.department)) == 3
    both = _search(client, q="pangolin", type="news", department=brest.department)
    assert _total(both) == 2
    assert "Le pangolin à Vitré" not in both
    assert _total(_search(client, q="pangolin", type="organisation")) == 0


def test_an_organisation_filter_keeps_the_organisation_and_its_publications(client):
    publication_create("news", "douarnenez-madagascar", title="Douarnenez accueille ses partenaires")
    html = _search(client, q="Douarnenez", organisation="douarnenez-madagascar")
    assert 'href="/annuaire/douarnenez-madagascar/"' in html
    assert "Douarnenez accueille ses partenaires" in html
    types = _facet(html, "type")
    assert types["organisation"] == 1 and types["news"] >= 1
    assert set(_facet(html, "organisation")) == {"(selected)"}
    assert _total(html) == sum(types.values())


@pytest.mark.parametrize(
    "params",
    [
        {"type": "bogus"},
        {"type": "organisation' OR 1=1 --"},
        {"organisation": "n-existe-pas"},
        {"organisation": "../../etc/passwd"},
        {"organisation": "a\x00b"},
        {"organisation": "x" * 5000},
        {"department": "999"},
        {"department": "2\x009"},
        {"department": "%"},
        {"department": ["29", "bogus"]},
    ],
)
def test_invalid_filter_values_are_ignored(client, params):
    publication_create("news", "brest-sahel-solidarite", title="Le tamanoir en Bretagne")
    publication_create("event", "vitre-roumanie", title="Soirée tamanoir")
    expected = _total(_search(client, q="tamanoir"))
    assert _total(_search(client, q="tamanoir", **params)) == expected == 2


def test_results_are_paginated(client):
    for number in range(23):
        publication_create("news", "brest-sahel-solidarite", title=f"Ornithorynque numéro {number}")
    first = _search(client, q="ornithorynque")
    assert _total(first) == 23
    assert first.count('class="card search-result') == 10
    assert "Page 1 sur 3" in first and 'rel="next"' in first
    last = _search(client, q="ornithorynque", page="3")
    assert last.count('class="card search-result') == 3
    seen = set()
    for page in ("1", "2", "3"):
        seen |= set(re.findall(r"Ornithorynque numéro \d+", _search(client, q="ornithorynque", page=page)))
    assert len(seen) == 23
    # Filters survive pagination.
    assert "type=news" in _search(client, q="ornithorynque", type="news")


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", "9" * 400, "1%00", "2.5", "\x00"])
def test_bad_page_numbers_never_fail(client, page):
    publication_create("news", "brest-sahel-solidarite", title="Le tatou")
    assert _total(_search(client, q="tatou", page=page)) == 1


def test_an_empty_query_shows_the_form_only(client):
    html = _search(client, q="   ", type="news")
    assert 'name="q"' in html
    assert "search-count" not in html


def test_a_search_with_very_many_matches_lists_the_newest_first_and_says_so(client, settings, page_cache_off):
    """Past SEARCH_RELEVANCE_LIMIT matches, ranking every match would be slow: results come newest first."""
    settings.SEARCH_RELEVANCE_LIMIT = 5
    response = client.get("/recherche/", {"q": "solidarité", "type": "news"})
    assert response.status_code == 200
    assert response.context["search_total"] > 5
    with translation.override("fr"):
        notice = escape(str(translation.gettext("So many results come newest first: narrow them with the filters.")))
    assert notice in response.content.decode()
    dates = [row.date for row in response.context["search_results"]]
    assert len(dates) >= 2 and dates == sorted(dates, reverse=True)

    settings.SEARCH_RELEVANCE_LIMIT = 100_000
    ranked = client.get("/recherche/", {"q": "solidarité", "type": "news"}).content.decode()
    assert notice not in ranked
