"""The sitemap: the pages themselves while they fit in one file, an index of its pages beyond, each page
with a bounded number of queries and addresses."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casi_workspace.core.sitemaps import PublicSitemap
from casi_workspace.demo.scale import organisations_scale
from casi_workspace.models import DirectoryPage, OrganisationPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

LOC = re.compile(r"<loc>([^<]+)</loc>")


def test_a_small_site_lists_its_pages_in_sitemap_xml_itself(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<urlset" in body and "<sitemapindex" not in body
    organisation = OrganisationPage.objects.live().get(slug="brest-sahel-solidarite")
    assert any(address.endswith(organisation.url) for address in LOC.findall(body))


def test_a_large_site_gets_an_index_of_pages_each_bounded(client, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as captured:
        client.get("/sitemap.xml")
    budget = len(captured.captured_queries)  # now: the connection's log keeps the last 9,000 queries only
    organisations_scale(directory=DirectoryPage.objects.get(slug="annuaire"), count=1500, report=lambda _line: None)

    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    body = index.content.decode()
    assert "<sitemapindex" in body
    pages = LOC.findall(body)
    assert len(pages) >= 2 and pages[0].endswith("/sitemap.xml?p=1")

    listed: list[str] = []
    for number, address in enumerate(pages, start=1):
        with django_assert_max_num_queries(budget, info=address):
            response = client.get(f"/sitemap.xml?p={number}")
        assert response.status_code == 200
        addresses = LOC.findall(response.content.decode())
        assert 0 < len(addresses) <= PublicSitemap.limit
        listed += addresses
    assert len(listed) == len(set(listed))  # no page twice across the files
    paths = {address.split("://", 1)[1].split("/", 1)[1] for address in listed}
    for organisation in OrganisationPage.objects.live().filter(slug__startswith="acteur-")[:1500:100]:
        assert organisation.url.lstrip("/") in paths


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "1e3", "%00"])
def test_a_bad_sitemap_page_number_is_a_404(client, page):
    organisations_scale(directory=DirectoryPage.objects.get(slug="annuaire"), count=1100, report=lambda _line: None)
    assert client.get(f"/sitemap.xml?p={page}").status_code == 404
