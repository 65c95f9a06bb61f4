"""An organisation's support requests in its page editor: the network's coordinators see them all, a collective's
coordinators those their collective is in charge of, the organisation's own editors nothing (not even a count);
constant queries however many requests."""

from __future__ import annotations

import pytest
from django.test import Client

from casi_workspace.demo.data import FINISTERE_COLLECTIVE, UNTRUSTED_ASSOCIATION
from casi_workspace.models import OrganisationPage, OrganisationWorkspace, SupportRequest
from casi_workspace.support.services import support_request_create

pytestmark = pytest.mark.django_db
PANEL = "data-organisation-support"


def _ask(organisation: OrganisationPage, title: str) -> SupportRequest:
    data = {
        "organisation": organisation,
        "contact_name": "Demandeuse",
        "contact_email": "demandeuse@example.org",
        "project_title": title,
        "stage": "idea",
        "need": "funding",
        "description": "Besoin d'aide",
        "consent": True,
    }
    return support_request_create(data=data)


@pytest.fixture
def organisation() -> OrganisationPage:
    return OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)  # Douarnenez – Madagascar, in the 29


def _editor(client: Client, organisation: OrganisationPage) -> str:
    response = client.get(f"/admin/pages/{organisation.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_network_sees_every_request_with_a_link(client: Client, login, organisation):
    support_request = _ask(organisation, "Forage à Toliara")
    login("coordination")
    html = _editor(client, organisation)
    assert PANEL in html and "Forage à Toliara" in html
    assert f'href="/admin/casi_workspace/accompagnements/{support_request.pk}/"' in html
    assert "Recherche de financements" in html and "Nouvelle" in html


def test_the_organisations_editor_sees_nothing(client: Client, login, organisation):
    _ask(organisation, "Forage à Toliara")
    login("asso-b")
    html = _editor(client, organisation)
    assert PANEL not in html and "Forage à Toliara" not in html
    assert "Demandes d’accompagnement" not in html


def test_the_collective_sees_the_requests_in_its_charge_only(client: Client, login, organisation, collective_opted_in):
    handled = _ask(organisation, "Forage à Toliara")
    assert handled.responsible_collective == collective_opted_in
    network_one = _ask(organisation, "Maraîchage à Antsirabe")
    SupportRequest.objects.filter(pk=network_one.pk).update(responsible_collective=None)
    login("collectif-29")
    html = _editor(client, organisation)
    assert PANEL in html and "Forage à Toliara" in html and "Maraîchage à Antsirabe" not in html


def test_a_collective_that_does_not_handle_requests_sees_none(client: Client, login, organisation):
    OrganisationWorkspace.objects.filter(organisation__slug=FINISTERE_COLLECTIVE).update(handles_support_requests=False)
    _ask(organisation, "Forage à Toliara")  # the collective has not opted in: the network's
    login("collectif-29")
    html = _editor(client, organisation)
    assert "Forage à Toliara" not in html


def test_constant_queries(client: Client, login, organisation, django_assert_max_num_queries):
    _ask(organisation, "Projet 0")
    login("coordination")
    with django_assert_max_num_queries(400) as few:
        _editor(client, organisation)
    for number in range(1, 25):
        _ask(organisation, f"Projet {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = _editor(client, organisation)
    total = SupportRequest.objects.filter(organisation=organisation).count()  # the demo's and these 25
    assert f"Les 10 plus récentes des {total} demandes." in html
