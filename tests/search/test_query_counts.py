"""The search page makes as many queries with a handful of matches as with hundreds, and none per result."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casi_workspace.demo.scale import publications_scale
from casi_workspace.models import OrganisationPage

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

# Every synthetic item's summary says it was "générée pour les mesures de charge".
URLS = [
    "/recherche/?q=g%C3%A9n%C3%A9r%C3%A9e",
    "/recherche/?q=g%C3%A9n%C3%A9r%C3%A9e&page=2",
    "/recherche/?q=g%C3%A9n%C3%A9r%C3%A9e&type=news",
    "/recherche/?q=g%C3%A9n%C3%A9r%C3%A9e&organisation=brest-sahel-solidarite&department=29",
    "/recherche/?q=mesures+charge&type=event&page=abc",
    "/recherche/?q=solidarit%C3%A9",
]


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), response.content.decode()


def test_search_query_count_does_not_grow_with_the_results(client):
    organisations = list(OrganisationPage.objects.filter(slug__in=["brest-sahel-solidarite", "vitre-roumanie"]))
    publications_scale(count=7, organisations=organisations, report=lambda _line: None)
    client.get(URLS[0])  # content types and site root paths cached, as in any running process
    small = {}
    for url in URLS:
        small[url], html = _queries(client, url)
    first_page_small = html if False else _queries(client, URLS[0])[1]
    assert first_page_small.count('class="card search-result') == 7

    publications_scale(count=300, organisations=organisations, report=lambda _line: None)
    for url in URLS:
        count, html = _queries(client, url)
        assert count == small[url], (url, small[url], count)
    large_first_page = _queries(client, URLS[0])[1]
    # Seven rows, then ten rows, for the same number of queries: no query per row.
    assert large_first_page.count('class="card search-result') == 10
    assert "300 résultats" in large_first_page
    assert small[URLS[0]] <= 16
