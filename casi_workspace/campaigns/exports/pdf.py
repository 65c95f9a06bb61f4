"""The printable programme: the campaign's public events by day and commune, in the network's colours.

WeasyPrint lays out HTML and CSS without a browser. The HTML comes from a Django template, so every text
that members typed (titles, venues, summaries) is escaped as on the site. WeasyPrint fetches nothing from
the network: its only source besides the HTML is the site's media storage, for the network's logo.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from casi_workspace.campaigns.models import CampaignPage
from casi_workspace.campaigns.selectors import ProgrammeFilters, campaign_events, programme_filter, programme_group
from casi_workspace.conf import host_setting
from casi_workspace.core.brand import brand_for_page
from casi_workspace.core.pdf import BASE_URL, pdf_render

TEMPLATE = "casi_workspace/campaigns/programme_pdf.html"


def media_only_fetch(url: str) -> bytes:
    """The programme's fetch policy: the site's media storage only (the logo's rendition); nothing from the
    network, no local file, whatever address a text might smuggle into the HTML."""
    parts = urlsplit(url)
    media_url = host_setting("MEDIA_URL") or "/media/"
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(media_url):
        raise ValueError(f"not fetched: {url}")
    name = parts.path.removeprefix(media_url)
    if ".." in name.split("/"):
        raise ValueError(f"not fetched: {url}")
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def programme_context(campaign: CampaignPage) -> dict[str, Any]:
    """What the printed programme shows: the campaign, every public event grouped, the brand, when."""
    events = list(programme_filter(campaign_events(campaign), ProgrammeFilters()))
    return {
        "campaign": campaign,
        "days": programme_group(events),
        "event_count": len(events),
        "brand": brand_for_page(campaign),
        "generated_at": timezone.localtime(),
        "campaign_url": campaign.full_url or "",
    }


def programme_pdf_render(campaign: CampaignPage) -> tuple[bytes, int]:
    """The programme as PDF bytes, with the number of events it lists. Seconds for hundreds of events:
    only the background task calls it."""
    with translation.override(host_setting("LANGUAGE_CODE")):
        context = programme_context(campaign)
        html = render_to_string(TEMPLATE, context)
    return pdf_render(html, fetch=media_only_fetch), context["event_count"]


def programme_filename(campaign: CampaignPage, day: datetime.date | None = None) -> str:
    stamp = (day or timezone.localdate()).isoformat()
    return f"programme-{campaign.slug}-{stamp}.pdf"
