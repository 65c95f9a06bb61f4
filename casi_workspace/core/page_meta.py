"""What a page tells search engines and link previews: description, canonical address, Open Graph image.

One place decides it for every page type and for the plugin's own views, so that a page shared on a
social network or found in a search engine shows its own summary and picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Site

from casi_workspace.core.images import OPEN_GRAPH_FILTER, image_rendition

DESCRIPTION_LENGTH = 160
# Where each page type keeps its picture and its text, in order of preference.
IMAGE_FIELDS = ("image", "hero_image", "logo")
TEXT_FIELDS = ("search_description", "summary", "intro", "description")


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    canonical_url: str
    kind: str
    image_url: str = ""
    image_alt: str = ""
    image_width: int = 0
    image_height: int = 0


def _text_of(value) -> str:
    text = strip_tags(str(value or "")).replace("\xa0", " ")
    return " ".join(text.split())


def meta_description(page) -> str:
    """The page's search description, else its summary, introduction or description, cut at 160 characters."""
    for field in TEXT_FIELDS:
        text = _text_of(getattr(page, field, ""))
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


def site_root_url(request: HttpRequest) -> str:
    """The address the Site is configured with (the one feeds and emails use), not the request's Host."""
    site = Site.find_for_request(request)
    return site.root_url if site is not None else request.build_absolute_uri("/").rstrip("/")


def canonical_url(request: HttpRequest, page=None) -> str:
    """The page's own address (its Wagtail URL), or the view's path; only the page number survives of the query."""
    url = page.get_full_url(request) if page is not None and getattr(page, "pk", None) else None
    url = url or site_root_url(request) + escape_uri_path(request.path)
    number = request.GET.get("page", "")
    if number.isdigit() and number not in ("0", "1"):
        url += f"?page={number}"
    return url


def _absolute(request: HttpRequest, url: str) -> str:
    return site_root_url(request) + url if url.startswith("/") else url


def _image_of(page):
    for field in IMAGE_FIELDS:
        image_id = getattr(page, f"{field}_id", None)
        if image_id:
            return field, image_id, getattr(page, f"{field}_alt", "") or page.title
    return None, None, ""


def _preview_rendition(page, field: str, image_id: int):
    """The preview's rendition: from the image the page already loaded (core.images.images_attach), if it did."""
    descriptor = type(page)._meta.get_field(field)
    return image_rendition(
        descriptor.get_cached_value(page) if descriptor.is_cached(page) else image_id, OPEN_GRAPH_FILTER
    )


def page_meta(
    request: HttpRequest, page=None, *, title: str = "", description: str = "", site_name: str = ""
) -> PageMeta:
    """A page without any text of its own (a search, a form) is described as the network's site."""
    description = description or (meta_description(page) if page is not None else "")
    if not description:
        description = _("%(site_name)s — a network of international-solidarity actors.") % {
            "site_name": site_name or "CASI"
        }
    field, image_id, image_alt = _image_of(page) if page is not None else (None, None, "")
    rendition = _preview_rendition(page, field, image_id) if image_id else None
    return PageMeta(
        title=title or getattr(page, "seo_title", "") or getattr(page, "title", "") or site_name,
        description=description,
        canonical_url=canonical_url(request, page),
        kind="article" if page is not None and hasattr(page, "summary") else "website",
        image_url=_absolute(request, rendition.url) if rendition is not None else "",
        image_alt=image_alt,
        image_width=rendition.width if rendition is not None else 0,
        image_height=rendition.height if rendition is not None else 0,
    )
