"""The publication indexes' choice of networks: ours, the partner networks', or all of them, each item named."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from casi_workspace.exchange.models import PartnerItem, PartnerSource
from tests.factories import partner_items_bulk
from tests.publications.helpers import INDEXES, publication_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

BREST = "brest-sahel-solidarite"
AGENDA = INDEXES["event"]


def _source(name: str = "Réseau Pays de la Loire", **fields) -> PartnerSource:
    return PartnerSource.objects.create(
        name=name, region="Pays de la Loire", url="https://p.example/", kind="casi", **fields
    )


def _item(source: PartnerSource, title: str, *, kind: str = "event", days: int | None = 3, **fields) -> PartnerItem:
    start = timezone.now() + datetime.timedelta(days=days) if days is not None else None
    return PartnerItem.objects.create(
        source=source,
        kind=kind,
        external_id=fields.pop("external_id", title),
        fingerprint=fields.pop("fingerprint", title),
        title=title,
        start=fields.pop("start", start),
        url=fields.pop("url", f"https://p.example/{kind}/{len(title)}"),
        **fields,
    )


def _page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _cards(response) -> list[str]:
    """The titles of the listing's cards, in order, ours and the partners'."""
    listing = _page(response).select_one(".publication-list")
    return [card.h3.get_text(strip=True) for card in listing.select("li.card") if card.h3]


def _partner_cards(response) -> list[str]:
    return [card.h3.get_text(strip=True) for card in _page(response).select("[data-partner-item]")]


def test_by_default_the_agenda_lists_our_events_only_and_offers_the_choice(client):
    source = _source()
    _item(source, "Forum de Nantes")
    ours = publication_create("event", BREST, title="Soirée à Brest")

    response = client.get(AGENDA)

    assert ours.title in _cards(response)
    assert _partner_cards(response) == []
    choice = _page(response).select_one("select[name=reseaux]")
    assert [option.get_text(strip=True) for option in choice.select("option")] == [
        "Ce réseau",
        "Réseaux partenaires",
        "Tous les réseaux",
    ]
    assert choice.find_previous("label").get_text(strip=True) == "Réseaux"


def test_partner_networks_list_their_items_with_their_source_and_a_link_to_the_original(client):
    source = _source()
    _item(source, "Forum de Nantes", url="https://p.example/forum", place="Nantes", organisation_name="Asso A")
    publication_create("event", BREST, title="Soirée à Brest")

    response = client.get(f"{AGENDA}?reseaux=partenaires")

    assert _cards(response) == ["Forum de Nantes"]
    card = _page(response).select_one("[data-partner-item]")
    assert card.h3.a["href"] == "https://p.example/forum"
    assert "noopener" in card.h3.a["rel"]
    assert "Source : Réseau Pays de la Loire (Pays de la Loire)" in card.get_text(" ", strip=True)
    # Our own vocabulary's filters are not offered for partner items.
    form = _page(response).select_one("form.filters")
    assert form.select_one("select[name=organisation]") is None
    assert form.select_one("select[name=tag]") is None


def test_all_networks_merges_both_lists_by_date(client):
    source = _source()
    _item(source, "Partenaire dans 2 jours", days=2)
    _item(source, "Partenaire dans 9 jours", days=9)
    publication_create("event", BREST, title="Nôtre dans 5 jours", start=timezone.now() + datetime.timedelta(days=5))

    listed = _cards(client.get(f"{AGENDA}?reseaux=tout"))

    wanted = ["Partenaire dans 2 jours", "Nôtre dans 5 jours", "Partenaire dans 9 jours"]
    assert [title for title in listed if title in wanted] == wanted


def test_past_and_month_filters_apply_to_partner_events(client):
    source = _source()
    _item(source, "Passé", days=-20)
    _item(source, "À venir", days=20)

    assert _partner_cards(client.get(f"{AGENDA}?reseaux=partenaires&when=past")) == ["Passé"]
    assert _partner_cards(client.get(f"{AGENDA}?reseaux=partenaires")) == ["À venir"]
    month = (timezone.localtime() + datetime.timedelta(days=20)).strftime("%Y-%m")
    assert "À venir" in _partner_cards(client.get(f"{AGENDA}?reseaux=partenaires&month={month}&when=all"))


def test_the_month_filter_offers_the_months_of_partner_events(client):
    _item(_source(), "Dans plus d’un an", days=400)
    far = (timezone.localtime() + datetime.timedelta(days=400)).strftime("%Y-%m")

    def offered(query: str) -> list[str]:
        return [
            option["value"] for option in _page(client.get(f"{AGENDA}?{query}")).select("select[name=month] option")
        ]

    assert far not in offered("")
    assert far in offered("reseaux=partenaires")
    assert far in offered("reseaux=tout")


def test_our_vocabulary_filters_leave_partner_items_out_of_all_networks(client):
    source = _source()
    _item(source, "Forum de Nantes")
    tagged = publication_create("event", BREST, title="Soirée étiquetée", tags=["Zebulontag"])

    listed = _cards(client.get(f"{AGENDA}?reseaux=tout&tag=zebulontag"))

    assert tagged.title in listed
    assert "Forum de Nantes" not in listed


@pytest.mark.parametrize(
    "kind",
    ["call", "training", "resource"],
)
def test_calls_trainings_and_resources_offer_partner_items_of_their_kind(client, kind):
    source = _source()
    _item(source, f"Partenaire {kind}", kind=kind, days=10 if kind == "training" else None)
    _item(source, "Un événement", kind="event")
    ours = publication_create(kind, BREST, title=f"Nôtre {kind}")

    assert _partner_cards(client.get(f"{INDEXES[kind]}?reseaux=partenaires")) == [f"Partenaire {kind}"]
    listed = _cards(client.get(f"{INDEXES[kind]}?reseaux=tout"))
    assert f"Partenaire {kind}" in listed
    assert ours.title in listed
    assert "Un événement" not in listed


def test_news_and_offers_offer_no_choice(client):
    for kind in ("news", "offer", "project"):
        response = client.get(f"{INDEXES[kind]}?reseaux=partenaires")
        assert _page(response).select_one("select[name=reseaux]") is None
        assert _partner_cards(response) == []


def test_hidden_withdrawn_and_hidden_or_inactive_sources_items_never_show(client, settings):
    settings.CASI_WORKSPACE_PAGE_SIZE = 1000
    source = _source()
    _item(source, "Visible")
    _item(source, "Retiré", withdrawn_at=timezone.now())
    _item(source, "Masqué", hidden=True)
    _item(_source("Réseau masqué", hidden=True), "D'une source masquée")
    _item(_source("Réseau arrêté", active=False), "D'une source arrêtée")

    for networks in ("partenaires", "tout"):
        listed = _partner_cards(client.get(f"{AGENDA}?reseaux={networks}&when=all"))
        assert listed == ["Visible"]


@pytest.mark.parametrize(
    "query",
    [
        "reseaux=nimporte",
        "reseaux=",
        "reseaux=%00",
        "reseaux=tout&page=abc",
        "reseaux=tout&page=99999999999999",
        "reseaux=partenaires&page=-1",
    ],
)
def test_bad_values_fall_back_without_error(client, query):
    _item(_source(), "Forum de Nantes")

    response = client.get(f"{AGENDA}?{query}")

    assert response.status_code in (200, 400)


def test_the_agenda_links_to_the_partner_networks_agenda(client):
    link = _page(client.get(AGENDA)).find("a", string="Agenda des réseaux")
    assert link is not None
    assert client.get(link["href"]).status_code == 200


def _soon(number: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=1, minutes=number)


@pytest.mark.parametrize("networks", ["partenaires", "tout"])
def test_the_cost_of_a_page_does_not_grow_with_the_partner_items(client, django_assert_max_num_queries, networks):
    source = _source()
    publication_create("event", BREST, title="Nôtre")
    partner_items_bulk(source, 10, url="https://p.example/n", start=_soon)
    with django_assert_max_num_queries(40) as small:
        first = client.get(f"{AGENDA}?reseaux={networks}&page=2")
    assert first.status_code == 200
    PartnerItem.objects.all().delete()
    partner_items_bulk(source, 1000, url="https://p.example/n", start=_soon)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"{AGENDA}?reseaux={networks}&page=3")
    assert len(_cards(response)) == 20
    pagination = _page(response).select_one("nav.pagination")
    assert "reseaux=" in pagination.select_one("a[rel=next]")["href"]


def test_the_page_cache_keeps_each_choice_apart_and_a_hidden_item_leaves_at_once(client, settings):
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 300
    source = _source()
    item = _item(source, "Forum de Nantes")

    assert _partner_cards(client.get(AGENDA)) == []
    assert _partner_cards(client.get(f"{AGENDA}?reseaux=partenaires")) == ["Forum de Nantes"]
    item.hidden = True
    item.save()
    assert _partner_cards(client.get(f"{AGENDA}?reseaux=partenaires")) == []
    item.hidden = False
    item.save()
    source.hidden = True
    source.save()
    assert _partner_cards(client.get(f"{AGENDA}?reseaux=partenaires")) == []
