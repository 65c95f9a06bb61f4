"""The network's publication indexes: what they list, their filters, order, pagination and cost."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from casi_workspace.publications.models.publications import ResourcePage
from tests.publications.helpers import INDEXES, publication_create

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

BREST = "brest-sahel-solidarite"  # Finistère (29), trusted
DOUARNENEZ = "douarnenez-madagascar"  # Finistère (29), moderated
NETWORK = "casi-bretagne"  # Ille-et-Vilaine (35), the network's own organisation
MAX_LISTING_QUERIES = 15


@pytest.fixture(autouse=True)
def _one_page(settings):
    """Every item on one page, whatever the demo publishes besides the test's own items."""
    settings.CASI_WORKSPACE_PAGE_SIZE = 1000


def _listed(response) -> list[str]:
    """The titles a visitor sees in the listing, in order."""
    assert response.status_code == 200
    html = response.content.decode()
    listing = html.split('class="card-list card-grid publication-list"', 1)[1]
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', listing)


def _days(n: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=n)


def _today(n: int = 0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.mark.parametrize("kind", INDEXES)
def test_each_index_lists_the_live_public_items_of_every_organisation(client, kind):
    titles = {publication_create(kind, slug).title for slug in (BREST, DOUARNENEZ, NETWORK)}
    other_kind = publication_create("project" if kind == "news" else "news", BREST)

    listed = _listed(client.get(INDEXES[kind]))

    assert titles <= set(listed)
    assert other_kind.title not in listed


@pytest.mark.parametrize("kind", INDEXES)
def test_drafts_pending_private_and_expired_items_never_appear(client, kind):
    visible = publication_create(kind, BREST)
    draft = publication_create(kind, BREST, live=False)
    pending = publication_create(kind, DOUARNENEZ, live=False)
    pending.get_workflow().start(pending, get_user_model().objects.get(username="asso-b"))
    private = publication_create(kind, BREST)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    expired = publication_create(kind, BREST, expire_at=timezone.now() - datetime.timedelta(minutes=1))
    assert expired.live  # still live until publish_scheduled runs: the listing leaves it out by itself

    listed = _listed(client.get(INDEXES[kind]))

    assert visible.title in listed
    for hidden in (draft, pending, private, expired):
        assert hidden.title not in listed


def test_calls_past_their_deadline_leave_the_listing_by_themselves(client):
    open_call = publication_create("call", BREST, deadline=_today(3))
    last_day = publication_create("call", BREST, deadline=_today())
    closed = publication_create("call", BREST, deadline=_today(-1))

    listed = _listed(client.get(INDEXES["call"]))

    assert open_call.title in listed and last_day.title in listed
    assert closed.title not in listed
    assert listed.index(last_day.title) < listed.index(open_call.title)  # closest deadline first


def test_offers_past_their_deadline_leave_the_listing_and_offers_without_one_stay(client):
    soon = publication_create("offer", BREST, deadline=_today(2))
    later = publication_create("offer", BREST, deadline=_today(20))
    no_deadline = publication_create("offer", BREST, deadline=None)
    closed = publication_create("offer", BREST, deadline=_today(-1))

    listed = _listed(client.get(INDEXES["offer"]))

    assert closed.title not in listed
    assert listed.index(soon.title) < listed.index(later.title) < listed.index(no_deadline.title)


def test_the_agenda_shows_upcoming_events_soonest_first_and_past_ones_on_request(client):
    next_week = publication_create("event", BREST, start=_days(7), end=_days(7) + datetime.timedelta(hours=2))
    tomorrow = publication_create("event", BREST, start=_days(1), end=None)
    running = publication_create("event", BREST, start=_days(-1), end=_days(1))  # started, not over
    last_month = publication_create("event", BREST, start=_days(-30), end=_days(-30) + datetime.timedelta(hours=2))
    last_week = publication_create("event", BREST, start=_days(-7), end=None)

    upcoming = _listed(client.get("/agenda/"))
    assert [t for t in upcoming if t in {next_week.title, tomorrow.title, running.title}] == [
        running.title,
        tomorrow.title,
        next_week.title,
    ]
    assert last_month.title not in upcoming and last_week.title not in upcoming
    assert _listed(client.get("/agenda/?when=upcoming")) == upcoming

    past = _listed(client.get("/agenda/?when=past"))
    assert [t for t in past if t in {last_month.title, last_week.title}] == [last_week.title, last_month.title]
    assert next_week.title not in past and running.title not in past


def test_the_month_filter_keeps_the_items_of_that_month(client):
    start = timezone.make_aware(datetime.datetime(timezone.localdate().year + 1, 3, 10, 18))
    in_march = publication_create("event", BREST, start=start, end=start + datetime.timedelta(hours=2))
    in_april = publication_create("event", BREST, start=start + datetime.timedelta(days=31), end=None)
    training = publication_create("training", BREST, start=start, end=None)
    month = start.strftime("%Y-%m")

    listed = _listed(client.get(f"/agenda/?month={month}"))
    assert in_march.title in listed and in_april.title not in listed
    assert _listed(client.get(f"/agenda/?month={month}&when=all")) == listed
    assert training.title in _listed(client.get(f"/formations/?month={month}"))


def test_trainings_are_listed_as_an_agenda(client):
    future = publication_create("training", BREST, start=_days(10), end=None)
    past = publication_create("training", BREST, start=_days(-10), end=None)

    assert future.title in _listed(client.get("/formations/"))
    assert past.title not in _listed(client.get("/formations/"))
    assert past.title in _listed(client.get("/formations/?when=past"))


def test_news_are_listed_newest_first(client):
    old = publication_create("news", BREST, first_published_at=timezone.now() - datetime.timedelta(days=3))
    new = publication_create("news", DOUARNENEZ)

    listed = _listed(client.get("/actualites/"))

    assert listed.index(new.title) < listed.index(old.title)


def test_organisation_departement_and_tag_filters_narrow_the_listing(client):
    brest = publication_create("news", BREST, tags=["Eau potable"])
    douarnenez = publication_create("news", DOUARNENEZ, tags=["Éducation"])
    network = publication_create("news", NETWORK, tags=["Eau potable"])

    by_organisation = _listed(client.get(f"/actualites/?organisation={BREST}"))
    assert brest.title in by_organisation
    assert douarnenez.title not in by_organisation and network.title not in by_organisation

    by_department = _listed(client.get("/actualites/?departement=35"))
    assert network.title in by_department
    assert brest.title not in by_department and douarnenez.title not in by_department

    water = Tag.objects.get(name="Eau potable").slug
    by_tag = _listed(client.get(f"/actualites/?tag={water}"))
    assert {brest.title, network.title} <= set(by_tag)
    assert douarnenez.title not in by_tag

    both = _listed(client.get(f"/actualites/?tag={water}&organisation={NETWORK}"))
    assert network.title in both and brest.title not in both


def test_the_departement_of_the_item_wins_over_the_organisation_s(client):
    in_morbihan = publication_create("event", BREST, department="56", commune="Vannes")
    in_brest = publication_create("event", BREST)

    assert in_brest.department == "29"
    assert in_morbihan.title in _listed(client.get("/agenda/?departement=56"))
    assert in_brest.title not in _listed(client.get("/agenda/?departement=56"))
    assert in_morbihan.title not in _listed(client.get("/agenda/?departement=29"))


@pytest.mark.parametrize(
    ("kind", "field", "wanted", "other"),
    [
        ("offer", "offer_kind", "civic_service", "internship"),
        ("resource", "resource_kind", "survey", "guide"),
        ("project", "status", "completed", "ongoing"),
    ],
)
def test_the_type_filter_narrows_to_one_type(client, kind, field, wanted, other):
    match = publication_create(kind, BREST, **{field: wanted})
    no_match = publication_create(kind, BREST, **{field: other})

    listed = _listed(client.get(f"{INDEXES[kind]}?type={wanted}"))

    assert match.title in listed and no_match.title not in listed


def test_filter_choices_offer_only_what_the_index_holds_with_labels(client):
    publication_create("resource", NETWORK, tags=["Plaidoyer"])
    for resource in ResourcePage.objects.live().filter(organisation__slug="morlaix-burkina"):
        resource.unpublish()  # the demo gives it resources
    html = client.get("/ressources/").content.decode()

    for name in ("organisation", "departement", "tag", "type"):
        assert f'<label for="id_{name}">' in html
    assert f'<option value="{NETWORK}">' in html
    assert f'<option value="{Tag.objects.get(name="Plaidoyer").slug}">Plaidoyer</option>' in html
    assert 'value="morlaix-burkina"' not in html  # publishes no resource
    assert 'name="when"' not in html  # only the agenda and the trainings have periods


BAD_QUERIES = [
    "page=abc",
    "page=-1",
    "page=99999999999999999999",
    "page=0",
    "organisation=n-existe-pas",
    "organisation=%3Cscript%3E",
    "departement=999",
    "tag=%00",
    "type=%00%01",
    "when=tomorrow",
    "month=2026-13",
    "month=99999-01",
    "month=0000-01",
    "month=%00",
    "month=" + "9" * 5000,
    "organisation=a&organisation=b&page=2&page=x",
]
# Invalid values are ignored: the listing is the unfiltered one, never an empty page.
IGNORED = ("page=abc", "organisation=n-existe-pas", "month=2026-13", "when=tomorrow", "tag=%00")


@pytest.mark.parametrize("kind", INDEXES)
def test_bad_page_and_filter_values_never_fail(client, kind):
    item = publication_create(kind, BREST)

    for query in BAD_QUERIES:
        response = client.get(f"{INDEXES[kind]}?{query}")

        assert response.status_code == 200, query
        if query in IGNORED:
            assert item.title in _listed(response), query


def test_pagination_keeps_the_filters(client, settings):
    settings.CASI_WORKSPACE_PAGE_SIZE = 2
    items = [publication_create("news", NETWORK, tags=["Pagination"]) for _ in range(3)]

    tag = Tag.objects.get(name="Pagination").slug
    first = client.get(f"/actualites/?tag={tag}")
    second = client.get(f"/actualites/?tag={tag}&page=2")

    assert len(_listed(first)) == 2 and len(_listed(second)) == 1
    assert set(_listed(first)) | set(_listed(second)) == {item.title for item in items}
    assert f"?tag={tag}&amp;page=2" in first.content.decode()
    assert "3 " in first.content.decode().split('class="result-count"', 1)[1][:80]


def test_feeds_calendar_and_proposal_links_are_announced(client):
    html = client.get("/agenda/").content.decode()

    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/agenda/flux/rss/"' in html and 'href="/agenda/flux/atom/"' in html
    assert 'href="/agenda/calendrier/"' in html
    assert 'href="/agenda/proposer/"' in html
    news = client.get("/actualites/").content.decode()
    assert 'href="/actualites/flux/rss/"' in news and "/actualites/calendrier/" not in news


def test_signed_in_editors_see_the_proposal_links(client, login):
    anonymous = client.get("/actualites/").content.decode()
    assert f'href="{reverse("casi_workspace:propose_news")}"' not in anonymous

    editor = login("asso-a")

    assert f'href="{reverse("casi_workspace:propose_news")}"' in editor.get("/actualites/").content.decode()
    assert f'href="{reverse("casi_workspace:propose_event")}"' in editor.get("/agenda/").content.decode()


@pytest.mark.parametrize("kind", INDEXES)
def test_an_index_page_stays_within_its_query_budget(client, kind):
    for slug in (BREST, DOUARNENEZ, NETWORK):
        publication_create(kind, slug, tags=["Budget", slug])
    url = f"{INDEXES[kind]}?tag={Tag.objects.get(name='Budget').slug}"
    client.get(url)  # warm the process-wide caches (content types, site root paths)

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)

    assert len(_listed(response)) == 3
    assert len(context.captured_queries) <= MAX_LISTING_QUERIES
