"""Overlong or hostile texts typed by members are stored as text and escaped everywhere: the programme's page,
its map, RSS, iCal and PDF, and the coordinators' screens."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from icalendar import Calendar
from pypdf import PdfReader

from casi_workspace.models import CampaignProgramme
from tests.campaigns.helpers import campaign_create, campaign_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
STYLE_ESCAPE = '</style><link rel=stylesheet href="http://attacker.invalid/x.css">'


@pytest.fixture
def hostile(django_capture_on_commit_callbacks):
    campaign = campaign_create(title=f"Festival {HOSTILE}", partners=f"{HOSTILE}\n{STYLE_ESCAPE}")
    with django_capture_on_commit_callbacks(execute=True):
        campaign_event(
            campaign,
            title=f"Titre {HOSTILE}"[:255],
            summary=("Très long résumé " * 20)[:390] + HOSTILE[:10],
            venue=STYLE_ESCAPE[:160],
            commune="Brest<b>",
            price='=HYPERLINK("http://x")',
        )
    return campaign


def test_the_programme_page_and_map_escape_hostile_texts(client: Client, hostile):
    html = client.get(hostile.url).content.decode()
    assert (
        "<script>alert" not in html
        and "<img src=x" not in html
        and '<link rel=stylesheet href="http://attacker' not in html
    )
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Brest&lt;b&gt;" in html
    markers = client.get(f"{hostile.url}carte/")
    assert markers["Content-Type"] == "application/json"
    assert HOSTILE in markers.json()["markers"][0]["name"]  # JSON; map.js writes it with textContent


def test_the_feeds_carry_hostile_texts_as_text(client: Client, hostile):
    rss = client.get(f"{hostile.url}flux/rss/").content.decode()
    assert "<script>" not in rss and "&lt;script&gt;" in rss
    calendar = Calendar.from_ical(client.get(f"{hostile.url}calendrier/").content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == f"Titre {HOSTILE}"


def test_the_pdf_prints_hostile_texts_as_they_were_typed(hostile):
    programme = CampaignProgramme.objects.get(campaign=hostile)
    with programme.pdf.open("rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert '<script>alert("x")</script>' in text.replace("\n", "")
    assert "attacker.invalid" in text  # printed as text, never fetched (the fetcher refuses any other host)


def test_the_coordinators_screens_escape_hostile_texts(client: Client, login, hostile):
    client = login("coordination")
    for screen in ("programme", "statistiques"):
        html = client.get(f"/admin/casi_workspace/campagnes/{hostile.pk}/{screen}/").content.decode()
        assert "<script>alert" not in html and "&lt;script&gt;" in html
    csv = client.get(f"/admin/casi_workspace/campagnes/{hostile.pk}/statistiques/?format=csv").content.decode()
    assert "Festival <script>" in csv  # CSV is text; a formula would be quoted (core.spreadsheets)
