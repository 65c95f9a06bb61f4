"""The screen where the network's coordinators choose which departmental collectives handle their département's
support requests: it changes who is in charge of new requests only; nobody else may open or post it."""

from __future__ import annotations

import pytest
from django.test import Client

from casi_workspace.demo.data import FINISTERE_COLLECTIVE
from casi_workspace.models import OrganisationPage, OrganisationWorkspace, SupportRequest
from casi_workspace.support.services import support_request_create

from .conftest import new_structure

pytestmark = pytest.mark.django_db
SCREEN = "/admin/casi_workspace/accompagnements/collectifs/"


@pytest.fixture(autouse=True)
def _network_answers_the_29(db) -> None:
    """The demo lets the Finistère collective handle its requests: these tests start from the network's."""
    OrganisationWorkspace.objects.filter(organisation__slug=FINISTERE_COLLECTIVE).update(handles_support_requests=False)


def _collective() -> OrganisationPage:
    return OrganisationPage.objects.get(slug=FINISTERE_COLLECTIVE)


def _handles() -> bool:
    return OrganisationWorkspace.objects.get(organisation=_collective()).handles_support_requests


def _create_in_29() -> SupportRequest:
    data = new_structure(department="29")
    data.pop("organisation")
    return support_request_create(data=data | {"consent": True})


def test_the_network_ticks_a_collective_for_new_requests_only(client: Client, login):
    before = _create_in_29()
    assert before.responsible_collective is None
    login("coordination")
    html = client.get(SCREEN).content.decode()
    assert "Collectif du Finistère" in html or _collective().title in html
    assert "les demandes déjà reçues restent à qui en a la charge" in html
    response = client.post(SCREEN, {"handling": [_collective().pk]})
    assert response.status_code == 302 and response["Location"] == SCREEN
    assert _handles()
    assert "Les choix sont enregistrés" in client.get(SCREEN).content.decode()
    before.refresh_from_db()
    assert before.responsible_collective is None  # unchanged
    assert _create_in_29().responsible_collective == _collective()
    # Unticked: new requests go to the network again.
    assert client.post(SCREEN, {}).status_code == 302
    assert not _handles()
    assert _create_in_29().responsible_collective is None


@pytest.mark.parametrize("value", ["abc", "999999", "-1"])
def test_bad_input_is_a_french_400(client: Client, login, value: str):
    login("coordination")
    response = client.post(SCREEN, {"handling": [value]})
    assert response.status_code == 400
    assert "Choisissez parmi les collectifs de la liste." in response.content.decode()
    assert not _handles()


@pytest.mark.parametrize("username", ["collectif-29", "asso-a", "asso-b", "membre-gt"])
def test_others_are_refused(client: Client, login, username: str):
    login(username)
    assert client.get(SCREEN).status_code == 403
    assert client.post(SCREEN, {"handling": [_collective().pk]}).status_code == 403
    assert not _handles()


def test_anonymous_goes_to_the_login(client: Client):
    response = client.post(SCREEN, {"handling": [_collective().pk]})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not _handles()
