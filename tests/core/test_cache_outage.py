"""A cache outage slows the site down and never takes it off line: with the test's own Redis server stopped or
frozen, public pages, sign-in and the public forms answer as usual; when it returns, the page cache resumes by
itself, and no page cached before the outage hides a change made during it."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from django.test import Client

from bench.private_services import RedisServer
from casi_workspace.demo.data import DEFAULT_PASSWORD
from tests.helpers import PUBLIC_PAGES
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

RETRY_SECONDS = 0.3
NEWS = "/actualites/"


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    if server.process is not None:
        server.thaw()
    server.stop()


@pytest.fixture
def redis_cache(settings, redis_server: RedisServer) -> RedisServer:
    """The production cache settings, pointed at the test's own Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "casi_workspace.core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis_server.port}/0",
            "KEY_PREFIX": "casi",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
            "RETRY_SECONDS": RETRY_SECONDS,
        }
    }
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 300
    return redis_server


def _outage_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "casi_workspace.core.cache"]


def test_public_pages_are_served_while_the_cache_is_down_and_cached_again_when_it_returns(redis_cache, caplog):
    visitor = Client()
    assert visitor.get(NEWS)["X-Cache"] == "MISS"
    assert visitor.get(NEWS)["X-Cache"] == "HIT"

    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="casi_workspace.core.cache"):
        answers = {path: visitor.get(path) for path in PUBLIC_PAGES}
        again = visitor.get(NEWS)

    assert {path: response.status_code for path, response in answers.items()} == {
        path: 404 if path == "/n-existe-pas/" else 200 for path in PUBLIC_PAGES
    }
    assert again.status_code == 200 and again.get("X-Cache") != "HIT"
    assert len(_outage_warnings(caplog)) == 1  # once for the outage, not once per request

    redis_cache.start()
    time.sleep(RETRY_SECONDS)
    assert visitor.get(NEWS)["X-Cache"] == "MISS"
    assert visitor.get(NEWS)["X-Cache"] == "HIT"


def test_a_publication_during_the_outage_is_not_hidden_by_a_page_cached_before(redis_cache, caplog):
    visitor = Client()
    visitor.get(NEWS)
    assert visitor.get(NEWS)["X-Cache"] == "HIT"

    redis_cache.freeze()  # Redis keeps the cached page, but cannot be told it is stale
    with caplog.at_level(logging.WARNING, logger="casi_workspace.core.cache"):
        publication_create("news", "brest-sahel-solidarite", title="Publiée pendant la panne du cache")
        during = visitor.get(NEWS)
    assert during.status_code == 200 and "Publiée pendant la panne du cache" in during.content.decode()

    redis_cache.thaw()
    time.sleep(RETRY_SECONDS)
    after = visitor.get(NEWS)
    assert after["X-Cache"] == "MISS" and "Publiée pendant la panne du cache" in after.content.decode()
    assert visitor.get(NEWS)["X-Cache"] == "HIT"
    assert any("answers again" in message for message in _outage_warnings(caplog))


def test_sign_in_and_the_public_forms_work_while_the_cache_is_down(redis_cache):
    redis_cache.stop()
    person = Client()

    response = person.post("/admin/login/", {"username": "asso-a", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert person.get("/admin/").status_code == 200

    page = Client().get("/lettre/")
    assert page.status_code == 200


def _health(response) -> dict[str, str]:
    return {key: response.json()[key] for key in ("status", "database", "cache")}


def test_the_health_check_reports_the_cache_and_stays_200_without_it(redis_cache):
    assert _health(Client().get("/casi/sante/")) == {"status": "ok", "database": "ok", "cache": "ok"}

    redis_cache.stop()
    response = Client().get("/casi/sante/")

    assert response.status_code == 200
    assert _health(response) == {"status": "degraded", "database": "ok", "cache": "unavailable"}
