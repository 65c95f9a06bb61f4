"""A small HTTP server on 127.0.0.1 playing a partner's site (tests/exchange/partner.py): each test sets the
answers of its paths."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.exchange.partner import answer, conditional_answer, partner_server

__all__ = ["answer", "conditional_answer"]


@pytest.fixture
def server() -> Iterator[tuple[str, dict, list]]:
    with partner_server() as served:
        yield served
