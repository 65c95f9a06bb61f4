"""HTML to PDF with WeasyPrint, which lays out HTML and CSS without a browser.

WeasyPrint is imported at the first PDF, not when the site starts: its import (Pango, fonts, fontTools) costs a
second or more, which every web worker, task worker and management command would otherwise pay at start-up
for documents that only a few background tasks and coordinators' downloads make.
"""

from __future__ import annotations

from collections.abc import Callable

# WeasyPrint resolves relative addresses against an absolute one; this host is never contacted.
BASE_URL = "https://document.invalid/"


def fetch_nothing(url: str) -> bytes:
    """The fetch policy of documents that need nothing besides their HTML: any address is refused."""
    raise ValueError(f"not fetched: {url}")


def pdf_render(html: str, *, fetch: Callable[[str], bytes] = fetch_nothing) -> bytes:
    """The PDF of `html`. Every address the document names (pictures, style sheets) goes through `fetch`,
    which returns the bytes or raises for what must not be fetched: nothing reaches the network or a local
    file unless `fetch` itself reads it."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            return URLFetcherResponse(url, body=fetch(url))

    return HTML(string=html, base_url=BASE_URL, url_fetcher=Fetcher()).write_pdf()
