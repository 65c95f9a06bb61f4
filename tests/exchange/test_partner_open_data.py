"""Partner items are other networks' content: they stay out of our own open data."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from casi_workspace.exchange.models import PartnerSource
from casi_workspace.exchange.selectors import DATASETS
from tests.factories import partner_item

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

MARK = "Zzpartenaire"


@pytest.fixture
def partner_items() -> None:
    source = PartnerSource.objects.create(name="Réseau A", url="https://p.example/donnees/", kind="casi")
    for kind in ("event", "call", "training", "offer", "resource", "organisation"):
        partner_item(
            source,
            f"{MARK} {kind}",
            kind=kind,
            start=timezone.now() + datetime.timedelta(days=3),
            siren="732829320",
            url="https://p.example/x",
        )


@pytest.mark.usefixtures("partner_items")
@pytest.mark.parametrize("slug", list(DATASETS))
def test_our_datasets_hold_no_partner_item(client, slug):
    response = client.get(f"/donnees/v1/{slug}/?taille=100")
    assert response.status_code == 200
    assert MARK not in response.content.decode()


@pytest.mark.usefixtures("partner_items")
@pytest.mark.parametrize(
    "address",
    [
        "/annuaire/export/csv/",
        "/annuaire/export/json/",
        "/annuaire/export/csv/?q=Zzpartenaire",
        "/agenda/flux/rss/",
        "/agenda/calendrier/",
        "/donnees/",
        "/donnees/catalogue.jsonld",
    ],
)
def test_our_exports_and_feeds_hold_no_partner_item(client, address):
    response = client.get(address)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert MARK.encode() not in body
