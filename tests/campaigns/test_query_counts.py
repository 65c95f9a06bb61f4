"""A campaign's programme, map, feeds and admin screens cost as many queries with 1,000 events as with 10."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casi_workspace.demo.scale import campaign_scale
from tests.campaigns.helpers import campaign_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

SMALL, LARGE = 10, 1000
# What the programme's page needs: the site and page routing, the private pages' depths, the filters'
# choices (two), the count and the page of events, the printed programme's row, the brand and menu.
MAX_PROGRAMME = 20


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


def test_the_programme_costs_a_fixed_number_of_queries(login):
    campaign = campaign_create(days=17)
    base = campaign.url
    public = [
        base,
        f"{base}?departement=29&tarif=free",
        f"{base}?page=2",
        f"{base}carte/",
        f"{base}flux/rss/",
        f"{base}calendrier/",
    ]
    coordinator = login("coordination")
    admin = [
        f"/admin/casi_workspace/campagnes/{campaign.pk}/programme/",
        f"/admin/casi_workspace/campagnes/{campaign.pk}/statistiques/",
    ]

    assert campaign_scale(campaign=campaign, count=SMALL, report=lambda _line: None) == SMALL
    visitor = Client()
    for url in public:
        visitor.get(url)  # warm the process-wide caches first
    for url in admin:
        coordinator.get(url)
    small = {url: _queries(visitor, url) for url in public} | {url: _queries(coordinator, url) for url in admin}

    assert campaign_scale(campaign=campaign, count=LARGE, report=lambda _line: None) == LARGE
    large = {url: _queries(visitor, url) for url in public} | {url: _queries(coordinator, url) for url in admin}
    assert large == small
    assert small[base] <= MAX_PROGRAMME, small
    page = visitor.get(base).content.decode()
    assert re.search(r"1\D?000 événements", page)
