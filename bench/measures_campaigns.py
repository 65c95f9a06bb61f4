"""The benchmark's campaign measures (bench/run.py): a regional programme of 300 events and a national one of
4,000 (paginated) through the test client, the same query counts at both sizes, the background build
of the 300 events' printable programme (under 30 s, never inside a request), and registering for one of its
events, with and without workshops to choose (under 100 ms of server time each, half on the waiting list).

Its imports need the models: bench/run.py imports it once the database is seeded and Django set up.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from bench.measures import view_measure
from casi_workspace.campaigns.tasks import programme_pdf_build
from casi_workspace.demo.scale import campaign_scale
from casi_workspace.models import CampaignPage, EventPage, EventRegistrationSettings, EventSession, EventSlot
from casi_workspace.registrations.forms import SLOT_PREFIX

REGIONAL_EVENTS = int(os.environ.get("CAMPAIGN_EVENTS", "300"))
NATIONAL_EVENTS = int(os.environ.get("NATIONAL_CAMPAIGN_EVENTS", "4000"))
PDF_SECONDS_MAX = 30
REGISTRATIONS = int(os.environ.get("REGISTRATIONS", "60"))
REGISTRATION_MS_MAX = 100
SLUG = "festival-banc-d-essai"


def _campaign() -> CampaignPage:
    """The benchmark's campaign under the home page: seventeen days, a month from now."""
    existing = CampaignPage.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    start = timezone.localdate() + datetime.timedelta(days=30)
    campaign = CampaignPage(
        title="Festival du banc d'essai",
        slug=SLUG,
        start_date=start,
        end_date=start + datetime.timedelta(days=16),
        partners="Région\nDépartement",
    )
    Site.objects.get(is_default_site=True).root_page.add_child(instance=campaign)
    campaign.save_revision().publish()
    return campaign


def _views(client, campaign: CampaignPage) -> dict[str, dict]:
    base = campaign.url
    urls = {
        "programme": base,
        "programme filtered": f"{base}?departement=29&tarif=free&accessible=on",
        "programme page 3": f"{base}?page=3",
        "programme map data": f"{base}carte/",
        "programme RSS": f"{base}flux/rss/",
        "programme iCal": f"{base}calendrier/",
    }
    return {name: view_measure(client, url) for name, url in urls.items()}


def _registrations_open(event: EventPage, *, workshops: bool) -> dict[str, str]:
    """Open registrations for half as many places as the benchmark registers people (the other half waits);
    with workshops, two time slots of three sessions. Returns the form's choice of sessions."""
    EventRegistrationSettings.objects.update_or_create(
        event=event, defaults={"is_open": True, "capacity": REGISTRATIONS // 2, "max_places_per_person": 2}
    )
    if not workshops:
        return {}
    choices = {}
    for number in range(2):
        start = event.start + datetime.timedelta(hours=2 * number)
        slot = EventSlot.objects.create(event=event, title=f"Créneau {number + 1}", start=start, end=start)
        sessions = [
            EventSession.objects.create(slot=slot, title=f"Atelier {number + 1}.{index}", capacity=REGISTRATIONS)
            for index in range(3)
        ]
        choices[f"{SLOT_PREFIX}{slot.pk}"] = str(sessions[number].pk)
    return choices


def _registering(client, event: EventPage, choices: dict[str, str]) -> dict[str, float | int]:
    """REGISTRATIONS people register one after the other, each from an address of their own (the form's
    rate limit counts per address)."""
    url = f"{event.url}inscription/"
    timings, queries = [], 0
    for number in range(REGISTRATIONS):
        data = {"name": f"Personne {number}", "email": f"p{number}@example.org", "places": "1", **choices}
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.post(url, data, REMOTE_ADDR=f"10.9.{number // 250}.{number % 250 + 1}")
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, (url, response.status_code)
        queries = max(queries, len(context.captured_queries))
    timings.sort()
    median = round(statistics.median(timings), 2)
    return {
        "people": REGISTRATIONS,
        "queries": queries,
        "median_ms": median,
        "p90_ms": round(timings[max(0, int(len(timings) * 0.9) - 1)], 2),
        "within_limit": median < REGISTRATION_MS_MAX,
    }


def registrations(client, campaign: CampaignPage) -> dict[str, dict]:
    """Registering for two of the programme's events: one plain, one with workshops to choose."""
    events = list(EventPage.objects.filter(campaign=campaign).order_by("pk")[:2])
    return {
        name: _registering(client, event, _registrations_open(event, workshops=workshops))
        for (name, workshops), event in zip((("event", False), ("event with workshops", True)), events, strict=True)
    }


def campaigns(client) -> dict:
    """The programme's views with REGIONAL_EVENTS then NATIONAL_EVENTS events, and the regional PDF's build."""
    campaign = _campaign()
    campaign_scale(campaign=campaign, count=REGIONAL_EVENTS, report=lambda _line: None)
    regional = _views(client, campaign)
    started = time.perf_counter()
    programme = programme_pdf_build(campaign_id=campaign.pk, force=True)
    pdf_seconds = round(time.perf_counter() - started, 2)
    pdf = {
        "events": programme.event_count,
        "seconds": pdf_seconds,
        "bytes": programme.pdf.size,
        "within_limit": pdf_seconds < PDF_SECONDS_MAX,
    }
    registering = registrations(client, campaign)
    campaign_scale(campaign=campaign, count=NATIONAL_EVENTS, report=lambda _line: None)
    national = _views(client, campaign)
    return {
        "registrations": registering,
        "events": {"regional": REGIONAL_EVENTS, "national": NATIONAL_EVENTS},
        "views": {name: {"regional": regional[name], "national": national[name]} for name in regional},
        "pdf": pdf,
        "constant_queries": all(regional[name]["queries"] == national[name]["queries"] for name in regional),
    }
