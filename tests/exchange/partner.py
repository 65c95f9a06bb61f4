"""A small HTTP server on 127.0.0.1 playing a partner's site, and synthetic pages of the exchange format.

The tests (tests/exchange/conftest.py) and the benchmark (bench/measures_exchange.py) set the answers of its
paths; it records every request it receives, with its headers."""

from __future__ import annotations

import contextlib
import datetime
import http.server
import json
import threading
from collections.abc import Callable, Iterator

Route = Callable[[http.server.BaseHTTPRequestHandler], None]


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}
    seen: list = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append((self.path, dict(self.headers)))
        with contextlib.suppress(ConnectionError):  # the client gave up, as it should
            self.routes.get(self.path, self.routes.get(self.path.split("?")[0], _not_found))(self)


def _not_found(handler) -> None:
    handler.send_response(404)
    handler.end_headers()


def answer(body: bytes, *, status: int = 200, headers: dict | None = None) -> Route:
    def respond(handler) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def conditional_answer(body: bytes, etag: str) -> Route:
    """`body` with its ETag, or a 304 to a client that holds that ETag already."""

    def respond(handler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            answer(b"", status=304)(handler)
        else:
            answer(body, headers={"ETag": etag})(handler)

    return respond


@contextlib.contextmanager
def partner_server() -> Iterator[tuple[str, dict, list]]:
    """(its address, its routes: path -> answer, the requests it received: (path, headers))."""
    routes: dict = {}
    seen: list = []
    handler = type("Handler", (_Handler,), {"routes": routes, "seen": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", routes, seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def partner_site_serve(routes: dict, base: str, *, events: int, page_size: int = 500, version: str = "1") -> None:
    """Routes of a partner site of this product holding `events` events (and nothing else), in pages of
    `page_size`, under /donnees/, its catalogue answering conditionally (ETag `version`)."""
    start = datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC)
    pages = max(1, -(-events // page_size))
    for number in range(pages):
        first = number * page_size
        items = [
            {
                "@type": "Event",
                "identifier": str(index),
                "name": f"Rencontre partenaire {index}",
                "description": "Une rencontre du réseau partenaire.",
                "url": f"{base}/agenda/rencontre-{index}/",
                "startDate": (start + datetime.timedelta(hours=index)).isoformat(),
                "location": {"@type": "Place", "name": "Nantes"},
                "publisher": {"@type": "Organization", "name": "Association partenaire"},
                "dateModified": start.isoformat(),
            }
            for index in range(first, min(first + page_size, events))
        ]
        path = "/donnees/v1/evenements/" + (f"?apres={number}" if number else "")
        following = f"{base}/donnees/v1/evenements/?apres={number + 1}" if number + 1 < pages else None
        document = {"version": "1", "dataset": "evenements", "items": items, "next": following, "withdrawn": []}
        routes[path] = answer(json.dumps(document).encode())
    empty = json.dumps({"version": "1", "items": [], "next": None, "withdrawn": []}).encode()
    for dataset in ("appels-a-projets", "formations", "offres", "ressources", "annuaire"):
        routes[f"/donnees/v1/{dataset}/"] = answer(empty)
    catalogue = json.dumps({"@type": "dcat:Catalog", "dct:title": "Réseau partenaire", "version": version}).encode()
    routes["/donnees/catalogue.jsonld"] = conditional_answer(catalogue, f'"{version}"')
