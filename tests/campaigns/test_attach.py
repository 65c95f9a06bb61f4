"""Attaching events to a campaign: by its association within the campaign's dates, by coordinators any."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from casi_workspace.campaigns.services import campaign_event_attach
from casi_workspace.core.errors import CasiError
from casi_workspace.models import CampaignPage, EventPage
from tests.campaigns.helpers import at, campaign_create, campaign_event
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db


def _admin(client: Client, username: str) -> Client:
    assert client.login(username=username, password="casi-demo-2026")
    return client


def test_an_event_within_the_campaign_dates_is_in_its_programme(client: Client):
    campaign = campaign_create()
    event = campaign_event(campaign, day=3, title="Projection au cœur du festival")
    assert event.campaign_id == campaign.pk
    assert "Projection au cœur du festival" in client.get(campaign.url).content.decode()


@pytest.mark.parametrize(
    ("start_offset", "end_offset"),
    [(-1, 0), (9, 10), (5, 12)],
    ids=["starts-before", "ends-after", "runs-past-the-end"],
)
def test_an_event_outside_the_campaign_dates_is_refused_in_french(start_offset: int, end_offset: int):
    campaign = campaign_create(days=10)
    start = at(campaign.start_date + datetime.timedelta(days=start_offset), 10)
    end = at(campaign.start_date + datetime.timedelta(days=end_offset), 23)
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        publication_create("event", "brest-sahel-solidarite", start=start, end=end, campaign=campaign)
    assert "pendant les dates de la campagne" in " ".join(error.value.message_dict["campaign"])
    assert not EventPage.objects.filter(start=start, campaign=campaign).exists()


def test_the_association_editor_chooses_the_campaign_in_the_event_form(client: Client):
    campaign = campaign_create(title="Festival à choisir")
    event = publication_create("event", "brest-sahel-solidarite")
    html = _admin(client, "asso-a").get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert '<select name="campaign"' in html
    assert f'value="{campaign.pk}">Festival à choisir</option>' in html


def test_a_coordinator_attaches_any_event_without_a_new_revision(client: Client):
    campaign = campaign_create()
    start = at(campaign.start_date + datetime.timedelta(days=2))
    event = publication_create("event", "douarnenez-madagascar", start=start, end=start + datetime.timedelta(hours=1))
    revisions = event.revisions.count()
    response = _admin(client, "coordination").post(
        f"/admin/casi_workspace/campagnes/{campaign.pk}/rattacher/", {"event": event.pk}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.campaign_id == campaign.pk
    assert event.revisions.count() == revisions
    assert event.latest_revision.content["campaign"] == campaign.pk
    # The association's next publication of its latest revision keeps the coordinator's decision.
    event.latest_revision.publish()
    assert EventPage.objects.get(pk=event.pk).campaign_id == campaign.pk


def test_a_coordinator_detaches_an_event_which_stays_published(client: Client):
    campaign = campaign_create()
    event = campaign_event(campaign, "douarnenez-madagascar", title="Événement à détacher")
    client = _admin(client, "coordination")
    page = client.get(f"/admin/casi_workspace/campagnes/{campaign.pk}/programme/").content.decode()
    assert "Événement à détacher" in page
    response = client.post(f"/admin/casi_workspace/campagnes/{campaign.pk}/detacher/{event.pk}/", follow=True)
    assert "n’est plus au programme" in response.content.decode()
    event.refresh_from_db()
    assert event.campaign_id is None and event.live
    assert event.latest_revision.content["campaign"] is None
    assert "Événement à détacher" not in client.get(campaign.url).content.decode()


def test_detaching_an_event_of_another_campaign_is_refused(client: Client):
    campaign, other = campaign_create(), campaign_create()
    event = campaign_event(other)
    response = _admin(client, "coordination").post(
        f"/admin/casi_workspace/campagnes/{campaign.pk}/detacher/{event.pk}/", follow=True
    )
    assert "n’est pas au programme" in response.content.decode()
    assert EventPage.objects.get(pk=event.pk).campaign_id == other.pk


def test_a_coordinator_cannot_attach_an_event_outside_the_dates(client: Client):
    campaign = campaign_create()
    start = at(campaign.end_date + datetime.timedelta(days=3))
    event = publication_create("event", "brest-sahel-solidarite", start=start, end=start + datetime.timedelta(hours=2))
    response = _admin(client, "coordination").post(
        f"/admin/casi_workspace/campagnes/{campaign.pk}/rattacher/", {"event": event.pk}, follow=True
    )
    assert response.status_code == 200
    assert "Choisissez un événement dans la liste" in response.content.decode()
    assert EventPage.objects.get(pk=event.pk).campaign_id is None
    with translation.override("fr"), pytest.raises(CasiError) as error:
        campaign_event_attach(campaign=campaign, event=event)
    assert "pendant les dates de la campagne" in error.value.message


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29", "membre-gt"])
def test_association_editors_cannot_attach_or_detach_through_the_coordinators_screen(client: Client, username: str):
    campaign = campaign_create()
    event = campaign_event(campaign)
    start = at(campaign.start_date)
    stranger = publication_create(
        "event", "douarnenez-madagascar", start=start, end=start + datetime.timedelta(hours=1)
    )
    client = _admin(client, username)
    assert (
        client.post(f"/admin/casi_workspace/campagnes/{campaign.pk}/rattacher/", {"event": stranger.pk}).status_code
        == 403
    )
    assert client.post(f"/admin/casi_workspace/campagnes/{campaign.pk}/detacher/{event.pk}/").status_code == 403
    assert EventPage.objects.get(pk=event.pk).campaign_id == campaign.pk
    assert EventPage.objects.get(pk=stranger.pk).campaign_id is None


def test_a_campaign_ending_before_it_starts_is_refused():
    campaign = CampaignPage(
        title="À l'envers",
        slug="a-l-envers",
        start_date=datetime.date(2027, 11, 20),
        end_date=datetime.date(2027, 11, 1),
    )
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "Le dernier jour ne peut pas précéder le premier" in " ".join(error.value.message_dict["end_date"])
