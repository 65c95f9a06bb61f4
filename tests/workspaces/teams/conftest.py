"""Fixtures of the team tests: the demo's two associations, and fresh accounts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from casi_workspace.demo.data import TRUSTED_ASSOCIATION, UNTRUSTED_ASSOCIATION
from casi_workspace.models import OrganisationPage

from .helpers import NEW_PASSWORD


@pytest.fixture
def brest(db) -> OrganisationPage:
    """Brest Sahel Solidarité: trusted; asso-a manages its team."""
    return OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)


@pytest.fixture
def douarnenez(db) -> OrganisationPage:
    """Douarnenez – Madagascar: untrusted; asso-b manages its team."""
    return OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)


@pytest.fixture
def make_user(db):
    """A new account with a known password (NEW_PASSWORD) and no rights."""

    def _make(username: str, **fields) -> User:
        fields.setdefault("email", f"{username}@example.net")
        return User.objects.create_user(username=username, password=NEW_PASSWORD, **fields)

    return _make
