"""The directory's search and the partner networks' organisations: apart, and once each."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from casi_workspace.exchange.models import PartnerItem, PartnerSource
from tests.factories import OrganisationPageFactory, partner_item, partner_items_bulk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

DIRECTORY = "/annuaire/"


def _source(name: str, **fields) -> PartnerSource:
    return PartnerSource.objects.create(name=name, url="https://p.example/donnees/", kind="casi", **fields)


def _organisation(source: PartnerSource, title: str, **fields) -> PartnerItem:
    fields.setdefault("url", f"https://p.example/annuaire/{len(title)}/")
    return partner_item(source, title, kind="organisation", **fields)


def _page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _partner_part(response):
    return _page(response).select_one("section.partner-organisations")


def _partner_titles(response) -> list[str]:
    part = _partner_part(response)
    return [card.h3.get_text(strip=True) for card in part.select("[data-partner-organisation]")] if part else []


def _our_cards(response) -> dict[str, str]:
    listing = _page(response).select_one("ul.organisation-list")
    return {
        card.h3.a.get_text(strip=True): card.get_text(" ", strip=True) for card in listing.select("li.card") if card.h3
    }


def test_a_search_shows_partner_organisations_apart_and_an_association_known_to_both_once(client):
    loire, normandie = _source("Réseau Pays de la Loire"), _source("Réseau Normandie")
    OrganisationPageFactory(title="Zébulon Solidarité Sahel", siren="732829320")
    OrganisationPageFactory(title="Zébulon Amitiés", rna="W291000123")
    _organisation(loire, "Zébulon Solidarité Sahel (Nantes)", siren="732829320")
    _organisation(normandie, "Zébulon Solidarité", siren="732829320", external_id="n1")
    _organisation(loire, "Association Zébulon Amitiés", rna="W291000123", external_id="l2")
    _organisation(loire, "Zébulon des Pays de la Loire", place="Angers", url="https://p.example/zpl/")
    _organisation(loire, "Sans rapport")

    response = client.get(DIRECTORY, {"q": "Zébulon"})

    ours = _our_cards(response)
    assert "Aussi membre de : Réseau Normandie, Réseau Pays de la Loire" in ours["Zébulon Solidarité Sahel"]
    assert "Aussi membre de : Réseau Pays de la Loire" in ours["Zébulon Amitiés"]
    part = _partner_part(response)
    assert part.h2.get_text(strip=True) == "Dans les réseaux partenaires"
    assert _partner_titles(response) == ["Zébulon des Pays de la Loire"]
    card = part.select_one("[data-partner-organisation]")
    assert "noopener" in card.h3.a["rel"]
    assert "Source : Réseau Pays de la Loire" in card.get_text(" ", strip=True)
    assert "Angers" in card.get_text()


def test_without_a_search_or_with_our_own_filters_there_is_no_partner_part(client):
    _organisation(_source("Réseau A"), "Zébulon d'ailleurs")

    assert _partner_part(client.get(DIRECTORY)) is None
    assert _partner_part(client.get(DIRECTORY, {"q": "Zébulon", "departement": "29"})) is None
    assert _partner_titles(client.get(DIRECTORY, {"q": "Zébulon"})) == ["Zébulon d'ailleurs"]


def test_hidden_withdrawn_and_hidden_sources_organisations_never_show(client):
    source = _source("Réseau A")
    OrganisationPageFactory(title="Zébulon Ici", siren="552100554")
    _organisation(source, "Zébulon masqué", hidden=True, siren="552100554")
    _organisation(source, "Zébulon retiré", withdrawn_at="2026-01-01T00:00:00Z", external_id="r")
    _organisation(_source("Réseau masqué", hidden=True), "Zébulon d'une source masquée", siren="552100554")
    _organisation(source, "Zébulon visible")

    response = client.get(DIRECTORY, {"q": "Zébulon"})

    assert _partner_titles(response) == ["Zébulon visible"]
    assert "Aussi membre de" not in _our_cards(response)["Zébulon Ici"]


def _siren(number: int) -> str:
    """A valid SIREN number (its last digit the Luhn key) made from `number`."""
    body = f"{number:08d}"
    total = 0
    for position, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return f"{body}{(10 - total % 10) % 10}"


def test_the_search_costs_the_same_queries_at_any_number_of_partner_organisations(
    client, django_assert_max_num_queries
):
    source = _source("Réseau A")
    for number in range(3):
        OrganisationPageFactory(title=f"Zébulon nôtre {number}", siren=_siren(number))
    partner_items_bulk(source, 10, kind="organisation", title="Zébulon {number:04d}", siren=_siren)
    with django_assert_max_num_queries(60) as small:
        client.get(DIRECTORY, {"q": "Zébulon"})
    PartnerItem.objects.all().delete()
    partner_items_bulk(source, 1000, kind="organisation", title="Zébulon {number:04d}", siren=_siren)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(DIRECTORY, {"q": "Zébulon", "page_partenaires": "2"})
    assert len(_partner_titles(response)) == 20
    assert "Zébulon 0000" not in _partner_titles(response)  # one of ours, by its SIREN
    assert client.get(DIRECTORY, {"q": "Zébulon", "page_partenaires": "abc"}).status_code == 200
