"""The public pages' markup: no inline style or script (the CSP refuses them), the header's menu button."""

from __future__ import annotations

import re

import pytest
from wagtail.models import Site

from casi_workspace.models import SiteBrand
from tests.helpers import PUBLIC_PAGES
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.S)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.S)


@pytest.fixture
def pages(client) -> list[str]:
    news = publication_create("news", "brest-sahel-solidarite", summary="Un résumé.", tags=["Eau"])
    event = publication_create("event", "brest-sahel-solidarite")
    return [*PUBLIC_PAGES, news.url, event.url]


def test_no_public_page_holds_an_inline_style_or_script(client, pages):
    SiteBrand.objects.create(
        site=Site.objects.get(is_default_site=True),
        tagline="Agir ici et là-bas",
        primary_colour="#5a2d82",
        mastodon_url="https://mastodon.example/@r",
    )
    for url in pages:
        html = client.get(url).content.decode()
        assert not STYLE_ATTRIBUTE.search(html), f"{url}: {STYLE_ATTRIBUTE.search(html).group(0)}"
        assert "<style" not in html, url
        assert not INLINE_SCRIPT.search(html), f"{url}: {INLINE_SCRIPT.search(html).group(0)}"


def test_the_header_menu_button_is_left_to_the_script(client):
    html = client.get("/actualites/").content.decode()
    button = re.search(r'<button class="site-nav-toggle"[^>]*>', html).group(0)
    # Closed from the first paint when scripting is on (so nothing moves when menu.js runs); the stylesheet hides
    # it without JavaScript, where the menu stays open and no button does nothing (tests/browser/test_design.py).
    assert 'aria-controls="site-nav"' in button and 'aria-expanded="false"' in button
    assert '<div class="site-nav" id="site-nav">' in html
    assert '<script src="/static/casi_workspace/js/menu.js" defer></script>' in html
    # The blocks other templates fill are all still there, in order.
    assert html.index('class="skip-link"') < html.index("<header") < html.index('<main id="contenu"')
    assert 'name="q"' in html
