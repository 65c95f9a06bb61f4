"""The agenda's month filter, as a visitor reads it: "Tous les mois", then the months that have items, by name
("février 2027"); never a browser's empty month field ("--------- ----"); a bounded list in one query."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casi_workspace.models import EventPage
from casi_workspace.publications.selectors.listings import MONTH_CHOICES_MAX
from tests.helpers import french
from tests.publications.helpers import publication_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

BREST = "brest-sahel-solidarite"
SELECT = re.compile(r'<select name="month"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def _options(response) -> list[tuple[str, bool, str]]:
    """The month filter's options: (value, selected, text)."""
    assert response.status_code == 200
    (select,) = SELECT.findall(response.content.decode())
    return [(value, bool(selected), unescape(text)) for value, selected, text in OPTION.findall(select)]


def _at(year: int, month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 18))


def test_the_month_filter_offers_every_month_then_the_months_with_events_by_name(client):
    year = timezone.localdate().year + 1
    publication_create("event", BREST, start=_at(year, 2), end=_at(year, 2) + datetime.timedelta(hours=2))
    # An event over two months is found in each of them.
    publication_create("event", BREST, start=_at(year, 3, 30), end=_at(year, 4, 2))

    options = _options(client.get("/agenda/"))

    assert options[0] == ("", True, "Tous les mois")
    labels = dict((value, text) for value, _selected, text in options)
    assert labels[f"{year}-02"] == f"février {year}"
    assert labels[f"{year}-03"] == f"mars {year}" and labels[f"{year}-04"] == f"avril {year}"
    values = [value for value, _selected, _text in options[1:]]
    assert values == sorted(values) and len(values) == len(set(values))
    # Only months in which something happens.
    for value in values:
        month_start = datetime.date(int(value[:4]), int(value[5:]), 1)
        response = client.get("/agenda/", {"month": value, "when": "all"})
        assert french("Nothing matches these filters.") not in unescape(response.content.decode()), month_start
    html = client.get("/agenda/").content.decode()
    assert "----" not in html and 'type="month"' not in html


def test_a_chosen_month_is_selected_and_lists_its_events(client):
    year = timezone.localdate().year + 1
    february = publication_create("event", BREST, start=_at(year, 2), end=None)

    response = client.get("/agenda/", {"month": f"{year}-02"})

    selected = [(value, text) for value, is_selected, text in _options(response) if is_selected]
    assert selected == [(f"{year}-02", f"février {year}")]
    assert february.title in response.content.decode()


def test_a_month_from_an_old_link_is_offered_even_without_events(client):
    year = timezone.localdate().year + 2
    response = client.get("/agenda/", {"month": f"{year}-08"})
    assert (f"{year}-08", True, f"août {year}") in _options(response)
    # A forged value is dropped: no month is selected, the list shows its first choice, every month.
    forged = _options(client.get("/agenda/", {"month": "2026-13"}))
    assert forged[0][2] == "Tous les mois"
    assert not [value for value, selected, _text in forged if selected and value]


def test_trainings_have_the_month_filter_and_the_other_indexes_do_not(client):
    year = timezone.localdate().year + 1
    publication_create("training", BREST, start=_at(year, 5), end=None)
    assert (f"{year}-05", False, f"mai {year}") in _options(client.get("/formations/"))
    assert 'name="month"' not in client.get("/actualites/").content.decode()


def test_the_month_list_is_bounded_and_costs_the_same_queries_with_many_months(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/agenda/").status_code == 200
        return len(context.captured_queries)

    queries()  # the first request also fills the caches every later one reads (site, menu)
    before = queries()
    # Spread demo events over five years of months, ahead and long past.
    today = timezone.localdate()
    events = list(EventPage.objects.order_by("pk").values_list("pk", flat=True)[:70])
    for offset, pk in enumerate(events):
        index = today.year * 12 + today.month - 1 + offset - 10
        start = _at(index // 12, index % 12 + 1)
        EventPage.objects.filter(pk=pk).update(start=start, end=start + datetime.timedelta(hours=2))

    options = _options(client.get("/agenda/"))
    assert len(options) == 1 + MONTH_CHOICES_MAX
    assert queries() == before
