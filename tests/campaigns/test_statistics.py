"""The coordinators' statistics of a campaign, on screen and as CSV, and the registrations' hook."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from casi_workspace.campaigns.selectors import campaign_statistics
from casi_workspace.models import EventRegistration
from tests.campaigns.helpers import campaign_create, campaign_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = campaign_create(title="Festival compté")
    campaign_event(campaign, "brest-sahel-solidarite", commune="Brest", department="29", is_free=True)
    campaign_event(campaign, "brest-sahel-solidarite", day=1, commune="Brest", department="29", accessible=True)
    campaign_event(campaign, "morlaix-burkina", commune="Morlaix", department="29", event_type="meal")
    campaign_event(campaign, "rennes-kurdistan", commune="Rennes", department="35", event_type="meal")
    campaign_event(campaign, "rennes-kurdistan", commune="", online_url="https://visio.example.org/x")
    campaign_event(campaign, "rennes-kurdistan", commune="Rennes", live=False)  # a draft is not counted
    return campaign


def test_the_statistics_count_events_organisations_and_communes(campaign):
    statistics = campaign_statistics(campaign)
    totals = statistics["totals"]
    assert (totals["events"], totals["organisations"], totals["communes"]) == (5, 3, 3)
    assert (totals["online"], totals["free"], totals["accessible"]) == (1, 1, 1)
    by_department = {
        row["key"]: (row["count"], row["organisations"], row["communes"]) for row in statistics["by_department"]
    }
    assert by_department == {"29": (3, 2, 2), "35": (2, 1, 1)}
    assert {row["key"]: row["count"] for row in statistics["by_type"]}["meal"] == 2
    assert statistics["registrations"] is None


def test_registrations_are_shown_only_when_counts_are_given(campaign):
    event_pks = list(campaign.events.live().values_list("pk", flat=True))
    counts = {event_pks[0]: 12, event_pks[1]: 3, 999999: 40}  # an event of another campaign is not counted
    assert campaign_statistics(campaign, registrations_by_event=counts)["registrations"] == 15


def test_a_coordinator_reads_and_exports_the_statistics(client: Client, login, campaign):
    client = login("coordination")
    html = client.get(f"/admin/casi_workspace/campagnes/{campaign.pk}/statistiques/").content.decode()
    assert "Statistiques de Festival compté" in html and "Finistère (29)" in html
    assert "<dt>Inscriptions</dt><dd>0</dd>" in html
    response = client.get(f"/admin/casi_workspace/campagnes/{campaign.pk}/statistiques/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Événements", "5"] in rows and ["Organisations", "3"] in rows and ["Communes", "3"] in rows
    assert ["Finistère (29)", "3", "2", "2"] in rows


def test_the_statistics_count_the_confirmed_places_of_the_campaign_events(client: Client, login, campaign):
    first, second = campaign.events.live().order_by("pk")[:2]
    EventRegistration.objects.create(event=first, name="Awa", email="awa@example.org", places=3, status="confirmed")
    EventRegistration.objects.create(event=second, name="Yann", email="yann@example.org", status="confirmed")
    EventRegistration.objects.create(event=second, name="Lena", email="lena@example.org", status="waiting")
    EventRegistration.objects.create(event=second, name="Hugo", email="hugo@example.org", status="cancelled")

    html = login("coordination").get(f"/admin/casi_workspace/campagnes/{campaign.pk}/statistiques/").content.decode()

    assert "<dt>Inscriptions</dt><dd>4</dd>" in html


def test_the_admin_menu_shows_campaigns_to_coordinators_only(client: Client, login):
    assert "/admin/casi_workspace/campagnes/" in login("coordination").get("/admin/").content.decode()
    client.logout()
    assert "/admin/casi_workspace/campagnes/" not in login("asso-a").get("/admin/").content.decode()
    assert client.get("/admin/casi_workspace/campagnes/").status_code == 403
