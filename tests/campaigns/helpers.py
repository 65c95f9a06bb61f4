"""Campaigns and their events, built through Wagtail's page tree as the admin would save them."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone
from wagtail.models import Site

from casi_workspace.models import CampaignPage, EventPage
from tests.publications.helpers import publication_create

_numbers = itertools.count(1)


def campaign_create(*, start: datetime.date | None = None, days: int = 10, **fields: Any) -> CampaignPage:
    """A live campaign under the site's home page, from `start` (in a month by default) for `days` days."""
    number = next(_numbers)
    start = start or timezone.localdate() + datetime.timedelta(days=30)
    values = {
        "title": f"Campagne de test {number}",
        "slug": f"campagne-test-{number}",
        "start_date": start,
        "end_date": start + datetime.timedelta(days=days - 1),
    } | fields
    campaign = CampaignPage(**values)
    Site.objects.get(is_default_site=True).root_page.add_child(instance=campaign)
    campaign.save_revision().publish()
    campaign.refresh_from_db()
    return campaign


def at(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def campaign_event(
    campaign: CampaignPage, organisation: str = "brest-sahel-solidarite", *, day: int = 0, hour: int = 18, **fields: Any
) -> EventPage:
    """A published event of the organisation on the campaign's `day`-th day (0: the first), in it."""
    start = at(campaign.start_date + datetime.timedelta(days=day), hour)
    values = {"start": start, "end": start + datetime.timedelta(hours=2), "campaign": campaign} | fields
    return publication_create("event", organisation, **values)
