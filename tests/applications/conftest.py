"""Fixtures of the membership-application tests: a fresh rate-limit window and a valid application."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The rate limit counts in the cache: every test starts with an empty window."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def application_data() -> dict[str, Any]:
    """What a visitor types into the form: valid, and unlike any demo organisation."""
    return {
        "organisation_name": "Solidarité Quimper Bénin",
        "acronym": "SQB",
        "actor_type": "association",
        "rna": "",
        "siren": "",
        "siret": "",
        "website": "https://sqb.example.org/",
        "address": "3 rue des Écoles",
        "postcode": "29000",
        "commune": "Quimper",
        "department": "29",
        "contact_name": "Nolwenn Le Goff",
        "contact_email": "nolwenn@sqb.example.org",
        "contact_phone": "02 98 00 00 00",
        "motivation": "Nous soutenons deux écoles à Abomey et animons des rencontres dans les lycées.",
        "consent": "on",
    }


@pytest.fixture
def make_application(db, application_data):
    """A pending application stored through the service, as the form stores it."""
    from casi_workspace.applications.services import application_create

    def _make(**overrides: Any):
        data = {**application_data, "consent": True, **overrides}
        return application_create(data=data, ip_hash="")

    return _make
