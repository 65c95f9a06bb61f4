"""The campaign's programme: grouped by day and commune, each filter, the map's markers, hostile input."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client

from casi_workspace.models import CampaignPage
from tests.campaigns.helpers import campaign_create, campaign_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


# (organisation, day, hour, title, fields): two communes and online on the first day, every flag different.
FESTIVAL = (
    (
        "brest-sahel-solidarite",
        0,
        20,
        "Ciné à Brest",
        {
            "commune": "Brest",
            "department": "29",
            "event_type": "screening",
            "is_free": True,
            "accessible": True,
            "latitude": Decimal("48.39"),
            "longitude": Decimal("-4.48"),
        },
    ),
    (
        "brest-sahel-solidarite",
        0,
        10,
        "Expo à Brest",
        {"commune": "Brest", "department": "29", "event_type": "exhibition", "price": "5 €"},
    ),
    (
        "douarnenez-madagascar",
        0,
        14,
        "Atelier à Douarnenez",
        {"commune": "Douarnenez", "department": "29", "event_type": "workshop", "is_free": True},
    ),
    (
        "brest-sahel-solidarite",
        0,
        18,
        "Webinaire du festival",
        {"commune": "", "online_url": "https://visio.example.org/f", "event_type": "conference", "is_free": True},
    ),
    (
        "rennes-kurdistan",
        1,
        19,
        "Concert à Rennes",
        {"commune": "Rennes", "department": "35", "event_type": "show", "accessible": True},
    ),
    (
        "morlaix-burkina",
        1,
        12,
        "Repas à Morlaix",
        {"commune": "Morlaix", "department": "29", "event_type": "meal", "is_free": True, "accessible": True},
    ),
)


@pytest.fixture
def festival() -> CampaignPage:
    campaign = campaign_create(title="Festival de test")
    for organisation, day, hour, title, fields in FESTIVAL:
        campaign_event(campaign, organisation, day=day, hour=hour, title=title, **fields)
    return campaign


def _titles(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return re.findall(r'class="programme-event-title"><a href="[^"]*">([^<]+)</a>', response.content.decode())


def test_the_programme_is_grouped_by_day_then_commune(client: Client, festival: CampaignPage):
    html = client.get(festival.url).content.decode()
    headings = re.findall(r"<h([34])[^>]*>([^<]+)</h\1>", html)
    first, second = (festival.start_date + datetime.timedelta(days=n) for n in (0, 1))
    days = [text for level, text in headings if level == "3" and text != "Carte des événements"]
    assert len(days) == 2 and str(first.day) in days[0] and str(second.day) in days[1]
    communes = [text for level, text in headings if level == "4"]
    assert communes == ["En ligne", "Brest", "Douarnenez", "Morlaix", "Rennes"]
    assert _titles(client, festival.url) == [
        "Webinaire du festival",
        "Expo à Brest",
        "Ciné à Brest",
        "Atelier à Douarnenez",
        "Repas à Morlaix",
        "Concert à Rennes",
    ]
    assert "6 événements" in html
    assert "Du " in html and "Festival de test" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("departement=35", {"Concert à Rennes"}),
        ("commune=Douarnenez", {"Atelier à Douarnenez"}),
        ("jour=DAY1", {"Concert à Rennes", "Repas à Morlaix"}),
        ("type=screening", {"Ciné à Brest"}),
        ("tarif=free", {"Ciné à Brest", "Atelier à Douarnenez", "Webinaire du festival", "Repas à Morlaix"}),
        ("tarif=paying", {"Expo à Brest", "Concert à Rennes"}),
        ("lieu=online", {"Webinaire du festival"}),
        (
            "lieu=onsite",
            {"Ciné à Brest", "Expo à Brest", "Atelier à Douarnenez", "Concert à Rennes", "Repas à Morlaix"},
        ),
        ("accessible=on", {"Ciné à Brest", "Concert à Rennes", "Repas à Morlaix"}),
        ("departement=29&tarif=free&accessible=on", {"Ciné à Brest", "Repas à Morlaix"}),
    ],
)
def test_each_filter(client: Client, festival: CampaignPage, query: str, expected: set[str]):
    day1 = (festival.start_date + datetime.timedelta(days=1)).isoformat()
    assert set(_titles(client, f"{festival.url}?{query.replace('DAY1', day1)}")) == expected


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=999999",
        "page=-3",
        "page=" + "9" * 40,
        "jour=2027-13-45",
        "jour=hier",
        "jour=%3Cscript%3Ealert(1)%3C/script%3E",
        "departement=zz",
        "commune=" + "x" * 5000,
        "type=%00",
        "tarif=maybe&lieu=mars&accessible=peut-etre",
        "departement[]=29",
    ],
)
def test_bad_filter_values_never_break_the_programme(client: Client, festival: CampaignPage, query: str):
    for url in (f"{festival.url}?{query}", f"{festival.url}carte/?{query}"):
        response = client.get(url)
        assert 200 <= response.status_code < 500, (url, response.status_code)
        assert "<script>alert(1)" not in response.content.decode()


def test_a_malformed_day_is_ignored_with_a_french_message(client: Client, festival: CampaignPage):
    html = client.get(f"{festival.url}?jour=2027-02-31").content.decode()
    assert "n’est pas un jour de la campagne : le filtre par jour est ignoré" in html
    assert len(_titles(client, f"{festival.url}?jour=2027-02-31")) == 6


def test_the_map_has_the_events_at_a_place_at_their_position_or_their_organisation(
    client: Client, festival: CampaignPage
):
    data = client.get(f"{festival.url}carte/").json()
    names = {marker["name"].split(" — ")[0] for marker in data["markers"]}
    assert "Webinaire du festival" not in names  # online: no place on the map
    cine = next(marker for marker in data["markers"] if marker["name"].startswith("Ciné à Brest"))
    assert (cine["lat"], cine["lng"]) == (48.39, -4.48)
    assert cine["url"].endswith("/") and "brest-sahel-solidarite" in cine["url"]
    # Without a position, the organisation's (every demo organisation has one).
    assert "Expo à Brest" in names
    filtered = client.get(f"{festival.url}carte/?departement=35").json()
    assert [marker["name"].split(" — ")[0] for marker in filtered["markers"]] == ["Concert à Rennes"]


def test_the_programme_page_shows_the_map_and_its_links(client: Client, festival: CampaignPage):
    html = client.get(f"{festival.url}?departement=29").content.decode()
    assert 'data-casi-map data-markers-url="' + festival.url + 'carte/?departement=29"' in html
    assert f'href="{festival.url}calendrier/"' in html and f'href="{festival.url}flux/rss/"' in html
    assert "leaflet.js" in html


def test_a_draft_event_or_campaign_is_not_public(client: Client, festival: CampaignPage):
    draft = campaign_event(festival, title="Brouillon du festival", live=False)
    assert draft.campaign_id == festival.pk
    assert "Brouillon du festival" not in client.get(festival.url).content.decode()
    festival.unpublish()
    assert client.get(festival.url).status_code == 404
