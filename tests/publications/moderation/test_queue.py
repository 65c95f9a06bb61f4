"""The coordinators' moderation queue in the admin: who may open it, what it lists, filters, pages, queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from casi_workspace.models import OrganisationPage

from .helpers import QUEUE_URL, draft_news, pending_task_state, sign_in, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_queue() -> None:
    """Withdraw the demo's pending news (asso-b's): each test fills the queue itself."""
    for state in WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS):
        state.cancel()


@pytest.fixture
def asso_b() -> User:
    return User.objects.get(username="asso-b")


def _queue_item(slug: str, title: str, submitter: User | None, *, days_ago: int = 0, **fields):
    """A news item of organisation `slug` submitted `days_ago` days ago."""
    page = draft_news(OrganisationPage.objects.get(slug=slug), title, **fields)
    submit(page, submitter)
    if days_ago:
        started = timezone.now() - datetime.timedelta(days=days_ago, minutes=5)
        TaskState.objects.filter(pk=pending_task_state(page).pk).update(started_at=started)
    return page


def _rows(html: str) -> list[str]:
    """The queue's rows, as the titles of their links, top to bottom."""
    table = html.split("data-moderation-queue", 1)[1] if "data-moderation-queue" in html else ""
    return re.findall(r'<td><a href="/admin/pages/\d+/edit/">([^<]+)</a></td>', table)


def test_only_those_who_may_decide_open_the_queue(client):
    assert client.get(QUEUE_URL).status_code == 302  # to the admin's sign-in page
    for username in ("asso-a", "asso-b", "membre-gt"):
        response = sign_in(client, username).get(QUEUE_URL)
        assert response.status_code == 403, username
    for username in ("coordination", "collectif-29", "admin"):
        assert sign_in(client, username).get(QUEUE_URL).status_code == 200, username


def test_a_collectives_coordinators_see_their_members_items_and_the_network_sees_all(client, asso_b):
    _queue_item("douarnenez-madagascar", "Nouvelles de Madagascar", asso_b)
    _queue_item("saint-brieuc-togo", "Nouvelles du Togo", None)
    _queue_item("redon-niger", "Nouvelles du Niger", None)
    finistere = _rows(sign_in(client, "collectif-29").get(QUEUE_URL).content.decode())
    assert "Nouvelles de Madagascar" in finistere
    assert "Nouvelles du Togo" not in finistere and "Nouvelles du Niger" not in finistere
    for username in ("coordination", "admin"):
        rows = _rows(sign_in(client, username).get(QUEUE_URL).content.decode())
        assert {"Nouvelles de Madagascar", "Nouvelles du Togo", "Nouvelles du Niger"} <= set(rows), username


def test_rows_are_oldest_first_with_type_organisation_submitter_and_age(client, asso_b):
    _queue_item("douarnenez-madagascar", "Récente", asso_b, days_ago=1)
    _queue_item("morlaix-burkina", "Ancienne", None, days_ago=3, proposer_name="Maëlle Riou")
    douarnenez = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    douarnenez.acronym = "DZM"
    douarnenez.save_revision(user=asso_b)
    submit(douarnenez, asso_b)  # the organisation's own page, submitted today
    html = sign_in(client, "collectif-29").get(QUEUE_URL).content.decode()
    rows = _rows(html)
    assert rows.index("Ancienne") < rows.index("Récente") < rows.index("Douarnenez – Madagascar")
    table = html.split("data-moderation-queue", 1)[1]
    old = table.split("Ancienne", 1)[1].split("</tr>", 1)[0]
    assert (
        OrganisationPage.objects.get(slug="morlaix-burkina").title in old
        and "Maëlle Riou" in old
        and "3\xa0jours" in old
    )
    recent = table.split("Récente", 1)[1].split("</tr>", 1)[0]
    assert "Douarnenez – Madagascar" in recent and "Bertrand Le Bihan" in recent and "1\xa0jour" in recent
    page_row = table.split('data-kind="organisationpage"', 1)[1].split("</tr>", 1)[0]
    assert "Douarnenez – Madagascar" in page_row and "Bertrand Le Bihan" in page_row


