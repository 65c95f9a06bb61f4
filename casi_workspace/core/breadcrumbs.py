"""The breadcrumb trail of a page: its live, public ancestors from the site's home page, in one query.

The trail is the same for everyone (private ancestors are never listed, even to those who may read them), so
it is kept in the cache under the anonymous page cache's generation: a page published, moved, unpublished
or restricted starts a new one. Once warm, a page's breadcrumbs cost no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from wagtail.models import Page, Site

from casi_workspace.core.page_cache import GENERATION_KEY
from casi_workspace.core.visibility import pages_exclude_private

CRUMBS_KEY = "casi:crumbs:{generation}:{site}:{page}"
CRUMBS_SECONDS = 60 * 60


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str
    current: bool = False


def _ancestors(page: Page, site: Site, request: HttpRequest) -> tuple[Crumb, ...]:
    ancestors = pages_exclude_private(Page.objects.ancestor_of(page).live().filter(depth__gt=1))
    ancestors = list(ancestors.only("id", "title", "url_path", "path", "depth").order_by("path"))
    root = next((index for index, ancestor in enumerate(ancestors) if ancestor.pk == site.root_page_id), None)
    if root is None:  # outside the site's tree, or under a private page
        return ()
    return tuple(Crumb(title=ancestor.title, url=ancestor.get_url(request) or "") for ancestor in ancestors[root:])


def breadcrumbs_for(page, request: HttpRequest | None) -> list[Crumb]:
    """From the home page to `page`; empty on the home page, outside the site, or for a view that is no page's.

    The page itself comes last, the current one (`aria-current`) unless the address is one of its
    sub-addresses (a form, a filter), where it is a link back to it.
    """
    if request is None or not isinstance(page, Page) or page.depth <= 1:
        return []
    site = Site.find_for_request(request)
    if site is None or page.pk == site.root_page_id:
        return []
    generation = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    key = CRUMBS_KEY.format(generation=generation, site=site.pk, page=page.pk)
    ancestors = cache.get(key)
    if ancestors is None:
        ancestors = _ancestors(page, site, request)
        cache.set(key, ancestors, CRUMBS_SECONDS)
    if not ancestors:
        return []
    url = page.get_url(request) or ""
    return [*ancestors, Crumb(title=page.title, url=url, current=request.path == url)]
