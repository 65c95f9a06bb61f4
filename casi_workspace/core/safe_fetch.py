"""Fetching an address that someone else chose (a partner network's feed), without letting it reach inside.

A partner source's address is typed by a coordinator, and what it answers is written by a stranger; either can
point the server at itself or its neighbours (SSRF): `http://127.0.0.1:6379/`, the cloud's metadata address,
a router on the local network, or a public name that resolves to one of those, or a redirect to one. So:

- only `http` and `https`, on their usual ports or any other;
- the host name is resolved here and every address it resolves to must be a public one (not private, loopback,
  link-local, multicast, reserved or shared), unless the host is named in CASI_WORKSPACE_PARTNER_ALLOWED_HOSTS;
  the connection is then made to the address that was checked, not to a second resolution (DNS rebinding);
- redirects are followed by hand, at most MAX_REDIRECTS, each new address checked the same way;
- the answer is read against a deadline and a size limit, and a compressed answer is limited on what it
  inflates to (a gzip bomb stops at the limit).

Every refusal is a `FetchError` whose message tells a coordinator, in French, what went wrong.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

from casi_workspace.core.errors import CasiError

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "casi-workspace-exchange/1 (+https://www.example.org/donnees/)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class FetchError(CasiError):
    """The address could not be fetched, or was refused; the message is meant for coordinators."""


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 10.0  # seconds for the whole fetch, redirects included
    max_bytes: int = 5 * 1024 * 1024  # of the answer's body once inflated
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)  # host or host:port, exempt from the check


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200, or 304 when the conditional request found nothing new
    body: bytes
    url: str  # the address that answered, after redirects
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int, limits: FetchLimits) -> str:
    """The address to connect to: the first one `host` resolves to, each of them checked unless allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(_("The host %(host)s cannot be found.") % {"host": host}) from None
    addresses = [info[4][0] for info in infos]
    allowed = host in limits.allowed_hosts or f"{host}:{port}" in limits.allowed_hosts
    if not allowed and not all(_public(address) for address in addresses):
        raise FetchError(_("The address %(host)s leads to a private or local network: it is refused.") % {"host": host})
    return addresses[0]


def _checked_target(url: str, limits: FetchLimits) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, path with query, address to connect to) of a URL that may be fetched."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(_("The address %(url)s is not valid.") % {"url": url[:200]}) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("Only http and https addresses can be fetched (not %(url)s).") % {"url": url[:200]})
    if parts.username or parts.password:
        raise FetchError(_("An address with a user name or a password is refused."))
    port = port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme, parts.hostname, port, path, _resolve(parts.hostname, port, limits)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to an address already checked, verifying the certificate of the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(_("The source took too long to answer."))
    return left


def _read_body(response: http.client.HTTPResponse, limits: FetchLimits, deadline: float, sock) -> bytes:
    encoding = response.getheader("Content-Encoding", "").strip().lower()
    if encoding not in ("", "identity", "gzip", "deflate"):
        raise FetchError(
            _("The source answered in an encoding this site cannot read (%(encoding)s).") % {"encoding": encoding[:40]}
        )
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding in ("gzip", "deflate") else None
    too_big = _("The answer is larger than %(size)s MB: it is refused.") % {
        "size": limits.max_bytes // (1024 * 1024) or 1
    }
    body = bytearray()
    while True:
        if sock is not None:
            sock.settimeout(_remaining(deadline))
        try:
            chunk = response.read1(CHUNK)
        except TimeoutError:
            raise FetchError(_("The source took too long to answer.")) from None
        if not chunk:
            break
        if inflater is None:
            body += chunk
        else:
            try:
                body += inflater.decompress(chunk, limits.max_bytes + 1 - len(body))
            except zlib.error:
                raise FetchError(_("The compressed answer is damaged.")) from None
            if inflater.unconsumed_tail and len(body) > limits.max_bytes:
                raise FetchError(too_big)
        if len(body) > limits.max_bytes:
            raise FetchError(too_big)
        _remaining(deadline)
    return bytes(body)


def fetch(url: str, *, limits: FetchLimits, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET `url` under `limits`, conditionally when `etag` or `last_modified` come from the previous fetch."""
    deadline = time.monotonic() + limits.timeout
    for _redirect in range(MAX_REDIRECTS + 1):
        scheme, host, port, path, address = _checked_target(url, limits)
        connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(host, address, port, timeout=_remaining(deadline))
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip", "Accept": "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            if response.status in REDIRECT_STATUSES and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status == 304:
                return FetchResult(304, b"", url, etag=etag, last_modified=last_modified)
            if response.status != 200:
                raise FetchError(
                    _("The source answered with the HTTP status %(status)s.") % {"status": response.status}
                )
            body = _read_body(response, limits, deadline, connection.sock)
            return FetchResult(
                200,
                body,
                url,
                content_type=response.getheader("Content-Type", ""),
                etag=response.getheader("ETag", ""),
                last_modified=response.getheader("Last-Modified", ""),
            )
        except TimeoutError:
            raise FetchError(_("The source took too long to answer.")) from None
        except ssl.SSLError:
            raise FetchError(_("The source's secure connection (HTTPS certificate) could not be verified.")) from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(
                _("The source could not be reached (%(error)s).") % {"error": type(exc).__name__}
            ) from None
        finally:
            connection.close()
    raise FetchError(_("The source redirects too many times."))
