"""RSS, Atom and iCalendar feeds: what a feed reader or a calendar application receives."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageViewRestriction, Site

from casi_workspace.demo.scale import publications_scale
from casi_workspace.models import OrganisationPage
from casi_workspace.publications.views.feeds import ICAL_MAX_EVENTS
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
HOSTILE_TITLE = "Fête <script>alert(1)</script> & partage"


def _host() -> str:
    return Site.objects.get(is_default_site=True).hostname


def _rss_items(response) -> dict[str, ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    channel = ET.fromstring(response.content).find("channel")
    return {item.findtext("title"): item for item in channel.findall("item")}


def _atom_entries(response) -> dict[str, ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return {entry.findtext(f"{ATOM}title"): entry for entry in feed.findall(f"{ATOM}entry")}


def _pending(kind: str, organisation: str, title: str):
    """An untrusted association's item submitted to its moderation workflow, not yet approved."""
    page = publication_create(kind, organisation, live=False, title=title)
    workflow = page.get_workflow()
    assert workflow is not None
    workflow.start(page, get_user_model().objects.get(username="asso-b"))
    page.refresh_from_db()
    assert page.workflow_in_progress and not page.live
    return page


@pytest.fixture
def hidden_titles() -> list[str]:
    """A draft, an item awaiting moderation, a private item and an expired one, of each feed's kinds."""
    titles = []
    for kind in ("news", "event"):
        draft = f"Brouillon {kind}"
        publication_create(kind, "brest-sahel-solidarite", live=False, title=draft)
        pending = f"En attente {kind}"
        _pending(kind, "douarnenez-madagascar", pending)
        private = publication_create(kind, "brest-sahel-solidarite", title=f"Privé {kind}")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        expired = f"Expiré {kind}"
        publication_create(
            kind, "brest-sahel-solidarite", title=expired, expire_at=timezone.now() - datetime.timedelta(hours=1)
        )
        titles += [draft, pending, private.title, expired]
    return titles


def test_rss_feed_lists_the_latest_items_with_their_details_escaped(client):
    news = publication_create(
        "news", "brest-sahel-solidarite", title=HOSTILE_TITLE, summary="Tout <b>va</b> & bien", tags=["Eau", "Santé"]
    )
    other = publication_create("news", "douarnenez-madagascar", title="Nouvelles de Madagascar")

    response = client.get("/actualites/flux/rss/")

    assert b"<script>" not in response.content
    items = _rss_items(response)
    item = items[HOSTILE_TITLE]
    assert item.findtext("link") == news.full_url
    assert item.findtext("description") == "Tout <b>va</b> & bien"
    assert item.findtext(f"{DC}creator") == "Brest Sahel Solidarité"
    assert sorted(category.text for category in item.findall("category")) == ["Eau", "Santé"]
    assert item.findtext("guid").endswith(f":publication-{news.pk}")
    assert item.findtext("pubDate")
    assert "Nouvelles de Madagascar" in items
    assert list(items).index(other.title) < list(items).index(HOSTILE_TITLE)  # latest first
    assert len(items) <= 30


def test_atom_feed_of_an_index(client):
    event = publication_create("event", "brest-sahel-solidarite", title=HOSTILE_TITLE, tags=["Climat"])

    entries = _atom_entries(client.get("/agenda/flux/atom/"))

    entry = entries[HOSTILE_TITLE]
    assert entry.find(f"{ATOM}link").get("href") == event.full_url
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Brest Sahel Solidarité"
    assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == ["Climat"]
    assert entry.findtext(f"{ATOM}id") == f"tag:{_host()},{event.first_published_at:%Y-%m-%d}:publication-{event.pk}"


def test_feeds_of_each_kind_list_only_that_kind(client):
    publication_create("news", "brest-sahel-solidarite", title="Une actualité")
    publication_create("call", "brest-sahel-solidarite", title="Un appel ouvert")

    assert "Une actualité" not in _rss_items(client.get("/appels-a-projets/flux/rss/"))
    assert "Un appel ouvert" in _rss_items(client.get("/appels-a-projets/flux/rss/"))
    assert "Un appel ouvert" not in _rss_items(client.get("/actualites/flux/rss/"))


