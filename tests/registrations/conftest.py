"""An event of the demo's trusted association with registrations on, and helpers to register over HTTP."""

from __future__ import annotations

import itertools

import pytest
from django.core import mail
from django.test import Client, TestCase

from casi_workspace.demo.data import TRUSTED_ASSOCIATION
from casi_workspace.models import EventRegistration, EventRegistrationSettings
from tests.publications.helpers import publication_create

_people = itertools.count(1)


@pytest.fixture
def event(db, settings):
    """A live event next week with 10 places, registrations open (the page cache off: tests read pages)."""
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 0
    page = publication_create("event", TRUSTED_ASSOCIATION, title="Ciné-débat Sahel")
    EventRegistrationSettings.objects.create(event=page, is_open=True, capacity=10, max_places_per_person=4)
    return page


def register_url(event) -> str:
    return f"{event.url}inscription/"


def form(**fields) -> dict[str, str]:
    number = next(_people)
    return {"name": f"Personne {number}", "email": f"personne{number}@example.org", "places": "1"} | {
        name: str(value) for name, value in fields.items()
    }


def committed():
    """The emails leave once the request's transaction commits: run what it queued on commit, as a real one would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def register(client: Client, event, **fields) -> EventRegistration:
    """Register through the public form as a person would; the registration it made."""
    data = form(**fields)
    with committed():
        response = client.post(register_url(event), data, REMOTE_ADDR=f"10.0.{next(_people) % 250}.1")
    assert response.status_code == 302, response.content.decode()[:2000]
    return EventRegistration.objects.get(event=event, email=data["email"])


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]
