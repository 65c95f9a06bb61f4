"""Following a partner source: what is imported, updated and withdrawn, and what a failing source keeps."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casi_workspace.exchange.models import PartnerItem, PartnerSource
from casi_workspace.exchange.services import source_sync, sources_due
from tests.exchange.conftest import answer, conditional_answer
from tests.exchange.partner import partner_site_serve
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_partners(settings):
    settings.CASI_WORKSPACE_PARTNER_ALLOWED_HOSTS = ["127.0.0.1"]


def _ical(*events: tuple[str, str, str], extra: str = "") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Partenaire//FR"]
    for uid, summary, start in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"SUMMARY:{summary}",
            f"DTSTART:{start}",
            "LOCATION:Nantes",
            "URL:https://partenaire.example/agenda/1",
            extra or "DESCRIPTION:Une rencontre",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines).encode()


def _source(base: str, path: str, kind: str = "ical", **fields) -> PartnerSource:
    return PartnerSource.objects.create(name="Réseau Pays de la Loire", url=f"{base}{path}", kind=kind, **fields)


def _live(source: PartnerSource) -> dict[str, PartnerItem]:
    return {item.title: item for item in source.items.filter(withdrawn_at__isnull=True)}


def test_a_calendar_is_imported_then_updated_in_place_and_missing_events_withdrawn(server):
    base, routes, _seen = server
    routes["/agenda.ics"] = answer(_ical(("a", "Forum", "20270110T090000Z"), ("b", "Festival", "20270120T090000Z")))
    source = _source(base, "/agenda.ics")

    report = source_sync(source)

    assert (report.created, report.error) == (2, "")
    forum = _live(source)["Forum"]
    assert forum.start == datetime.datetime(2027, 1, 10, 9, tzinfo=datetime.UTC)
    assert (forum.place, forum.url, forum.kind) == ("Nantes", "https://partenaire.example/agenda/1", "event")

    routes["/agenda.ics"] = answer(_ical(("a", "Forum régional", "20270110T090000Z")))
    report = source_sync(source, complete=True)

    assert (report.created, report.updated, report.withdrawn) == (0, 1, 1)
    assert set(_live(source)) == {"Forum régional"}
    assert _live(source)["Forum régional"].pk == forum.pk
    assert source.items.get(external_id="b").withdrawn_at is not None


def test_a_calendar_that_changes_its_identifiers_at_every_fetch_is_recognised_by_fingerprint(server):
    base, routes, _seen = server
    routes["/agenda.ics"] = answer(_ical(("x-1", "Forum", "20270110T090000Z")))
    source = _source(base, "/agenda.ics")
    source_sync(source)
    first = source.items.get()

    routes["/agenda.ics"] = answer(_ical(("x-2", "Forum", "20270110T090000Z")))
    report = source_sync(source, complete=True)

    assert (report.created, report.withdrawn) == (0, 0)
    assert source.items.get().pk == first.pk
    assert source.items.get().external_id == "x-2"


def test_hostile_content_is_cleaned_before_it_is_stored(server):
    base, routes, _seen = server
    body = _ical(
        ("evil", "Fête <script>alert(1)</script>", "20270110T090000Z"),
        extra="DESCRIPTION:<img src=x onerror=alert(1)>Texte",
    )
    routes["/agenda.ics"] = answer(body.replace(b"https://partenaire.example/agenda/1", b"javascript:alert(1)"))
    source = _source(base, "/agenda.ics")

    source_sync(source)

    item = source.items.get()
    assert item.title == "Fête"
    assert item.summary == "Texte"
    assert item.url == ""


def test_rss_and_atom_feeds_are_read(server):
    base, routes, _seen = server
    routes["/rss"] = answer(
        b"""<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>
        <item><title>Appel Sahel</title><link>https://p.example/appel</link><guid>g1</guid>
        <description>&lt;p&gt;Jusqu'au 1er mars&lt;/p&gt;</description>
        <pubDate>Mon, 07 Dec 2026 10:00:00 +0000</pubDate></item>
        </channel></rss>"""
    )
    routes["/atom"] = answer(
        b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>P</title>
        <entry><id>urn:1</id><title>Guide ECSI</title><link href="https://p.example/guide"/>
        <updated>2026-12-01T10:00:00Z</updated><summary>Un guide</summary></entry></feed>"""
    )
    calls = _source(base, "/rss", kind="feed", item_kind="call")
    guides = _source(base, "/atom", kind="feed", item_kind="resource")

    source_sync(calls)
    source_sync(guides)

    call = calls.items.get()
    assert (call.title, call.kind, call.url, call.summary) == (
        "Appel Sahel",
        "call",
        "https://p.example/appel",
        "Jusqu'au 1er mars",
    )
    assert call.modified_at == datetime.datetime(2026, 12, 7, 10, tzinfo=datetime.UTC)
    guide = guides.items.get()
    assert (guide.title, guide.kind, guide.external_id, guide.url) == (
        "Guide ECSI",
        "resource",
        "urn:1",
        "https://p.example/guide",
    )


