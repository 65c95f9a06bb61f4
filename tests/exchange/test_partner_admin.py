"""The coordinators' screens of partner networks: following a source, reading what it sent, hiding an item."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casi_workspace.exchange.models import PartnerItem, PartnerSource

pytestmark = pytest.mark.django_db

SOURCES = "/admin/snippets/casi_workspace/partnersource/"
ITEMS = "/admin/snippets/casi_workspace/partneritem/"


@pytest.fixture
def source() -> PartnerSource:
    return PartnerSource.objects.create(
        name="Réseau Pays de la Loire",
        region="Pays de la Loire",
        url="https://rrma-pdl.example/donnees/",
        kind="casi",
        last_success_at=timezone.now(),
        last_error="La source a mis trop de temps à répondre.",
    )


@pytest.fixture
def item(source) -> PartnerItem:
    return PartnerItem.objects.create(
        source=source, kind="event", external_id="42", fingerprint="f", title="Forum des solidarités de Nantes"
    )


def test_a_coordinator_sees_each_source_with_its_last_error(login, source):
    response = login("coordination").get(SOURCES)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Réseau Pays de la Loire" in page
    assert "La source a mis trop de temps à répondre." in page


def test_a_coordinator_follows_a_new_source_and_chooses_its_datasets(login):
    client = login("coordination")

    form = client.get(f"{SOURCES}add/").content.decode()
    assert 'value="evenements"' in form and "Annuaire des acteurs" in form
    response = client.post(
        f"{SOURCES}add/",
        {
            "name": "Réseau Normandie",
            "region": "Normandie",
            "url": "https://horizons-solidaires.example/donnees/",
            "kind": "casi",
            "item_kind": "event",
            "datasets": ["evenements", "formations"],
            "every_minutes": "60",
            "active": "on",
        },
    )

    assert response.status_code == 302
    source = PartnerSource.objects.get(name="Réseau Normandie")
    assert source.datasets == ["evenements", "formations"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/agenda.ics"])
def test_an_address_that_is_not_http_is_refused_in_french(login, url):
    client = login("coordination")

    response = client.post(
        f"{SOURCES}add/",
        {"name": "Piège", "url": url, "kind": "ical", "item_kind": "event", "every_minutes": "60"},
    )

    assert response.status_code == 200
    assert not PartnerSource.objects.filter(name="Piège").exists()
    assert response.context["form"].errors["url"][0] in (
        "Indiquez une adresse http ou https.",
        "Saisissez une URL valide.",
    )


def test_a_coordinator_hides_an_item_but_cannot_edit_what_the_partner_wrote(login, item):
    client = login("coordination")

    response = client.post(f"{ITEMS}edit/{item.pk}/", {"hidden": "on", "title": "Réécrit"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.hidden and item.title == "Forum des solidarités de Nantes"
    assert client.get(f"{ITEMS}add/").status_code in (302, 403)


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29", "membre-gt"])
def test_only_the_networks_coordinators_manage_partner_sources(login, source, item, username):
    client = login(username)

    for url in (SOURCES, f"{SOURCES}edit/{source.pk}/", ITEMS, f"{ITEMS}edit/{item.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Pays de la Loire" not in response.content
    client.post(f"{ITEMS}edit/{item.pk}/", {"hidden": "on"})
    client.post(f"{SOURCES}delete/{source.pk}/")
    item.refresh_from_db()
    assert not item.hidden and PartnerSource.objects.filter(pk=source.pk).exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, source):
    response = client.get(SOURCES)

    assert response.status_code == 302 and "/login/" in response["Location"]
