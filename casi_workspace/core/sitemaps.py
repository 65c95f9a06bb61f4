"""The sitemap of the public pages: one file while they fit in one, an index of its pages beyond."""

from __future__ import annotations

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail.contrib.sitemaps import Sitemap

from casi_workspace.core.visibility import pages_public


class PublicSitemap(Sitemap):
    """Wagtail's sitemap, its pages filtered by `pages_public` rather than `.public()` (one clause per view
    restriction, too many for SQLite once working groups have many folders), 1,000 pages per file."""

    limit = 1000

    def items(self) -> QuerySet:
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True).live()
        return pages_public(pages).order_by("path").defer_streamfields().specific()


@x_robots_tag
def sitemap(request: HttpRequest) -> HttpResponse:
    """`/sitemap.xml`: the pages themselves while they fit in one file, otherwise a sitemap index naming
    `/sitemap.xml?p=1`, `?p=2`…, each answered like Django's sitemap view (404 past the last)."""
    section = PublicSitemap(request)
    if "p" in request.GET or section.paginator.num_pages <= 1:
        return django_sitemap(request, {"pages": section})
    address = request.build_absolute_uri(request.path)
    items = [SitemapIndexItem(f"{address}?p={number}", None) for number in section.paginator.page_range]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")
