"""Likely duplicates among partner items: the rule, the coordinators' review list and their two decisions."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from casi_workspace.exchange.models import PartnerDuplicateDecision, PartnerItem, PartnerSource
from casi_workspace.exchange.selectors import partner_duplicate_candidates
from casi_workspace.publications.models.publications import EventPage
from tests.exchange.conftest import answer

pytestmark = pytest.mark.django_db

REVIEW = "/admin/casi_workspace/reseaux/doublons/"
DECIDE = "/admin/casi_workspace/reseaux/doublons/decider/"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
_ids = itertools.count(1)


def _source(name: str) -> PartnerSource:
    return PartnerSource.objects.create(name=name, url=f"https://{next(_ids)}.example/donnees/", kind="casi")


@pytest.fixture
def nantes() -> PartnerSource:
    return _source("Réseau Pays de la Loire")


@pytest.fixture
def rennes() -> PartnerSource:
    return _source("Réseau Normandie")


def _day(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    base = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(base.year, base.month, base.day, hour, minute, tzinfo=PARIS)


def _item(source: PartnerSource, title: str, start: datetime.datetime | None, place: str = "", **fields) -> PartnerItem:
    number = next(_ids)
    return PartnerItem.objects.create(
        source=source,
        kind=fields.pop("kind", "event"),
        external_id=str(number),
        fingerprint=fields.pop("fingerprint", f"empreinte-{number}"),
        title=title,
        start=start,
        place=place,
        url=f"https://partenaire.example/agenda/{number}/",
        **fields,
    )


def _pairs() -> set[tuple[int, tuple[str, int]]]:
    return {(pair.duplicate.item.pk, pair.kept.key) for pair in partner_duplicate_candidates()}


def test_the_same_title_on_the_same_day_elsewhere_or_at_another_time_is_a_likely_duplicate(nantes, rennes):
    first = _item(nantes, "Forum des solidarités", _day(10, 14), "Nantes")
    second = _item(rennes, "FORUM des Solidarités !", _day(10, 18), "Salle Paul Fort")

    assert (second.pk, ("item", first.pk)) in _pairs()


def test_the_same_place_either_side_of_midnight_is_a_likely_duplicate(nantes, rennes):
    first = _item(nantes, "Nuit du cinéma solidaire", _day(10, 23, 30), "Cinéma Katorza, Nantes")
    second = _item(rennes, "Nuit du cinéma solidaire", _day(11, 0, 30), "cinema katorza")

    assert (second.pk, ("item", first.pk)) in _pairs()


def test_what_the_rule_leaves_alone(nantes, rennes):
    # Another day, another place: two sessions of a touring exhibition.
    _item(nantes, "Exposition itinérante", _day(10, 14), "Nantes")
    _item(rennes, "Exposition itinérante", _day(12, 14), "Angers")
    # Across midnight, but at two places.
    _item(nantes, "Veillée", _day(10, 23, 30), "Brest")
    _item(rennes, "Veillée", _day(11, 0, 30), "Quimper")
    # The same fingerprint: the public listings already show it once.
    _item(nantes, "Assemblée", _day(10, 9), "Rennes", fingerprint="pareil")
    _item(rennes, "Assemblée", _day(10, 9), "Rennes", fingerprint="pareil")
    # Twice in the same source: the partner's own business.
    _item(nantes, "Atelier", _day(10, 9), "Nantes")
    _item(nantes, "Atelier", _day(10, 15), "Nantes")
    # Past events and hidden or withdrawn items are not reviewed.
    _item(nantes, "Passé", _day(-5, 9), "Nantes")
    _item(rennes, "Passé", _day(-5, 10), "Rennes")
    _item(nantes, "Caché", _day(10, 9), "Nantes", hidden=True)
    _item(rennes, "Caché", _day(10, 10), "Rennes")
    _item(nantes, "Retiré", _day(10, 9), "Nantes", withdrawn_at=timezone.now())
    _item(rennes, "Retiré", _day(10, 10), "Rennes")

    titles = {pair.duplicate.title for pair in partner_duplicate_candidates()}

    assert not titles & {"Exposition itinérante", "Veillée", "Assemblée", "Atelier", "Passé", "Caché", "Retiré"}


def test_resources_without_a_date_with_the_same_title_are_likely_duplicates(nantes, rennes):
    first = _item(nantes, "Guide de l'éducation à la citoyenneté", None, kind="resource")
    second = _item(rennes, "Guide de l’éducation à la citoyenneté", None, kind="resource")
    _item(rennes, "Guide de l'éducation à la citoyenneté", None, kind="call")  # another kind

    assert _pairs() >= {(second.pk, ("item", first.pk))}
    assert len([pair for pair in partner_duplicate_candidates() if pair.duplicate.title.startswith("Guide")]) == 1


def test_one_of_our_own_events_is_kept_against_a_partner_copy(nantes):
    event = EventPage.objects.live().filter(start__gte=timezone.now()).order_by("start").first()
    start = timezone.localtime(event.start)
    other_time = start.replace(hour=(start.hour + 2) % 24) if start.hour < 22 else start.replace(hour=0)
    copy = _item(nantes, event.title.upper(), other_time, "Ailleurs")

    assert (copy.pk, ("page", event.pk)) in _pairs()


def test_a_coordinator_sees_the_pair_side_by_side_with_its_sources(login, nantes, rennes):
    first = _item(nantes, "Forum des solidarités", _day(10, 14), "Nantes")
    second = _item(rennes, "Forum des solidarités", _day(10, 18), "Salle Paul Fort")

    page = login("coordination").get(REVIEW).content.decode()

    assert f'data-pair="{second.pk}"' in page
    assert "Réseau Pays de la Loire" in page and "Réseau Normandie" in page
    assert "Salle Paul Fort" in page and first.url in page and second.url in page
    assert "Même élément" in page and "Différents" in page


def test_the_menu_of_partner_networks_offers_the_review_list(login):
    page = login("coordination").get("/admin/").content.decode()

    assert "Doublons possibles" in page and REVIEW in page


def test_same_item_hides_the_duplicate_and_keeps_the_other(login, nantes, rennes):
    first = _item(nantes, "Forum des solidarités", _day(10, 14), "Nantes")
    second = _item(rennes, "Forum des solidarités", _day(10, 18), "Salle Paul Fort")

    response = login("coordination").post(DECIDE, {"item": second.pk, "other_item": first.pk, "decision": "same"})

    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.hidden and not first.hidden
    assert (second.pk, ("item", first.pk)) not in _pairs()


def test_different_keeps_both_and_the_pair_never_comes_back(login, nantes, rennes):
    first = _item(nantes, "Forum des solidarités", _day(10, 14), "Nantes")
    second = _item(rennes, "Forum des solidarités", _day(10, 18), "Salle Paul Fort")
    client = login("coordination")

    response = client.post(DECIDE, {"item": second.pk, "other_item": first.pk, "decision": "different"})

    assert response.status_code == 302
    second.refresh_from_db()
    assert not second.hidden
    assert (second.pk, ("item", first.pk)) not in _pairs()
    # The partner edits its item (another fetch): still decided.
    PartnerItem.objects.filter(pk=second.pk).update(place="Salle Paul Fort, Nantes", summary="Mis à jour")
    assert (second.pk, ("item", first.pk)) not in _pairs()
    assert f'data-pair="{second.pk}"' not in client.get(REVIEW).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"item": "999999999", "other_item": "999999998", "decision": "same"},
        {"item": "abc", "other_item": "1", "decision": "same"},
        {"item": "99999999999999999999999", "other_item": "1", "decision": "same"},
        {"decision": "same"},
        {"item": "{a}", "other_item": "{b}", "decision": "peut-être"},
        {"item": "{a}", "decision": "same"},
        {"item": "{a}", "other_item": "{b}", "other_page": "1", "decision": "same"},
        {"item": "{a}", "other_item": "{b}", "decision": "same"},  # the pair the other way round
        {"item": "{c}", "other_item": "{a}", "decision": "same"},  # not a pair of the list
    ],
)
def test_a_forged_decision_is_refused_in_french_and_changes_nothing(login, nantes, rennes, data):
    first = _item(nantes, "Forum des solidarités", _day(10, 14), "Nantes")
    second = _item(rennes, "Forum des solidarités", _day(10, 18), "Salle Paul Fort")
    other = _item(rennes, "Autre chose", _day(10, 18), "Brest")
    values = {"{a}": str(first.pk), "{b}": str(second.pk), "{c}": str(other.pk)}
    data = {key: values.get(value, value) for key, value in data.items()}

    response = login("coordination").post(DECIDE, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Décision refusée" in page
    assert "paire" in page or "Choisissez" in page
    assert not PartnerDuplicateDecision.objects.exists()
    assert not PartnerItem.objects.filter(pk__in=[first.pk, second.pk, other.pk], hidden=True).exists()


def test_deciding_needs_a_post(login):
    assert login("coordination").get(DECIDE).status_code == 405


@pytest.mark.parametrize("username", ["collectif-29", "asso-a", "asso-b", "membre-gt"])
def test_only_the_networks_coordinators_review_duplicates(login, nantes, rennes, username):
    first = _item(nantes, "Forum des solidarités", _day(10, 14), "Nantes")
    second = _item(rennes, "Forum des solidarités", _day(10, 18), "Salle Paul Fort")
    client = login(username)

    listing = client.get(REVIEW)
    decision = client.post(DECIDE, {"item": second.pk, "other_item": first.pk, "decision": "same"})

    assert listing.status_code == 403 and b"Forum" not in listing.content
    assert decision.status_code == 403
    second.refresh_from_db()
    assert not second.hidden and not PartnerDuplicateDecision.objects.exists()
    assert REVIEW not in client.get("/admin/").content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    for url in (REVIEW, DECIDE):
        response = client.post(url) if url == DECIDE else client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def _many_pairs(count: int) -> None:
    sources = [_source(f"Réseau {number}") for number in range(3)]
    items = []
    for number in range(count):
        for side, source in enumerate(sources[:2]):
            identifier = next(_ids)
            items.append(
                PartnerItem(
                    source=source,
                    kind="event",
                    external_id=str(identifier),
                    fingerprint=f"empreinte-{identifier}",
                    title=f"Rencontre numéro {number}",
                    start=_day(1 + number % 200, 9 + side),
                    place=f"Lieu {side}",
                )
            )
        # Unrelated items, that pair with nothing.
        identifier = next(_ids)
        items.append(
            PartnerItem(
                source=sources[2],
                kind="event",
                external_id=str(identifier),
                fingerprint=f"empreinte-{identifier}",
                title=f"Seul {number}",
                start=_day(1 + number % 200, 9),
            )
        )
    PartnerItem.objects.bulk_create(items)


@pytest.mark.parametrize("count", [3, 400])
def test_the_review_list_costs_the_same_few_queries_whatever_the_number_of_items(
    login, django_assert_max_num_queries, count
):
    _many_pairs(count)
    client = login("coordination")

    with django_assert_max_num_queries(30):
        response = client.get(REVIEW)
    with django_assert_max_num_queries(30):
        last = client.get(f"{REVIEW}?page=9999")

    assert response.status_code == 200 and last.status_code == 200
    assert int(response.content.decode().split('data-partner-duplicates-count="')[1].split('"')[0]) >= count
    assert response.content.decode().count("data-pair=") == min(20, response.context["count"])


def test_after_a_sync_the_command_says_how_many_likely_duplicates_wait(server, settings, nantes):
    settings.CASI_WORKSPACE_PARTNER_ALLOWED_HOSTS = ["127.0.0.1"]
    base, routes, _seen = server
    start = _day(30, 18).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    calendar = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Partenaire//FR",
            "BEGIN:VEVENT",
            "UID:forum-1",
            "SUMMARY:Forum des solidarités",
            f"DTSTART:{start}",
            "LOCATION:Salle Paul Fort",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    )
    routes["/agenda.ics"] = answer(calendar.encode())
    _item(nantes, "Forum des solidarités", _day(30, 14), "Nantes")
    PartnerSource.objects.create(name="Réseau Normandie", url=f"{base}/agenda.ics", kind="ical")
    # The other source is not due: only the calendar is fetched.
    PartnerSource.objects.filter(pk=nantes.pk).update(last_attempt_at=timezone.now())
    output = StringIO()

    call_command("casi_partner_sync", stdout=output)

    assert "1 doublon possible attend une décision de la coordination" in output.getvalue()