def test_counts_and_filters_by_organisation_and_type(client, asso_b):
    for number in range(3):
        _queue_item("douarnenez-madagascar", f"Douarnenez {number}", asso_b)
    _queue_item("morlaix-burkina", "Morlaix 0", None)
    douarnenez = OrganisationPage.objects.get(slug="douarnenez-madagascar")
    morlaix = OrganisationPage.objects.get(slug="morlaix-burkina")
    douarnenez.save_revision(user=asso_b)
    submit(douarnenez, asso_b)
    sign_in(client, "collectif-29")

    html = client.get(QUEUE_URL).content.decode()
    assert f'<span data-count="{douarnenez.pk}">(4)</span>' in html
    assert f'<span data-count="{morlaix.pk}">(1)</span>' in html
    assert '<span data-count="news">(4)</span>' in html
    assert '<span data-count="organisationpage">(1)</span>' in html

    assert sorted(_rows(client.get(QUEUE_URL, {"organisation": morlaix.pk}).content.decode())) == ["Morlaix 0"]
    by_kind = _rows(client.get(QUEUE_URL, {"kind": "organisationpage"}).content.decode())
    assert by_kind == ["Douarnenez – Madagascar"]
    both = _rows(client.get(QUEUE_URL, {"kind": "news", "organisation": douarnenez.pk}).content.decode())
    assert both == ["Douarnenez 0", "Douarnenez 1", "Douarnenez 2"]

    everything = _rows(client.get(QUEUE_URL).content.decode())
    for bad in (
        {"kind": "zzz", "organisation": "abc"},
        {"organisation": "999999999999999999999999"},
        {"organisation": str(OrganisationPage.objects.get(slug="redon-niger").pk)},  # not in this queue
        {"kind": "\x00", "organisation": "-1", "page": "\x00"},
    ):
        response = client.get(QUEUE_URL, bad)
        assert response.status_code == 200, bad
        assert _rows(response.content.decode()) == everything, bad


def test_the_queue_is_paginated(client, asso_b, settings):
    for number in range(25):
        _queue_item("douarnenez-madagascar", f"Brève {number:02d}", asso_b, days_ago=30 - number)
    sign_in(client, "collectif-29")
    first = _rows(client.get(QUEUE_URL).content.decode())
    assert first == [f"Brève {number:02d}" for number in range(20)]
    assert _rows(client.get(QUEUE_URL, {"page": "2"}).content.decode())[-5:] == [
        f"Brève {number:02d}" for number in range(20, 25)
    ]
    assert _rows(client.get(QUEUE_URL, {"page": "abc"}).content.decode()) == first
    last = client.get(QUEUE_URL, {"page": "999"})
    assert last.status_code == 200 and "Brève 24" in _rows(last.content.decode())


def _queries(client) -> int:
    client.get(QUEUE_URL)  # warm the per-process caches (content types, site) first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE_URL).status_code == 200
    return len(queries)


def test_the_queue_makes_the_same_number_of_queries_for_3_and_30_items(client, asso_b):
    slugs = ["douarnenez-madagascar", "morlaix-burkina", "landerneau-haiti"]
    for number in range(3):
        _queue_item(slugs[number % 3], f"Petite file {number}", asso_b if number % 2 else None)
    sign_in(client, "collectif-29")
    small = _queries(client)
    for number in range(3, 30):
        _queue_item(slugs[number % 3], f"Grande file {number}", asso_b if number % 2 else None)
    large = _queries(client)
    assert len(_rows(client.get(QUEUE_URL).content.decode())) == 20
    assert small == large


def test_the_admin_menu_shows_the_queue_and_its_count_to_moderators_only(client, asso_b):
    _queue_item("douarnenez-madagascar", "Pour le menu", asso_b)
    html = sign_in(client, "collectif-29").get("/admin/").content.decode()
    assert re.search(r'"name": "casi-moderation", "label": "[^"]+ \(1\)"', html)
    assert '"casi-moderation"' in sign_in(client, "coordination").get("/admin/").content.decode()
    for username in ("asso-a", "asso-b", "membre-gt"):
        response = sign_in(client, username).get("/admin/", follow=True)
        assert '"casi-moderation"' not in response.content.decode(), username
