"""The demo's Festival des Solidarités: about thirty member events in the four départements, some online,
some free, its programme, map, feeds and printable programme working."""

from __future__ import annotations

import pytest
from django.test import Client

from casi_workspace.demo.campaign import CAMPAIGN_SLUG
from casi_workspace.models import CampaignPage, CampaignProgramme

pytestmark = pytest.mark.django_db


def test_the_demo_festival_has_member_events_across_brittany(client: Client):
    campaign = CampaignPage.objects.live().get(slug=CAMPAIGN_SLUG)
    assert campaign.title.startswith("Festival des Solidarités") and campaign.partner_names
    events = campaign.events.live()
    assert 25 <= events.count() <= 40
    assert set(events.exclude(commune="").values_list("department", flat=True)) == {"22", "29", "35", "56"}
    assert events.filter(commune="").exclude(online_url="").exists()
    assert events.filter(is_free=True).exists() and events.filter(is_free=False).exists()
    assert all(campaign.start_date <= event.start.date() <= campaign.end_date for event in events)
    html = client.get(campaign.url).content.decode()
    assert "Festival des Solidarités" in html and "Carte des événements" in html
    markers = client.get(f"{campaign.url}carte/").json()["markers"]
    assert len(markers) == events.exclude(commune="").count()
    assert client.get(f"{campaign.url}calendrier/").status_code == 200
    programme = CampaignProgramme.objects.get(campaign=campaign)
    assert programme.pdf and programme.event_count == events.count()
    assert programme.pdf.url in html


def test_the_demo_coordinator_manages_the_festival(client: Client, login):
    campaign = CampaignPage.objects.get(slug=CAMPAIGN_SLUG)
    client = login("coordination")
    assert client.get("/admin/casi_workspace/campagnes/").status_code == 200
    html = client.get(f"/admin/casi_workspace/campagnes/{campaign.pk}/statistiques/").content.decode()
    assert all(f"({code})</td>" in html for code in ("22", "29", "35", "56"))


def test_some_festival_events_take_registrations_two_of_them_full_with_people_waiting(client: Client):
    campaign = CampaignPage.objects.get(slug=CAMPAIGN_SLUG)
    open_events = campaign.events.live().filter(registration_settings__is_open=True)
    full = [
        event
        for event in open_events
        if event.registration_settings.capacity
        and event.registrations.filter(status="confirmed").count() == event.registration_settings.capacity
        and event.registrations.filter(status="waiting").exists()
    ]
    assert open_events.count() >= 5 and len(full) == 2
    html = client.get(f"{full[0].url}inscription/").content.decode()
    assert "L’événement est complet : vous pouvez vous inscrire sur la liste d’attente." in html
