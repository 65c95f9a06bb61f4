"""An organisation's page read as a profile: its header, key facts, presentation, contact, map and publications."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from casi_workspace.models import OrganisationPage, PublicationPage
from tests.publications.helpers import publication_create

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

BREST = "brest-sahel-solidarite"
URL = f"/annuaire/{BREST}/"


def _html(client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _between(html: str, start: str, end: str) -> str:
    first = html.index(start)
    return html[first : html.index(end, first)]


def _section(html: str, heading_id: str) -> str:
    return _between(html, f'aria-labelledby="{heading_id}"', "</section>")


def _image(title: str = "Photo"):
    return get_image_model().objects.create(title=title, file=get_test_image_file(size=(1200, 675)))


def test_the_header_shows_logo_name_type_place_and_membership(client):
    html = _html(client)
    header = _between(html, '<header class="profile-header">', "</header>")

    (logo,) = re.findall(r"<img [^>]*>", header)
    assert 'alt=""' in logo  # the name follows it
    assert 'width="160"' in logo and 'height="160"' in logo and ".webp 320w" in logo
    assert '<p class="profile-type">Association</p>' in header
    assert "<h1>Brest Sahel Solidarité" in header
    assert '<span class="profile-place">Brest · Finistère (29)</span>' in header
    assert '<span class="membership-badge membership-member">Membre</span>' in header


def test_key_facts_are_a_definition_list(client):
    page = OrganisationPage.objects.get(slug=BREST)
    facts = _between(_html(client), '<dl class="facts">', "</dl>")

    terms = [unescape(term) for term in re.findall(r"<dt>([^<]+)</dt>", facts)]
    assert terms == ["Création", "Zones d'intervention", "Pays d'intervention", "Secteurs", "Collectif départemental"]
    assert f"<dd>{page.year_founded}</dd>" in facts
    assert "Mali, Sénégal" in facts
    assert "Eau et assainissement" in facts
    assert 'href="/annuaire/collectif-finistere/">Collectif Finistère Solidarité Internationale</a>' in facts


def test_presentation_contact_and_map_are_sections_of_their_own(client):
    page = OrganisationPage.objects.get(slug=BREST)
    html = _html(client)

    presentation = _section(html, "presentation-title")
    assert '<h2 id="presentation-title">Présentation</h2>' in presentation
    assert "Jumelages scolaires" in presentation
    assert "4. Éducation de qualité" in presentation
    contact = _section(html, "contact-title")
    assert '<dl class="contact-list">' in contact
    assert f'<a href="mailto:{page.public_email}">{page.public_email}</a>' in contact
    assert page.public_phone in contact and f"{page.postcode} {page.commune}" in contact
    location = _section(html, "map-title")
    assert "data-casi-map" in location and f'data-lat="{page.latitude:f}"' in location


def test_a_page_without_coordinates_has_no_map_and_loads_no_map_script(client):
    OrganisationPage.objects.filter(slug=BREST).update(latitude=None, longitude=None)

    html = _html(client)

    assert 'aria-labelledby="map-title"' not in html and "leaflet" not in html


def test_nothing_private_is_shown(client):
    author = User.objects.create_user("redacteur-discret", email="redacteur-discret@example.org")
    publication_create("news", BREST, owner=author)
    page = OrganisationPage.objects.get(slug=BREST)

    html = _html(client)

    for private in (page.private_email, page.private_phone, page.contact_name, author.username, author.email):
        assert private and private not in html


def test_no_inline_style_or_script(client):
    html = _html(client)
    main = _between(html, "<main", "</main>")

    assert " style=" not in main and "<style" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in attributes or 'type="application/ld+json"' in attributes for attributes in scripts)


def test_publications_are_cards_with_their_picture_and_events_dated_by_their_start(client):
    start = (timezone.now() + datetime.timedelta(days=40)).replace(hour=18, minute=0, second=0, microsecond=0)
    event = publication_create(
        "event", BREST, start=start, end=None, image=_image("Affiche"), image_alt="L'affiche du concert"
    )
    news = publication_create("news", BREST)

    section = _section(_html(client), "publications-title")

    cards = re.findall(r'<li class="card publication-card[^"]*">.*?</li>', section)
    assert len(cards) == 6
    event_card = next(card for card in cards if event.title in card)
    news_card = next(card for card in cards if news.title in card)
    (picture,) = re.findall(r"<img [^>]*>", event_card)
    assert 'width="480"' in picture and 'height="270"' in picture and 'loading="lazy"' in picture
    assert '<p class="card-kicker">Événement</p>' in event_card
    assert f'<time datetime="{timezone.localtime(start):%Y-%m-%d}">' in event_card
    assert f'datetime="{timezone.localtime(event.first_published_at):%Y-%m-%d}"' not in event_card
    assert "card-media-placeholder" in news_card  # no picture: a plain band keeps the row aligned
    assert "Brest Sahel Solidarité</a>" not in event_card  # its own page: the organisation is not repeated


def test_the_query_count_stays_the_same_from_one_publication_to_many_with_pictures(
    client, django_assert_max_num_queries
):
    PublicationPage.objects.filter(organisation__slug=BREST).update(live=False)
    publication_create("news", BREST, image=_image("Une"), image_alt="Une image")
    client.get(URL)  # the renditions are made once, at the first visit
    with CaptureQueriesContext(connection) as few:
        small = _html(client)
    few_queries = len(few)  # now: the connection keeps the last queries only, and many follow
    assert small.count('class="card publication-card') == 1

    for number, kind in enumerate(["news", "event", "call", "offer", "training", "resource", "project"] * 2):
        publication_create(kind, BREST, image=_image(f"Image {number}"), image_alt="Illustration")
    OrganisationPage.objects.filter(slug=BREST).update(logo=_image("Nouveau logo"))
    client.get(URL)

    with django_assert_max_num_queries(few_queries):
        large = _html(client)
    assert large.count('class="card publication-card') == 6
