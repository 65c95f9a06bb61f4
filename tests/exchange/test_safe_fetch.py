"""Fetching a partner's address: what reaches the network, and what is refused before anything is sent."""

from __future__ import annotations

import gzip
import time

import pytest
from django.utils import translation

from casi_workspace.core.safe_fetch import FetchError, FetchLimits, fetch
from tests.exchange.conftest import answer as _answer
from tests.exchange.conftest import conditional_answer

LOCAL = FetchLimits(timeout=3, max_bytes=1024 * 1024, allowed_hosts=frozenset({"127.0.0.1"}))


def _refused(url: str, limits: FetchLimits = LOCAL, **kwargs) -> str:
    with translation.override("fr"), pytest.raises(FetchError) as refused:
        fetch(url, limits=limits, **kwargs)
    return refused.value.message


def test_a_public_source_is_fetched_with_its_validators(server):
    base, routes, seen = server
    routes["/agenda.json"] = _answer(b'{"items": []}', headers={"ETag": '"v1"', "Content-Type": "application/json"})

    result = fetch(f"{base}/agenda.json", limits=LOCAL)

    assert (result.status, result.body, result.etag) == (200, b'{"items": []}', '"v1"')
    assert result.content_type == "application/json"
    assert seen[0][1]["Accept-Encoding"] == "gzip"


def test_nothing_new_is_a_304_without_a_body(server):
    base, routes, _seen = server

    routes["/agenda.json"] = conditional_answer(b"new", '"v2"')

    assert fetch(f"{base}/agenda.json", limits=LOCAL, etag='"v2"').status == 304
    assert fetch(f"{base}/agenda.json", limits=LOCAL, etag='"v0"').body == b"new"


def test_the_servers_own_network_is_refused_before_anything_is_sent(server):
    base, routes, seen = server
    routes["/"] = _answer(b"secret")

    message = _refused(f"{base}/", FetchLimits())

    assert message.startswith("L'adresse 127.0.0.1 mène à un réseau privé ou local")
    assert seen == []


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "http://10.0.0.1/",
        "http://192.168.1.1/admin",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://2130706433/",
    ],
)
def test_private_loopback_link_local_and_reserved_addresses_are_refused(url):
    assert "réseau privé ou local" in _refused(url, FetchLimits())


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/agenda.ics",
        "javascript:alert(1)",
        "data:text/plain,x",
        "gopher://x/",
        "//example.org/",
    ],
)
def test_only_http_and_https_are_fetched(url):
    assert "Seules les adresses http et https" in _refused(url)


def test_an_address_with_credentials_or_malformed_is_refused():
    assert "nom d'utilisateur" in _refused("http://admin:secret@example.org/")
    assert "n'est pas valide" in _refused("http://example.org:99999/")


@pytest.mark.parametrize(
    "target", ["http://localhost:{port}/secret", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"]
)
def test_a_redirect_is_checked_like_the_first_address(server, target):
    base, routes, seen = server
    port = base.rsplit(":", 1)[1]
    routes["/secret"] = _answer(b"secret")
    routes["/agenda.json"] = _answer(b"", status=302, headers={"Location": target.format(port=port)})

    _refused(f"{base}/agenda.json")

    assert [path for path, _headers in seen] == ["/agenda.json"]


def test_a_redirect_loop_stops(server):
    base, routes, seen = server
    routes["/a"] = _answer(b"", status=301, headers={"Location": "/a"})

    assert "trop de fois" in _refused(f"{base}/a")
    assert len(seen) == 6


def test_a_redirect_within_allowed_addresses_is_followed(server):
    base, routes, _seen = server
    routes["/old"] = _answer(b"", status=308, headers={"Location": "/new"})
    routes["/new"] = _answer(b"moved")

    result = fetch(f"{base}/old", limits=LOCAL)

    assert (result.body, result.url) == (b"moved", f"{base}/new")


def test_a_huge_answer_is_refused(server):
    base, routes, _seen = server
    routes["/huge"] = _answer(b"x" * (LOCAL.max_bytes + 1))

    assert "plus de 1 Mo" in _refused(f"{base}/huge")


def test_a_gzip_bomb_stops_at_the_size_limit(server):
    base, routes, _seen = server
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 300 * 1024
    routes["/bomb"] = _answer(bomb, headers={"Content-Encoding": "gzip"})

    started = time.monotonic()
    assert "plus de 1 Mo" in _refused(f"{base}/bomb")
    assert time.monotonic() - started < 2


def test_a_compressed_answer_under_the_limit_is_inflated(server):
    base, routes, _seen = server
    routes["/small"] = _answer(gzip.compress(b"agenda" * 100), headers={"Content-Encoding": "gzip"})

    assert fetch(f"{base}/small", limits=LOCAL).body == b"agenda" * 100


def test_a_damaged_or_unknown_encoding_is_refused(server):
    base, routes, _seen = server
    routes["/damaged"] = _answer(b"not gzip at all", headers={"Content-Encoding": "gzip"})
    routes["/brotli"] = _answer(b"...", headers={"Content-Encoding": "br"})

    assert "endommagée" in _refused(f"{base}/damaged")
    assert "encodage" in _refused(f"{base}/brotli")


def test_a_slow_or_dribbling_source_stops_at_the_deadline(server):
    base, routes, _seen = server

    def dribble(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        for _byte in range(1000):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.05)

    def silent(handler) -> None:
        time.sleep(3)
        _answer(b"late")(handler)

    routes["/dribble"], routes["/silent"] = dribble, silent
    quick = FetchLimits(timeout=1, max_bytes=LOCAL.max_bytes, allowed_hosts=LOCAL.allowed_hosts)

    for path in ("/dribble", "/silent"):
        started = time.monotonic()
        assert "trop de temps" in _refused(f"{base}{path}", quick)
        assert time.monotonic() - started < 2


def test_an_error_status_is_reported(server):
    base, _routes, _seen = server

    assert "statut HTTP 404" in _refused(f"{base}/missing")


def test_an_unknown_host_is_reported():
    assert "introuvable" in _refused("http://partenaire.invalid/agenda.json", FetchLimits())
