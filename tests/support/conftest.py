"""Helpers to ask for support over HTTP as a person would, and to find the link the email sends."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from casi_workspace.demo.data import FINISTERE_COLLECTIVE
from casi_workspace.models import OrganisationPage, OrganisationWorkspace, SupportRequest

FORM_URL = "/casi/accompagnement/demander/"
_people = itertools.count(1)


def committed():
    """The emails leave once the request's transaction commits: run what it queued on commit."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def pdf(name: str = "projet.pdf", size: int = 0) -> SimpleUploadedFile:
    content = b"%PDF-1.4\n%%EOF\n" + b"0" * size
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def new_structure(**fields) -> dict:
    """The form's fields for a structure that is not in the directory."""
    number = next(_people)
    data = {
        "organisation": "",
        "structure_name": f"Jumelage Plouguerneau {number}",
        "structure_commune": "Plouguerneau",
        "department": "29",
        "actor_type": "association",
        "contact_name": f"Personne {number}",
        "contact_email": f"personne{number}@example.org",
        "contact_phone": "02 98 00 00 00",
        "project_title": f"Puits au Burkina {number}",
        "countries": ["BF"],
        "stage": "building",
        "need": "funding",
        "description": "Nous cherchons des financeurs pour un puits.",
        "consent": "on",
    }
    return data | fields


def ask(client: Client, data: dict, *, ip: str = "10.1.0.1", expect: int = 302):
    """Send the form (files under `documents`); the response."""
    with committed():
        response = client.post(FORM_URL, data, REMOTE_ADDR=ip)
    assert response.status_code == expect, response.content.decode()[:3000]
    return response


def follow_path(address: str) -> str:
    """The follow page's path from the acknowledgement sent to `address`."""
    [message] = [message for message in mail.outbox if message.to == [address]]
    return "/casi/accompagnement/suivi/" + message.body.split("/casi/accompagnement/suivi/")[1].split()[0]


def page_after_growth(client: Client, url: str, grow: Callable[[], None], assert_max_queries) -> str:
    """The page at `url` once `grow` has added rows, asserting it takes no more queries than before; its HTML."""
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow()
    with assert_max_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def request_of(data: dict) -> SupportRequest:
    return SupportRequest.objects.get(contact_email=data["contact_email"])


@pytest.fixture
def collective_opted_in(db) -> OrganisationPage:
    """The Finistère collective handles the support requests of the 29."""
    collective = OrganisationPage.objects.get(slug=FINISTERE_COLLECTIVE)
    OrganisationWorkspace.objects.filter(organisation=collective).update(handles_support_requests=True)
    return collective
