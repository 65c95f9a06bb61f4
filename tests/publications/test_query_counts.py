"""Indexes, feeds, the agenda's calendar and search make as many queries with 2,000 items of a kind as with 10."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casi_workspace.demo.scale import publications_scale
from casi_workspace.models import PUBLICATION_MODELS, OrganisationPage, PublicationPage
from tests.publications.helpers import INDEXES

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

SMALL, LARGE = 10, 2000
FEEDS = [
    "/actualites/flux/rss/",
    "/actualites/flux/atom/",
    "/agenda/flux/rss/",
    "/annuaire/brest-sahel-solidarite/flux/rss/",
    "/annuaire/brest-sahel-solidarite/flux/atom/",
    "/agenda/calendrier/",
]
SEARCH = ["/recherche/?q=solidarite"]
MAX_LISTING, MAX_DETAIL = 16, 12  # listings: one more for the cards' pictures and their renditions


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def _details() -> dict[str, str]:
    """One synthetic item of each kind (the first one made, so the same at both sizes)."""
    first = {}
    for kind in PUBLICATION_MODELS:
        page = PublicationPage.objects.filter(kind=kind, slug__startswith="publication-synthetique-").order_by("pk")
        first[kind] = page.first().url
    return first


def test_query_counts_do_not_grow_with_the_number_of_publications(client):
    kinds = len(PUBLICATION_MODELS)
    brest = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    network = OrganisationPage.objects.get(slug="casi-bretagne")
    # Ten items of each kind, some of them Brest Sahel Solidarité's (its feed is measured too).
    publications_scale(count=SMALL * kinds, organisations=[brest, network], report=lambda _line: None)
    details = _details()
    urls = [*INDEXES.values(), *FEEDS, *SEARCH, *details.values()]
    for url in urls:
        client.get(url)  # warm the process-wide caches (content types, site root paths) first
    small = {url: _queries(client, url) for url in urls}

    # Then 2,000 of each kind, spread over every organisation.
    publications_scale(count=LARGE * kinds, report=lambda _line: None)
    assert PublicationPage.objects.filter(kind="news", slug__startswith="publication-synthetique-").count() == LARGE
    assert _details() == details
    for url in urls:
        client.get(url)  # the new first pages' pictures get their renditions, made once per image
    large = {url: _queries(client, url) for url in urls}

    assert large == small
    for url in [*INDEXES.values(), *FEEDS, *SEARCH]:
        assert large[url] <= MAX_LISTING, (url, large[url])
    for url in details.values():
        assert large[url] <= MAX_DETAIL, (url, large[url])
