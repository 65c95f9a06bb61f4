"""The demo's regional meeting of the network (its "Assises"): two time slots of three workshops, people
registered in them, one workshop of each slot full; the network's coordinators manage it."""

from __future__ import annotations

import pytest
from django.test import Client

from casi_workspace.demo.registrations import MEETING_SLUG, network_meeting_seed
from casi_workspace.models import EventPage, EventRegistration, EventSession, EventSlot, RegistrationChoice

pytestmark = pytest.mark.django_db


def _meeting() -> EventPage:
    return EventPage.objects.live().get(slug=MEETING_SLUG, organisation__slug="casi-bretagne")


def test_the_meeting_has_two_slots_of_three_workshops_with_people_registered(client: Client):
    meeting = _meeting()
    assert not meeting.registration_url  # registrations happen on the site
    slots = EventSlot.objects.filter(event=meeting)
    assert slots.count() == 2
    assert all(slot.sessions.count() == 3 for slot in slots)
    registrations = EventRegistration.objects.filter(event=meeting, status="confirmed")
    assert registrations.count() >= 20
    assert all(registration.choices.count() == 2 for registration in registrations)
    full = [
        session
        for session in EventSession.objects.filter(slot__event=meeting, capacity__isnull=False)
        if RegistrationChoice.objects.filter(session=session, registration__status="confirmed").count()
        >= session.capacity
    ]
    assert {session.slot.title for session in full} == {"Ateliers du matin", "Ateliers de l’après-midi"}
    page = client.get(meeting.url).content.decode()
    assert "Programme des ateliers" in page and "Plaidoyer et élections municipales" in page and "complet" in page
    form = client.get(f"{meeting.url}inscription/").content.decode()
    assert "Ateliers du matin" in form and "disabled" in form


def test_seeding_again_adds_nothing():
    meeting = _meeting()
    before = (
        EventSlot.objects.filter(event=meeting).count(),
        EventSession.objects.filter(slot__event=meeting).count(),
        EventRegistration.objects.filter(event=meeting).count(),
        RegistrationChoice.objects.filter(registration__event=meeting).count(),
    )
    network_meeting_seed()
    after = (
        EventSlot.objects.filter(event=meeting).count(),
        EventSession.objects.filter(slot__event=meeting).count(),
        EventRegistration.objects.filter(event=meeting).count(),
        RegistrationChoice.objects.filter(registration__event=meeting).count(),
    )
    assert after == before


def test_the_coordinators_manage_the_meeting_and_print_its_sign_in_sheet(login):
    meeting = _meeting()
    client = login("coordination")
    base = f"/casi/inscriptions/evenements/{meeting.pk}/"
    html = client.get(base).content.decode()
    assert "Créneaux et ateliers" in html and "Ateliers du matin : Plaidoyer et élections municipales" in html
    response = client.get(f"{base}emargement.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.logout()
    assert login("asso-a").get(base).status_code == 403
