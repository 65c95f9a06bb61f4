"""A small HTTP server on 127.0.0.1 playing a partner's site: each test sets the answers of its paths."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator

import pytest


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


def answer(body: bytes, *, status: int = 200, headers: dict | None = None):
    def respond(handler) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


@pytest.fixture
def server() -> Iterator[tuple[str, dict, list]]:
    routes: dict = {}
    seen: list = []
    handler = type("Handler", (_Handler,), {"routes": routes, "seen": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", routes, seen
    httpd.shutdown()
    httpd.server_close()


def conditional_answer(body: bytes, etag: str):
    """`body` with its ETag, or a 304 to a client that holds that ETag already."""

    def respond(handler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            answer(b"", status=304)(handler)
        else:
            answer(body, headers={"ETag": etag})(handler)

    return respond
