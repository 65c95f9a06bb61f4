"""Every public page makes the same number of queries with a small network and a large one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casi_workspace.demo.scale import organisations_scale
from casi_workspace.models import DirectoryPage

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

PUBLIC_URLS = [
    "/",
    "/actualites/",
    "/agenda/",
    "/groupes/",
    "/groupes/ecsi/",
    "/adherer/",
    "/lettre/",
    "/recherche/?q=solidarit%C3%A9",
    "/recherche/?q=acteur&page=3",
    "/n-existe-pas/",
]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context.captured_queries)


def test_public_pages_query_counts_do_not_grow(client, django_assert_max_num_queries):
    small = {url: _count(client, url) for url in PUBLIC_URLS}
    organisations_scale(directory=DirectoryPage.objects.get(slug="annuaire"), count=1000, report=lambda _line: None)
    for url, count in small.items():
        with django_assert_max_num_queries(count, info=url):
            client.get(url)


def test_the_page_tree_has_an_index_for_children_by_depth_and_path():
    """Menus and lists of children look pages up by (depth, path) instead of reading the whole subtree."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "wagtailcore_page")
    assert constraints["casi_page_depth_path"]["columns"] == ["depth", "path"]
    assert constraints["casi_page_depth_path"]["index"]