def test_closed_calls_offers_and_past_events_leave_the_feeds(client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    publication_create("call", "brest-sahel-solidarite", title="Appel clos", deadline=yesterday)
    publication_create("offer", "brest-sahel-solidarite", title="Offre close", deadline=yesterday)
    publication_create("offer", "brest-sahel-solidarite", title="Offre sans date limite", deadline=None)
    past = timezone.now() - datetime.timedelta(days=3)
    publication_create("event", "brest-sahel-solidarite", title="Soirée passée", start=past, end=past)

    assert "Appel clos" not in _rss_items(client.get("/appels-a-projets/flux/rss/"))
    offers = _rss_items(client.get("/emploi-volontariat/flux/rss/"))
    assert "Offre close" not in offers
    assert "Offre sans date limite" in offers
    assert "Soirée passée" not in _rss_items(client.get("/agenda/flux/rss/"))
    organisation = _rss_items(client.get("/annuaire/brest-sahel-solidarite/flux/rss/"))
    assert "Appel clos" not in organisation
    assert "Offre close" not in organisation
    assert "Offre sans date limite" in organisation


def test_organisation_feed_lists_everything_it_published_and_nothing_else(client):
    mine = [
        publication_create("news", "brest-sahel-solidarite", title="Notre actualité"),
        publication_create("event", "brest-sahel-solidarite", title="Notre soirée"),
        publication_create("resource", "brest-sahel-solidarite", title="Notre guide"),
    ]
    publication_create("news", "douarnenez-madagascar", title="Leur actualité")

    rss = _rss_items(client.get("/annuaire/brest-sahel-solidarite/flux/rss/"))
    atom = _atom_entries(client.get("/annuaire/brest-sahel-solidarite/flux/atom/"))

    for page in mine:
        assert rss[page.title].findtext("link") == page.full_url
        assert page.title in atom
    assert "Leur actualité" not in rss
    assert "Leur actualité" not in atom
    assert {item.findtext(f"{DC}creator") for item in rss.values()} == {"Brest Sahel Solidarité"}


def test_drafts_pending_private_and_expired_items_appear_in_no_feed(client, hidden_titles):
    urls = [
        "/actualites/flux/rss/",
        "/actualites/flux/atom/",
        "/agenda/flux/rss/",
        "/agenda/calendrier/",
        "/annuaire/brest-sahel-solidarite/flux/rss/",
        "/annuaire/douarnenez-madagascar/flux/atom/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for title in hidden_titles:
            assert title not in text, (url, title)


def test_agenda_calendar_holds_coming_and_recent_events(client):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=5)
    event = publication_create(
        "event",
        "brest-sahel-solidarite",
        title=HOSTILE_TITLE,
        summary="Projection, débat; buffet",
        start=start,
        end=start + datetime.timedelta(hours=3),
        venue="Salle des fêtes",
        commune="Brest",
    )
    recent = timezone.now() - datetime.timedelta(days=10)
    publication_create("event", "brest-sahel-solidarite", title="Il y a dix jours", start=recent, end=recent)
    old = timezone.now() - datetime.timedelta(days=60)
    publication_create("event", "brest-sahel-solidarite", title="Il y a deux mois", start=old, end=old)

    response = client.get("/agenda/calendrier/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(component["SUMMARY"]): component for component in calendar.walk("VEVENT")}
    assert "Il y a dix jours" in events
    assert "Il y a deux mois" not in events
    vevent = events[HOSTILE_TITLE]
    assert str(vevent["UID"]) == f"event-{event.pk}@{_host()}"
    assert vevent.decoded("DTSTART") == start
    assert vevent.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert vevent.decoded("DTEND") == start + datetime.timedelta(hours=3)
    assert str(vevent["URL"]) == event.full_url
    assert "Projection, débat; buffet" in str(vevent["DESCRIPTION"])
    assert str(vevent["LOCATION"]) == "Salle des fêtes, Brest"
    assert "DTSTAMP" in vevent


def test_one_event_as_an_ics_attachment(client):
    event = publication_create("event", "brest-sahel-solidarite", title="Assemblée générale")

    response = client.get(f"{event.url}calendrier/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Assemblée générale"
    assert str(vevent["UID"]) == f"event-{event.pk}@{_host()}"
    assert vevent.decoded("DTSTART") == event.start.replace(microsecond=0)


def test_a_hidden_event_has_no_ics(client):
    draft = publication_create("event", "brest-sahel-solidarite", live=False, title="Brouillon")
    expired = publication_create(
        "event", "brest-sahel-solidarite", title="Expiré", expire_at=timezone.now() - datetime.timedelta(hours=1)
    )
    private = publication_create("event", "brest-sahel-solidarite", title="Privé")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(f"{draft.url}calendrier/").status_code == 404
    assert client.get(f"{expired.url}calendrier/").status_code == 404
    response = client.get(f"{private.url}calendrier/")
    assert response.status_code in (302, 403, 404)
    assert b"BEGIN:VCALENDAR" not in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/actualites/calendrier/",
        "/appels-a-projets/calendrier/",
        "/actualites/flux/json/",
        "/actualites/flux/",
        "/actualites/flux/rss2/",
        "/annuaire/brest-sahel-solidarite/flux/ical/",
    ],
)
def test_calendars_of_other_kinds_and_unknown_formats_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_a_draft_organisation_has_no_feed(client):
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    publication_create("news", organisation, title="Avant le retrait")
    organisation.unpublish()

    assert client.get("/annuaire/brest-sahel-solidarite/flux/rss/").status_code == 404


def test_agenda_calendar_keeps_the_soonest_events_when_there_are_very_many(client):
    publications_scale(count=700, kinds=["event"], search_index=False, report=lambda _line: None)
    soon = publication_create("event", "brest-sahel-solidarite", start=timezone.now() + datetime.timedelta(hours=1))

    events = Calendar.from_ical(client.get("/agenda/calendrier/").content).walk("VEVENT")

    assert len(events) == ICAL_MAX_EVENTS
    assert f"event-{soon.pk}@{_host()}" in {str(event["UID"]) for event in events}
    starts = [event.decoded("DTSTART") for event in events]
    assert starts == sorted(starts)
