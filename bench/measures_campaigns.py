"""The benchmark's campaign measures (bench/run.py): a regional programme of 300 events and a national one of
4,000 (paginated) through the test client, the same query counts at both sizes, and the background build
of the 300 events' printable programme (under 30 s, never inside a request).

Its imports need the models: bench/run.py imports it once the database is seeded and Django set up.
"""

from __future__ import annotations

import datetime
import os
import time

from django.utils import timezone
from wagtail.models import Site

from bench.measures import view_measure
from casi_workspace.campaigns.tasks import programme_pdf_build
from casi_workspace.demo.scale import campaign_scale
from casi_workspace.models import CampaignPage

REGIONAL_EVENTS = int(os.environ.get("CAMPAIGN_EVENTS", "300"))
NATIONAL_EVENTS = int(os.environ.get("NATIONAL_CAMPAIGN_EVENTS", "4000"))
PDF_SECONDS_MAX = 30
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
    campaign_scale(campaign=campaign, count=NATIONAL_EVENTS, report=lambda _line: None)
    national = _views(client, campaign)
    return {
        "events": {"regional": REGIONAL_EVENTS, "national": NATIONAL_EVENTS},
        "views": {name: {"regional": regional[name], "national": national[name]} for name in regional},
        "pdf": pdf,
        "constant_queries": all(regional[name]["queries"] == national[name]["queries"] for name in regional),
    }
