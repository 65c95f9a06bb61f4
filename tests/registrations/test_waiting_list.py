"""The waiting list: first come, first served; freed places go to its head, by email or as a timed offer."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from casi_workspace.models import EventRegistration, EventRegistrationSettings, RegistrationStatus, WaitlistMode
from casi_workspace.registrations.services import registration_cancel, registration_offers_expire
from tests.helpers import french

from .conftest import committed, emails_to, register

pytestmark = pytest.mark.django_db


def _status(registration) -> str:
    registration.refresh_from_db()
    return registration.status


@pytest.fixture
def full(client: Client, event):
    """10 places taken by 4 + 4 + 2."""
    return [register(client, event, places=places) for places in (4, 4, 2)]


def test_a_cancellation_promotes_the_head_of_the_queue_with_an_email(client: Client, event, full):
    first, second = register(client, event), register(client, event)
    assert _status(first) == _status(second) == RegistrationStatus.WAITING
    mail.outbox.clear()
    with committed():
        registration_cancel(registration=full[2])  # 2 places free up
    assert _status(first) == _status(second) == RegistrationStatus.CONFIRMED
    (message,) = emails_to(first.email)
    assert "/casi/inscriptions/annuler/" in message.body and message.attachments
    assert (
        french("A place has freed up: your registration for %(title)s is confirmed") % {"title": event.title}
        == message.subject
    )


def test_a_head_asking_more_places_than_are_free_blocks_the_queue(client: Client, event, full):
    head = register(client, event, places=3)
    behind = register(client, event, places=1)
    with committed():
        registration_cancel(registration=full[2])  # 2 places free: not enough for the head
    assert _status(head) == _status(behind) == RegistrationStatus.WAITING
    newcomer = register(client, event, places=1)  # free places, but people wait: the newcomer waits too
    assert newcomer.status == RegistrationStatus.WAITING
    with committed():
        registration_cancel(registration=full[0])  # 6 free: the head (3), then 1, then the newcomer's 1
    assert [_status(each) for each in (head, behind, newcomer)] == [RegistrationStatus.CONFIRMED] * 3


def test_the_queue_follows_the_time_people_joined(client: Client, event, full):
    late = register(client, event)
    early = register(client, event)
    EventRegistration.objects.filter(pk=early.pk).update(joined_at=late.joined_at - datetime.timedelta(minutes=5))
    EventRegistrationSettings.objects.filter(pk=event.pk).update(capacity=10)
    with committed():
        registration_cancel(registration=full[2])
    # Two places: both go. One place only would go to the earlier one.
    assert _status(early) == _status(late) == RegistrationStatus.CONFIRMED


def test_offer_mode_holds_the_place_until_confirmed_or_expired(client: Client, event, full):
    EventRegistrationSettings.objects.filter(pk=event.pk).update(waitlist_mode=WaitlistMode.OFFER, offer_hours=24)
    first = register(client, event, places=2)
    second = register(client, event, places=2)
    mail.outbox.clear()
    with committed():
        registration_cancel(registration=full[2])
    first.refresh_from_db()
    assert first.status == RegistrationStatus.OFFERED and first.offer_expires_at is not None
    (offer,) = emails_to(first.email)
    assert "/casi/inscriptions/confirmer/" in offer.body and offer.attachments == []
    assert _status(second) == RegistrationStatus.WAITING
    # The offer expires: the place goes to the next person in line.
    later = timezone.now() + datetime.timedelta(hours=25)
    with committed():
        assert registration_offers_expire(now=later) == 1
    assert _status(first) == RegistrationStatus.CANCELLED
    assert _status(second) == RegistrationStatus.OFFERED
    assert emails_to(second.email)[-1].to == [second.email]
    expired = emails_to(first.email)[-1]
    assert expired.subject == french("Offer expired: %(title)s") % {"title": event.title}
    assert "n’a pas été confirmée à temps" in expired.body and "/casi/inscriptions/annuler/" not in expired.body


def test_an_offer_is_confirmed_through_its_link(client: Client, event, full):
    EventRegistrationSettings.objects.filter(pk=event.pk).update(waitlist_mode=WaitlistMode.OFFER)
    waiting = register(client, event, places=2)
    with committed():
        registration_cancel(registration=full[2])
    link = emails_to(waiting.email)[-1].body.split("/casi/inscriptions/confirmer/")[1].split()[0]
    url = f"/casi/inscriptions/confirmer/{link}"
    assert client.get(url).status_code == 200 and _status(waiting) == RegistrationStatus.OFFERED
    mail.outbox.clear()
    with committed():
        response = client.post(url)
    assert response.status_code == 200 and _status(waiting) == RegistrationStatus.CONFIRMED
    (confirmation,) = emails_to(waiting.email)
    assert confirmation.attachments
    assert client.post(url).status_code == 400  # used once


def test_more_capacity_promotes_the_queue(client: Client, event, full, login):
    waiting = register(client, event, places=2)
    organiser = login("asso-a")
    settings = EventRegistrationSettings.objects.get(pk=event.pk)
    data = {
        "action": "settings",
        "is_open": "on",
        "capacity": "12",
        "max_places_per_person": str(settings.max_places_per_person),
        "waitlist_mode": "automatic",
        "offer_hours": "48",
    }
    with committed():
        response = organiser.post(f"/casi/inscriptions/evenements/{event.pk}/", data)
    assert response.status_code == 302
    assert _status(waiting) == RegistrationStatus.CONFIRMED
