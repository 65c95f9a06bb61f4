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


HIDE_ITEM = "/admin/casi_workspace/reseaux/elements/{}/masquer/"
HIDE_SOURCE = "/admin/casi_workspace/reseaux/sources/{}/masquer/"


def test_each_received_item_has_a_hide_button_that_asks_then_hides(login, item):
    client = login("coordination")

    listing = client.get(ITEMS).content.decode()
    assert HIDE_ITEM.format(item.pk) in listing and "Masquer du site public" in listing
    confirmation = client.get(HIDE_ITEM.format(item.pk))
    assert confirmation.status_code == 200 and "Forum des solidarités de Nantes" in confirmation.content.decode()
    item.refresh_from_db()
    assert not item.hidden

    response = client.post(HIDE_ITEM.format(item.pk), {"next": ITEMS})

    assert response.status_code == 302 and response["Location"] == ITEMS
    item.refresh_from_db()
    assert item.hidden
    assert "Afficher sur le site public" in client.get(ITEMS).content.decode()
    client.post(HIDE_ITEM.format(item.pk))
    item.refresh_from_db()
    assert not item.hidden


def test_a_whole_source_is_hidden_with_one_action(login, source, item):
    client = login("coordination")

    assert HIDE_SOURCE.format(source.pk) in client.get(SOURCES).content.decode()
    client.post(HIDE_SOURCE.format(source.pk), {"next": "https://ailleurs.example/"})

    source.refresh_from_db()
    assert source.hidden and source.active


def test_the_way_back_after_hiding_stays_in_the_admin(login, item):
    response = login("coordination").post(HIDE_ITEM.format(item.pk), {"next": "//ailleurs.example/admin/"})

    assert response["Location"] == ITEMS


def test_a_forged_id_to_hide_is_a_french_404(login):
    client = login("coordination")

    for url in (HIDE_ITEM.format(999999999), HIDE_SOURCE.format(999999999), HIDE_ITEM.format(2**70)):
        response = client.post(url)
        assert response.status_code == 404
        assert "Introuvable" in response.content.decode() or url.endswith(f"{2**70}/masquer/")


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29", "membre-gt"])
def test_only_coordinators_hide(login, source, item, username):
    client = login(username)

    for url in (HIDE_ITEM.format(item.pk), HIDE_SOURCE.format(source.pk)):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    item.refresh_from_db()
    source.refresh_from_db()
    assert not item.hidden and not source.hidden


@pytest.mark.parametrize("username", ["admin", "coordination"])
def test_nobody_adds_rewrites_or_deletes_a_partner_item(login, item, username):
    client = login(username)

    client.post(
        f"{ITEMS}edit/{item.pk}/", {"hidden": "", "title": "Réécrit", "summary": "Faux", "url": "https://x.example/"}
    )
    assert client.get(f"{ITEMS}add/").status_code in (302, 403)
    assert client.post(f"{ITEMS}add/", {"title": "Inventé", "kind": "event"}).status_code in (302, 403)
    assert client.post(f"{ITEMS}delete/{item.pk}/").status_code in (302, 403)
    edit_form = client.get(f"{ITEMS}edit/{item.pk}/").content.decode()

    item.refresh_from_db()
    assert item.title == "Forum des solidarités de Nantes" and item.summary == "" and item.url == ""
    assert PartnerItem.objects.filter(pk=item.pk).exists()
    assert not PartnerItem.objects.filter(title="Inventé").exists()
    assert 'name="title"' not in edit_form and 'name="hidden"' in edit_form


def test_the_inspect_view_shows_what_was_received(login, item):
    page = login("coordination").get(f"{ITEMS}inspect/{item.pk}/").content.decode()

    assert "Forum des solidarités de Nantes" in page and "Réseau Pays de la Loire" in page
