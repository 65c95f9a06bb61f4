"""The "Agenda des réseaux": what a visitor reads of the partner networks' coming events."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from casi_workspace.exchange.models import PartnerItem, PartnerSource
from tests.factories import partner_item, partner_items_bulk

pytestmark = pytest.mark.django_db

AGENDA = "/casi/agenda-des-reseaux/"


def _source(name: str, **fields) -> PartnerSource:
    return PartnerSource.objects.create(
        name=name, region="Pays de la Loire", url="https://p.example/", kind="ical", **fields
    )


def _event(source: PartnerSource, title: str, days: int, **fields) -> PartnerItem:
    return partner_item(source, title, start=timezone.now() + datetime.timedelta(days=days), **fields)


def _titles(response) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [card.h3.get_text(strip=True) for card in page.select("[data-partner-item]")]


def test_coming_events_of_the_partners_show_with_their_source_and_a_link_to_the_original(client):
    source = _source("Réseau Pays de la Loire")
    _event(source, "Forum de Nantes", 3, url="https://p.example/forum", place="Nantes", organisation_name="Asso A")

    response = client.get(AGENDA)

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    card = page.select_one("[data-partner-item]")
    assert card.h3.a["href"] == "https://p.example/forum"
    assert card.h3.a["rel"] == ["nofollow", "noopener", "ugc"]
    assert "Source : Réseau Pays de la Loire (Pays de la Loire)" in card.get_text(" ", strip=True)
    assert "Nantes" in card.get_text()


def test_past_withdrawn_hidden_and_hidden_sources_items_stay_out_and_duplicates_show_once(client):
    source, other = _source("Réseau A"), _source("Réseau B")
    hidden_source = _source("Réseau masqué", hidden=True)
    _event(source, "Bientôt", 2)
    _event(source, "Passé", -3)
    _event(source, "Retiré", 2, withdrawn_at=timezone.now())
    _event(source, "Masqué", 2, hidden=True)
    _event(hidden_source, "D'une source masquée", 2)
    _event(source, "Reçu deux fois", 5, fingerprint="same")
    _event(other, "Reçu deux fois", 5, fingerprint="same", external_id="autre")

    assert _titles(client.get(AGENDA)) == ["Bientôt", "Reçu deux fois"]


def test_the_agenda_paginates_and_costs_the_same_queries_at_any_size(
    client, django_assert_max_num_queries, page_cache_off
):
    source = _source("Réseau A")
    for number in range(5):
        _event(source, f"Rencontre {number}", number + 1)
    with django_assert_max_num_queries(50) as small:
        client.get(AGENDA)
    partner_items_bulk(
        source, 300, title="N {number}", start=lambda n: timezone.now() + datetime.timedelta(days=30, minutes=n)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"{AGENDA}?page=2")
    assert len(_titles(response)) == 20
    assert client.get(f"{AGENDA}?page=abc").status_code == 200
    assert client.get(f"{AGENDA}?page=999999999999").status_code == 200
