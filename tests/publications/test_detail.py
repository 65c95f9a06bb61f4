"""Each kind's public page, its schema.org description, and the organisation page's publications."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from tests.publications.helpers import publication_create

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

BREST = "brest-sahel-solidarite"
KINDS = ["news", "event", "call", "offer", "training", "resource", "project"]
SCHEMA_TYPES = {
    "news": "NewsArticle",
    "event": "Event",
    "call": "CreativeWork",
    "offer": "JobPosting",
    "training": "Event",
    "resource": "CreativeWork",
    "project": "CreativeWork",
}
MAX_DETAIL_QUERIES = 12  # the picture and its link preview's rendition come in one query
# An event also reads its registration settings (whether to offer the form): one query, whatever the registrations.
EXTRA_QUERIES = {"event": 1}
MAX_ORGANISATION_QUERIES = 12


def _json_ld(response) -> list[dict]:
    assert response.status_code == 200
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return [json.loads(block) for block in blocks]


def _queries(client, url: str) -> int:
    # Start from a cache that agrees with the database (an earlier test's rolled-back rendition may linger),
    # then warm it: content types, site root paths, renditions.
    cache.clear()
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_renders_with_its_schema_org_description(client, kind):
    page = publication_create(kind, BREST, summary="Deux phrases de résumé.", tags=["Coopération"])

    response = client.get(page.url)
    html = response.content.decode()

    (data,) = _json_ld(response)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == SCHEMA_TYPES[kind]
    assert data["name"] == page.title
    assert f"<h1>{page.title}</h1>" in html
    assert "Deux phrases de résumé." in html
    assert "Coopération" in html
    assert 'href="/annuaire/brest-sahel-solidarite/"' in html  # its organisation


def test_json_ld_cannot_be_broken_out_of(client):
    title = "</script><script>alert('x')</script> & <b>"
    page = publication_create("news", BREST, title=title, summary="<!-- -->")

    response = client.get(page.url)
    html = response.content.decode()

    (data,) = _json_ld(response)
    assert data["name"] == title and data["description"] == "<!-- -->"
    assert "<script>alert" not in html


def test_the_job_posting_has_what_search_engines_require(client):
    deadline = timezone.localdate() + datetime.timedelta(days=40)
    page = publication_create("offer", BREST, offer_kind="civic_service", deadline=deadline, commune="Brest")

    (data,) = _json_ld(client.get(page.url))

    assert data["title"] == page.title
    assert data["hiringOrganization"]["name"] == "Brest Sahel Solidarité"
    assert data["employmentType"] == "VOLUNTEER"
    assert data["validThrough"].startswith(deadline.isoformat())
    assert data["datePosted"]
    assert data["jobLocation"]["address"]["addressLocality"] == "Brest"


def test_the_event_page_gives_its_dates_in_french_and_its_calendar_file(client):
    start = timezone.make_aware(datetime.datetime(2030, 5, 14, 18, 0))
    page = publication_create(
        "event",
        BREST,
        start=start,
        end=start + datetime.timedelta(hours=2),
        venue="Maison des associations",
        commune="Brest",
        price="Gratuit",
        registration_url="https://example.org/inscription",
    )

    response = client.get(page.url)
    html = response.content.decode()

    assert "mardi 14 mai 2030, 18h00" in html
    assert "20h00" in html
    assert f'href="{page.url}calendrier/"' in html
    assert 'rel="alternate" type="text/calendar"' in html
    (data,) = _json_ld(response)
    assert data["startDate"].startswith("2030-05-14T")
    assert data["location"]["name"] == "Maison des associations"
    assert data["organizer"]["name"] == "Brest Sahel Solidarité"


def test_the_call_page_shows_its_deadline_in_french(client):
    deadline = datetime.date(timezone.localdate().year + 2, 3, 1)
    page = publication_create("call", BREST, funder="Fondation de test", deadline=deadline, amount="10 000 €")

    html = client.get(page.url).content.decode()

    assert f"1 mars {deadline.year}" in html
    assert "Fondation de test" in html and "10 000 €" in html


def test_the_main_image_and_body_images_carry_their_alternative_text(client):
    image = get_image_model().objects.create(title="Puits", file=get_test_image_file())
    body = json.dumps(
        [
            {"type": "heading", "value": "Le projet"},
            {"type": "paragraph", "value": "<p>Un texte <b>riche</b>.</p>"},
            {"type": "image", "value": {"image": image.pk, "alt_text": "Le puits du village", "decorative": False}},
        ]
    )
    page = publication_create("news", BREST, image=image, image_alt="Des enfants devant le puits", body=body)

    html = client.get(page.url).content.decode()

    assert 'alt="Des enfants devant le puits"' in html
    assert 'alt="Le puits du village"' in html
    assert "<h2>Le projet</h2>" in html and "<b>riche</b>" in html


def test_the_rich_text_of_a_call_is_rendered(client):
    page = publication_create("call", BREST, eligibility=str(RichText("<p>Associations <i>bretonnes</i></p>")))

    assert "<i>bretonnes</i>" in client.get(page.url).content.decode()


def test_a_draft_or_a_private_item_is_not_served_to_visitors(client):
    draft = publication_create("news", BREST, live=False)
    private = publication_create("news", BREST)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(draft.url or f"/annuaire/{BREST}/{draft.slug}/").status_code == 404
    assert client.get(private.url).status_code == 302  # to the login page


@pytest.mark.parametrize("kind", KINDS)
def test_a_detail_page_stays_within_its_query_budget(client, kind):
    image = get_image_model().objects.create(title="Budget", file=get_test_image_file())
    page = publication_create(
        kind, BREST, tags=["Budget", "Détail"], summary="Résumé.", image=image, image_alt="Une photo de groupe"
    )

    assert _queries(client, page.url) <= MAX_DETAIL_QUERIES + EXTRA_QUERIES.get(kind, 0)


def test_the_organisation_page_lists_its_latest_public_publications(client):
    old = publication_create("news", BREST, first_published_at=timezone.now() - datetime.timedelta(days=400))
    newest = [publication_create(kind, BREST) for kind in KINDS[:6]]
    draft = publication_create("news", BREST, live=False)
    private = publication_create("news", BREST)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    closed = publication_create("call", BREST, deadline=timezone.localdate() - datetime.timedelta(days=1))
    elsewhere = publication_create("news", "douarnenez-madagascar")

    html = client.get(f"/annuaire/{BREST}/").content.decode()
    section = html.split('class="organisation-publications"', 1)[1]
    listed = re.findall(r'<a href="[^"]+">(Publication de test [^<]+)</a>', section)

    assert listed == [page.title for page in reversed(newest)]  # six at most, newest first
    for hidden in (old, draft, private, closed, elsewhere):
        assert hidden.title not in section
    assert f'href="/annuaire/{BREST}/flux/rss/"' in section
    assert '<link rel="alternate" type="application/rss+xml" title="' in html


@pytest.mark.parametrize("slug", [BREST, "douarnenez-madagascar", "collectif-finistere", "casi-bretagne"])
def test_an_organisation_page_stays_within_its_query_budget(client, slug):
    for kind in KINDS:
        publication_create(kind, slug, tags=["Budget"])

    assert _queries(client, f"/annuaire/{slug}/") <= MAX_ORGANISATION_QUERIES


def test_the_organisation_page_still_shows_its_collective_classification_and_members(client):
    member = client.get(f"/annuaire/{BREST}/").content.decode()
    collective = client.get("/annuaire/collectif-finistere/").content.decode()

    assert 'href="/annuaire/collectif-finistere/">Collectif Finistère Solidarité Internationale</a>' in member
    assert "Eau et assainissement" in member  # a sector
    assert "4. Éducation de qualité" in member  # a goal
    assert 'href="/annuaire/brest-sahel-solidarite/">Brest Sahel Solidarité</a></li>' in collective
    (data,) = _json_ld(client.get(f"/annuaire/{BREST}/"))
    assert data["memberOf"]["name"] == "Collectif Finistère Solidarité Internationale"
