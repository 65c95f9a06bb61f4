"""What search engines and link previews read in each page's head: description, canonical, Open Graph."""

from __future__ import annotations

import re
from html import unescape

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from tests.publications.helpers import publication_create

ROOT = "http://localhost"  # the test database's default Site

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

PUBLIC_PAGES = [
    "/",
    "/annuaire/",
    "/annuaire/brest-sahel-solidarite/",
    "/actualites/",
    "/agenda/",
    "/groupes/",
    "/adherer/",
    "/lettre/",
    "/recherche/",
]


def _meta(html: str, attribute: str, name: str) -> list[str]:
    pattern = rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">'
    return [unescape(value) for value in re.findall(pattern, html)]


def _canonical(html: str) -> list[str]:
    return re.findall(r'<link rel="canonical" href="([^"]*)">', html)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_one_description_one_canonical_and_open_graph(client, url):
    html = client.get(url).content.decode()

    [description] = _meta(html, "name", "description")
    assert 0 < len(description) <= 160
    [canonical] = _canonical(html)
    assert canonical == f"{ROOT}{url}"
    assert _meta(html, "property", "og:url") == [canonical]
    assert _meta(html, "property", "og:title")
    assert _meta(html, "property", "og:locale") == ["fr_FR"]
    assert '<html lang="fr">' in html


def test_a_news_item_is_described_by_its_summary_and_shows_its_image(client):
    image = get_image_model().objects.create(title="Puits", file=get_test_image_file())
    page = publication_create(
        "news",
        "brest-sahel-solidarite",
        title="Un puits à Kayes",
        summary="Le village a inauguré son puits <b>solaire</b>. " + "Long texte. " * 30,
        image=image,
        image_alt="Des enfants devant le puits",
    )

    html = client.get(page.url).content.decode()

    [description] = _meta(html, "name", "description")
    assert description.startswith("Le village a inauguré son puits solaire.")
    assert len(description) <= 160
    assert _meta(html, "property", "og:type") == ["article"]
    assert _meta(html, "property", "og:title") == ["Un puits à Kayes"]
    [image_url] = _meta(html, "property", "og:image")
    assert image_url.startswith(f"{ROOT}/media/images/") and image_url.endswith(".jpg")
    assert _meta(html, "property", "og:image:alt") == ["Des enfants devant le puits"]
    assert _meta(html, "name", "twitter:card") == ["summary_large_image"]


def test_the_search_description_wins_over_the_summary(client):
    page = publication_create("news", "brest-sahel-solidarite", summary="Le résumé.", search_description="Pour Google.")

    html = client.get(page.url).content.decode()

    assert _meta(html, "name", "description") == ["Pour Google."]
    assert _meta(html, "property", "og:description") == ["Pour Google."]


def test_a_hostile_summary_stays_inside_its_attribute(client):
    page = publication_create("news", "brest-sahel-solidarite", summary='"><script>alert(1)</script>')

    html = client.get(page.url).content.decode()

    assert "<script>alert(1)" not in html
    assert _meta(html, "name", "description") == ['">alert(1)']


@pytest.mark.parametrize("query", ["?page=2", "?page=abc", "?q=x&page=3&utm_source=y"])
def test_the_canonical_address_keeps_only_a_page_number(client, query):
    html = client.get(f"/annuaire/{query}").content.decode()

    expected = f"{ROOT}/annuaire/"
    number = dict(part.split("=") for part in query[1:].split("&")).get("page", "")
    if number.isdigit():
        expected += f"?page={number}"
    assert _canonical(html) == [expected]


def test_a_missing_page_is_not_indexed_and_names_no_canonical_address(client):
    response = client.get("/annuaire/une-page-qui-n-existe-pas/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<meta name="robots" content="noindex">' in html
    assert _canonical(html) == []
    assert _meta(html, "property", "og:url") == []


@pytest.mark.parametrize(
    "url", ["/casi/lettre/preferences/abc/", "/casi/invitation/abc/"], ids=["newsletter link", "team invitation"]
)
def test_a_personal_links_page_is_not_indexed_and_names_no_canonical_address(client, url):
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code in (400, 404)
    assert '<meta name="robots" content="noindex">' in html
    assert _canonical(html) == []
    assert _meta(html, "property", "og:url") == []


def test_a_picture_whose_file_is_gone_still_gives_the_page(client):
    """The page, its preview and its picture survive a lost file (a restored database without its media)."""
    image = get_image_model().objects.create(title="Perdue", file=get_test_image_file(filename="perdue.png"))
    news = publication_create("news", "brest-sahel-solidarite", image=image, image_alt="Une photo perdue")
    image.file.storage.delete(image.file.name)

    response = client.get(news.url)

    assert response.status_code == 200
    assert _meta(response.content.decode(), "property", "og:image")  # Wagtail's "not found" rendition
