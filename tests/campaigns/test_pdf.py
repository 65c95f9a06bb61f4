"""The printable programme: built by a task when the programme changes, never while a visitor waits."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from casi_workspace.campaigns.services import campaign_event_attach, campaign_event_detach
from casi_workspace.campaigns.tasks import programme_pdf_build
from casi_workspace.models import CampaignProgramme
from tests.campaigns.helpers import campaign_create, campaign_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the queued build) at the end of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _text(programme: CampaignProgramme) -> str:
    with programme.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def _programme(campaign) -> CampaignProgramme:
    return CampaignProgramme.objects.get(campaign=campaign)


def test_publishing_events_builds_a_pdf_of_the_programme_by_day_and_commune(committed):
    campaign = campaign_create(title="Festival imprimé")
    with committed():
        campaign_event(campaign, day=0, title="Projection du premier jour", commune="Brest")
        campaign_event(campaign, day=2, title="Concert du troisième jour", commune="Quimper", venue="Le Novomax")
    programme = _programme(campaign)
    assert programme.pdf.name.endswith(".pdf") and programme.event_count == 2 and not programme.is_stale
    with programme.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    text = _text(programme)
    for words in (
        "Festival imprimé",
        "Projection du premier jour",
        "Concert du troisième jour",
        "Quimper",
        "Le Novomax",
    ):
        assert words in text
    assert text.index("Projection du premier jour") < text.index("Concert du troisième jour")


def test_the_pdf_is_rebuilt_when_an_event_leaves_or_the_campaign_changes(committed):
    campaign = campaign_create(title="Festival changeant")
    with committed():
        kept = campaign_event(campaign, title="Événement qui reste")
        gone = campaign_event(campaign, day=1, title="Événement qui part")
    assert "Événement qui part" in _text(_programme(campaign))
    with committed():
        gone.unpublish()
    assert "Événement qui part" not in _text(_programme(campaign))
    with committed():
        campaign.title = "Festival renommé"
        campaign.save_revision().publish()
    text = _text(_programme(campaign))
    assert "Festival renommé" in text and "Événement qui reste" in text
    with committed():  # the association takes its event out of the campaign: the old campaign is rebuilt
        kept.campaign = None
        kept.save_revision().publish()
    assert _programme(campaign).event_count == 0


def test_attaching_and_detaching_rebuild_the_pdf(committed):
    campaign = campaign_create(title="Festival des coordinateurs")
    event = campaign_event(campaign, title="Rattaché puis détaché")
    with committed():
        campaign_event_detach(campaign=campaign, event=event)
    assert _programme(campaign).event_count == 0
    with committed():
        campaign_event_attach(campaign=campaign, event=event)
    assert "Rattaché puis détaché" in _text(_programme(campaign))


def test_a_build_with_nothing_new_is_skipped(committed):
    campaign = campaign_create()
    with committed():
        campaign_event(campaign)
    programme = _programme(campaign)
    name, built_at = programme.pdf.name, programme.built_at
    again = programme_pdf_build(campaign_id=campaign.pk)
    assert (again.pdf.name, again.built_at) == (name, built_at)


def test_the_programme_page_never_builds_the_pdf(client: Client):
    campaign = campaign_create()
    campaign_event(campaign, title="Sans fichier encore")
    CampaignProgramme.objects.filter(campaign=campaign).delete()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(campaign.url).content.decode()
    assert "Sans fichier encore" in html and "Programme imprimable" not in html
    assert not CampaignProgramme.objects.filter(campaign=campaign).exists()
    assert not any("INSERT" in query["sql"] or "UPDATE" in query["sql"] for query in queries.captured_queries)
    programme_pdf_build(campaign_id=campaign.pk)
    html = client.get(campaign.url).content.decode()
    assert "Programme imprimable (PDF" in html and _programme(campaign).pdf.url in html
