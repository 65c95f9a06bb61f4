"""An organisation's page lists its latest publications, each dated as a reader expects."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

ORGANISATION = "brest-sahel-solidarite"


def test_an_event_is_dated_by_when_it_takes_place_not_when_it_was_announced(client):
    start = (timezone.now() + datetime.timedelta(days=74)).replace(hour=18, minute=0, second=0, microsecond=0)
    event = publication_create(
        "event",
        ORGANISATION,
        title="Exposition photo : regards croisés",
        start=start,
        end=start + datetime.timedelta(hours=3),
    )
    news = publication_create("news", ORGANISATION, title="Retour d'assemblée générale")
    html = client.get(event.get_parent().url).content.decode()
    event_row = next(line for line in html.splitlines() if "Exposition photo" in line)
    news_row = next(line for line in html.splitlines() if "Retour d" in line and "assemblée générale" in line)
    assert f'datetime="{timezone.localtime(start):%Y-%m-%d}"' in event_row
    assert f'datetime="{timezone.localtime(news.first_published_at):%Y-%m-%d}"' in news_row
    assert f'datetime="{timezone.localtime(event.first_published_at):%Y-%m-%d}"' not in event_row
