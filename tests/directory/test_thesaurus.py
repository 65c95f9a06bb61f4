"""Coordinators edit the sectors' thesaurus in the admin; association editors cannot."""

from __future__ import annotations

import pytest

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import Sector

pytestmark = pytest.mark.django_db

URL = "/admin/snippets/casi_workspace/sector/"


def test_the_thesaurus_has_eighteen_sectors():
    assert Sector.objects.count() == 18


def test_a_coordinator_adds_a_sector_that_the_directory_offers(client):
    assert client.login(username="coordination", password=DEFAULT_PASSWORD)
    assert client.get(URL).status_code == 200
    response = client.post(f"{URL}add/", {"name": "Tourisme solidaire", "slug": "tourisme-solidaire", "sort_order": 20})
    assert response.status_code == 302
    assert Sector.objects.filter(slug="tourisme-solidaire").exists()
    client.logout()
    assert 'value="tourisme-solidaire"' in client.get("/annuaire/").content.decode()


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29", "membre-gt"])
def test_others_cannot_edit_the_thesaurus(client, username):
    assert client.login(username=username, password=DEFAULT_PASSWORD)
    response = client.post(f"{URL}add/", {"name": "Intrus", "slug": "intrus", "sort_order": 1})
    assert response.status_code in (302, 403)
    assert not Sector.objects.filter(slug="intrus").exists()
    sector = Sector.objects.get(slug="sante")
    client.post(f"{URL}edit/{sector.pk}/", {"name": "Renommé", "slug": "sante", "sort_order": 1})
    sector.refresh_from_db()
    assert sector.name == "Santé"
