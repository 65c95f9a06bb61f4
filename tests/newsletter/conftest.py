"""Fixtures of the newsletter tests: a fresh rate-limit window."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The subscription rate limit counts in the cache: every test starts with an empty window."""
    cache.clear()
    yield
    cache.clear()
