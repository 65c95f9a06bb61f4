"""The demo's support requests: 25 of them in every status, from member organisations and from structures outside
the directory, over the past eighteen months; the Finistère collective handles its own (assigned to
`collectif-29`), the network the others (assigned to `coordination`). Seeding again adds none."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from casi_workspace.demo.data import FINISTERE_COLLECTIVE
from casi_workspace.demo.support import REQUESTS, support_requests_seed
from casi_workspace.models import OrganisationWorkspace, SupportEvent, SupportEventKind, SupportRequest, SupportStatus
from casi_workspace.support.tokens import follow_token

pytestmark = pytest.mark.django_db


def _demo() -> list[SupportRequest]:
    requests = SupportRequest.objects.filter(contact_email__in=[spec.email for spec in REQUESTS])
    return list(requests.select_related("coordinator", "responsible_collective", "organisation"))


def test_the_demo_has_25_requests_in_every_status():
    requests = _demo()
    assert len(requests) == 25
    assert {request.status for request in requests} == set(SupportStatus.values)
    closed = [request for request in requests if request.status == SupportStatus.CLOSED]
    assert len({request.closing_reason for request in closed}) >= 4 and all(r.closed_at for r in closed)
    assert any(request.organisation_id for request in requests)  # from member organisations…
    assert any(not request.organisation_id and request.structure_name for request in requests)  # …and others
    assert len({request.need for request in requests}) >= 5 and len({request.stage for request in requests}) >= 4
    assert {request.department for request in requests} == {"22", "29", "35", "56"}
    assert len({country.code for request in requests for country in request.countries}) >= 10
    # Spread over the past eighteen months, so that figures have something to show.
    now = timezone.now()
    assert min(request.created_at for request in requests) < now - datetime.timedelta(days=500)
    assert max(request.created_at for request in requests) > now - datetime.timedelta(days=14)


def test_the_finistere_collective_handles_its_requests_the_network_the_others():
    requests = _demo()
    for request in requests:
        in_29 = request.department == "29"
        collective = request.responsible_collective
        assert (collective.slug if collective else None) == (FINISTERE_COLLECTIVE if in_29 else None)
        if request.status != SupportStatus.NEW:
            assert request.coordinator.username == ("collectif-29" if in_29 else "coordination")
        else:
            assert request.coordinator is None
    assert sum(request.department == "29" for request in requests) >= 5


def test_the_requests_have_messages_notes_time_an_appointment_and_documents(client: Client, login):
    requests = _demo()
    events = SupportEvent.objects.filter(request__in=requests)
    kinds = set(events.values_list("kind", flat=True))
    assert {"created", "assignment", "note", "desk_message", "requester_message", "status", "appointment"} <= kinds
    assert "attachment" in kinds and events.aggregate(total=Sum("minutes"))["total"] > 1000
    assert events.filter(kind=SupportEventKind.DESK_MESSAGE, suggestions__isnull=False).exists()
    # Each step is dated after its request.
    assert all(event.created_at >= event.request.created_at for event in events.select_related("request"))
    # The collective's coordinator sees its requests on the desk; a requester's link shows the steps.
    login("collectif-29")
    listing = client.get("/admin/casi_workspace/accompagnements/").content.decode()
    assert "Forage à Tillabéri" in listing and "Festival des cultures du Sahel" not in listing
    appointment = next(request for request in requests if request.status == SupportStatus.APPOINTMENT)
    html = Client().get(f"/casi/accompagnement/suivi/{follow_token(appointment)}/").content.decode()
    assert "Rendez-vous" in html and "merci pour votre demande" in html


def test_seeding_again_adds_none_and_keeps_the_collective_s_choice():
    before = (SupportRequest.objects.count(), SupportEvent.objects.count())
    workspace = OrganisationWorkspace.objects.get(organisation__slug=FINISTERE_COLLECTIVE)
    assert workspace.handles_support_requests
    OrganisationWorkspace.objects.filter(pk=workspace.pk).update(handles_support_requests=False)
    support_requests_seed()
    assert (SupportRequest.objects.count(), SupportEvent.objects.count()) == before
    workspace.refresh_from_db()
    assert not workspace.handles_support_requests
