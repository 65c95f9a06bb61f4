"""Fixtures of the proposal tests: a fresh rate-limit window, valid form data, and the demo pages they touch."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from casi_workspace.models import OrganisationPage

NEWS_URL = "/casi/proposer/actualite/"
EVENT_URL = "/casi/proposer/evenement/"
VISITOR_URL = "/agenda/proposer/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The rate limit counts in the cache: every test starts with an empty window."""
    cache.clear()
    yield
    cache.clear()


def _local(days: int, hour: int) -> str:
    """A date-time as a datetime-local input sends it, `days` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


@pytest.fixture
def organisation():
    """Look up a demo organisation page by slug."""

    def _get(slug: str) -> OrganisationPage:
        return OrganisationPage.objects.get(slug=slug)

    return _get


@pytest.fixture
def news_data() -> dict[str, Any]:
    return {
        "title": "Retour de mission à Antsirabe",
        "summary": "Trois semaines avec nos partenaires de l'école de Betafo.",
        "body": "Premier paragraphe <b>gras</b>.\n\nSecond paragraphe,\nsur deux lignes.",
        "tags": "eau, Madagascar",
    }


@pytest.fixture
def event_data(news_data) -> dict[str, Any]:
    return {
        **news_data,
        "title": "Soirée Madagascar à Douarnenez",
        "start": _local(20, 18),
        "end": _local(20, 22),
        "venue": "Salle des fêtes",
        "commune": "Douarnenez",
        "department": "29",
        "online_url": "",
        "price": "Gratuit",
        "registration_url": "https://example.org/inscription",
    }


@pytest.fixture
def visitor_data() -> dict[str, Any]:
    return {
        "proposer_name": "Maïwenn Le Bihan",
        "proposer_email": "maiwenn@example.org",
        "organisation_name": "Lycée de l'Iroise",
        "title": "Forum des solidarités du lycée de l'Iroise",
        "description": "Des stands d'associations, une table ronde et un concert.\n\nOuvert à tous.",
        "start": _local(30, 14),
        "end": _local(30, 18),
        "venue": "Lycée de l'Iroise",
        "commune": "Brest",
        "department": "29",
        "online_url": "",
        "price": "",
        "registration_url": "",
        "homepage": "",
    }