def test_another_site_of_this_product_is_followed_through_its_exchange_format(server, client):
    base, routes, seen = server
    event = publication_create("event", "brest-sahel-solidarite", title="Assises de Loire-Atlantique")
    published = set()
    for dataset in ("evenements", "formations"):  # every page, as this site serves them, at the partner's address
        path = f"/donnees/v1/{dataset}/"
        while path:
            body = client.get(path).content.replace(b"http://testserver", base.encode())
            routes[path] = answer(body)
            published |= {item["identifier"] for item in json.loads(body)["items"]}
            following = json.loads(body)["next"]
            path = following.removeprefix(base) if following else None
    routes["/donnees/catalogue.jsonld"] = answer(client.get("/donnees/catalogue.jsonld").content)
    source = _source(base, "/donnees/", kind="casi", datasets=["evenements", "formations"])

    report = source_sync(source)

    assert report.error == ""
    item = source.items.get(external_id=str(event.pk))
    assert (item.title, item.kind, item.organisation_name) == (
        "Assises de Loire-Atlantique",
        "event",
        event.organisation.title,
    )
    assert item.url.endswith(event.url)
    assert {path.split("?")[0] for path, _headers in seen} == {
        "/donnees/catalogue.jsonld",
        "/donnees/v1/evenements/",
        "/donnees/v1/formations/",
    }
    assert set(source.items.values_list("external_id", flat=True)) == published

    seen.clear()
    routes["/donnees/v1/evenements/"] = answer(
        b'{"version": "1", "items": [], "next": null, "withdrawn": [{"identifier": "%d"}]}' % event.pk
    )
    source_sync(source)

    assert "modifie_depuis=" in seen[1][0]
    assert source.items.get(external_id=str(event.pk)).withdrawn_at is not None


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (answer(b"", status=500), "statut HTTP 500"),
        (answer(b"<html>maintenance</html>"), "pas un fichier iCalendar"),
        (
            answer(b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n" * 60 + b"END:VCALENDAR\r\n"),
            "plus de 50",
        ),
    ],
)
def test_a_failing_source_records_its_error_and_keeps_what_was_imported(server, settings, route, message):
    settings.CASI_WORKSPACE_PARTNER_MAX_ITEMS = 50
    base, routes, _seen = server
    routes["/agenda.ics"] = answer(_ical(("a", "Forum", "20270110T090000Z")))
    source = _source(base, "/agenda.ics")
    source_sync(source)
    success = source.last_success_at

    routes["/agenda.ics"] = route
    report = source_sync(source, complete=True)

    source.refresh_from_db()
    assert message in report.error and message in source.last_error
    assert source.last_success_at == success
    assert set(_live(source)) == {"Forum"}


def test_a_source_silent_for_too_long_loses_its_items_from_the_public_site(server):
    base, routes, _seen = server
    routes["/agenda.ics"] = answer(_ical(("a", "Forum", "20270110T090000Z")))
    source = _source(base, "/agenda.ics")
    source_sync(source)
    routes["/agenda.ics"] = answer(b"", status=503)

    source_sync(source, now=timezone.now() + datetime.timedelta(days=10))
    assert set(_live(source)) == {"Forum"}
    PartnerItem.objects.update(received_at=timezone.now() - datetime.timedelta(days=40))
    source_sync(source, now=timezone.now() + datetime.timedelta(days=31))
    assert _live(source) == {}


def test_an_unchanged_calendar_is_not_read_again(server):
    base, routes, seen = server

    routes["/agenda.ics"] = conditional_answer(_ical(("a", "Forum", "20270110T090000Z")), '"v1"')
    source = _source(base, "/agenda.ics")
    source_sync(source)

    report = source_sync(source, complete=False)

    assert report.unchanged
    assert seen[-1][1]["If-None-Match"] == '"v1"'
    assert set(_live(source)) == {"Forum"}


def test_a_source_on_the_servers_own_network_is_refused_unless_allowed(server, settings):
    settings.CASI_WORKSPACE_PARTNER_ALLOWED_HOSTS = []
    base, routes, seen = server
    routes["/agenda.ics"] = answer(_ical(("a", "Forum", "20270110T090000Z")))
    source = _source(base, "/agenda.ics")

    report = source_sync(source)

    assert "réseau privé ou local" in report.error
    assert seen == [] and not source.items.exists()


def test_each_due_source_is_claimed_once_and_the_command_reports_progress(server):
    base, routes, _seen = server
    routes["/agenda.ics"] = answer(_ical(("a", "Forum", "20270110T090000Z")))
    due = _source(base, "/agenda.ics")
    _source(base, "/agenda.ics", active=False)
    _source(base, "/agenda.ics", last_attempt_at=timezone.now())

    now = timezone.now()
    assert [source.pk for source in sources_due(now)] == [due.pk]
    assert sources_due(now) == []

    PartnerSource.objects.filter(pk=due.pk).update(last_attempt_at=None)
    output = StringIO()
    call_command("casi_partner_sync", stdout=output)
    assert "1/1 Réseau Pays de la Loire : 1 nouveau, 0 mis à jour, 0 retiré." in output.getvalue()


def test_a_partner_site_with_nothing_new_costs_one_conditional_request_and_writes_no_item(server):
    base, routes, seen = server
    partner_site_serve(routes, base, events=120, page_size=50)
    source = _source(base, "/donnees/", kind="casi")
    first = source_sync(source)
    assert (first.error, first.created, source.items.count()) == ("", 120, 120)
    seen.clear()

    with CaptureQueriesContext(connection) as queries:
        report = source_sync(source)  # within the day: only what changed is asked for

    assert report.unchanged and report.error == ""
    assert [(path, headers.get("If-None-Match")) for path, headers in seen] == [("/donnees/catalogue.jsonld", '"1"')]
    writes = [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    # The source's own record (last attempt, last success) is all that is written: no item is.
    assert len(writes) == 1 and "partnersource" in writes[0].lower()
    assert source.items.filter(withdrawn_at__isnull=True).count() == 120

    partner_site_serve(routes, base, events=121, page_size=50, version="2")
    seen.clear()
    report = source_sync(source)
    assert (report.created, report.updated, report.withdrawn) == (1, 0, 0)
    assert seen[0][0] == "/donnees/catalogue.jsonld" and "modifie_depuis=" in seen[1][0]
