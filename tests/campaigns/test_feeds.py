"""The campaign's iCalendar file (every public event) and RSS feed."""

from __future__ import annotations

import pytest
from django.test import Client
from icalendar import Calendar

from tests.campaigns.helpers import campaign_create, campaign_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


def test_the_ical_file_lists_every_public_event_of_the_campaign(client: Client):
    campaign = campaign_create(title="Festival iCal")
    events = [campaign_event(campaign, day=day, title=f"Rencontre {day}") for day in range(3)]
    campaign_event(campaign, day=1, title="Brouillon", live=False)
    outside = campaign_create()
    campaign_event(outside, title="Autre campagne")
    response = client.get(f"{campaign.url}calendrier/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]).startswith("Festival iCal")
    vevents = calendar.walk("VEVENT")
    assert sorted(str(vevent["summary"]) for vevent in vevents) == ["Rencontre 0", "Rencontre 1", "Rencontre 2"]
    assert {str(vevent["uid"]).split("@")[0] for vevent in vevents} == {f"event-{event.pk}" for event in events}
    assert all(vevent.decoded("dtstart") >= events[0].start for vevent in vevents)


def test_the_rss_feed_lists_the_campaign_events(client: Client):
    campaign = campaign_create(title="Festival RSS")
    campaign_event(campaign, title="Débat du festival", summary="Un débat ouvert à toutes et tous.")
    other = campaign_create()
    campaign_event(other, title="Hors festival")
    response = client.get(f"{campaign.url}flux/rss/")
    assert response.status_code == 200 and "rss" in response["Content-Type"]
    body = response.content.decode()
    assert "<title>Débat du festival</title>" in body and "Hors festival" not in body
    assert "Programme de Festival RSS" in body
    assert client.get(f"{campaign.url}flux/xml/").status_code == 404
