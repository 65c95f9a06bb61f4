"""The anonymous page cache: public pages served from Django's cache to visitors who are not signed in.

Only a GET from a visitor with no session and no pending message is cached or served from the cache, so a
signed-in person never gets a cached page and no one's page ever reaches another. A page holding a form
is cached without its CSRF token: the token is put back, the visitor's own, each time the page is served.

Every change to what the public sees (a page published, unpublished, moved or deleted, a newsletter issue
sent, a document or a sector changed) moves the cache to a new generation: all cached pages are dropped
at once, which is simple and right for a site whose listings gather pages from everywhere. A page also
expires after PAGE_CACHE_SECONDS, for what changes with time alone (an event that passed), and never
outlives the next page expiry date.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

from casi_workspace.conf import get_setting, host_setting

GENERATION_KEY = "casi:page-cache:generation"
NEXT_EXPIRY_KEY = "casi:page-cache:next-expiry:{generation}"
NO_EXPIRY = "none"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = rb"\1__casi_csrf_token__\2"
CSRF_SLOT = re.compile(rb'(name="csrfmiddlewaretoken" value=")__casi_csrf_token__(")')
KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Content-Language",
    "Last-Modified",
    "ETag",
    "Link",
    "Access-Control-Allow-Origin",
)


def page_cache_invalidate(**kwargs) -> None:
    """Start a new generation: every page cached so far is dropped (a signal receiver, hence **kwargs)."""
    if cache.add(GENERATION_KEY, 2, timeout=None):
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted between add() and incr()
        cache.add(GENERATION_KEY, 2, timeout=None)


def _seconds_to_next_expiry(generation: int) -> float | None:
    """Seconds until the next live page expires (None: none will), remembered for the generation.

    No page is kept past that moment: listings, feeds and the expiring page itself drop it on time.
    """
    from wagtail.models import Page

    key = NEXT_EXPIRY_KEY.format(generation=generation)
    now = timezone.now()
    cached = cache.get(key)
    if cached is None:
        found = Page.objects.filter(live=True, expire_at__gt=now).aggregate(next=Min("expire_at"))["next"]
        cached = found or NO_EXPIRY
        cache.set(key, cached, None)
    if cached == NO_EXPIRY:
        return None
    return (cached - now).total_seconds()


def _excluded(path: str) -> bool:
    return path.startswith(tuple(get_setting("PAGE_CACHE_EXCLUDED_PATHS")))


def _anonymous_get(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and host_setting("SESSION_COOKIE_NAME") not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
        and not _excluded(request.path_info)
    )


def _key(request: HttpRequest, generation: int) -> str:
    address = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"casi:page:{generation}:{hashlib.sha256(address).hexdigest()}"


def _cacheable(response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "no-cache" not in cache_control
    )


def _stored(response: HttpResponse) -> dict:
    """What is kept: the body without the CSRF token, and the headers that describe the content."""
    return {
        "content": CSRF_INPUT.sub(CSRF_PLACEHOLDER, response.content),
        "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
    }


def _served(request: HttpRequest, stored: dict) -> HttpResponse:
    content = stored["content"]
    if CSRF_SLOT.search(content):
        token = get_token(request).encode()  # the visitor's own; CsrfViewMiddleware sets its cookie if needed
        content = CSRF_SLOT.sub(lambda match: match.group(1) + token + match.group(2), content)
    response = HttpResponse(content)
    for name, value in stored["headers"].items():
        response[name] = value
    response["X-Cache"] = "HIT"
    patch_vary_headers(response, ("Cookie",))  # a shared proxy must not give it to a signed-in person
    # A client that holds this version (a partner polling a dataset) gets a 304 without the body.
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(request, etag=response.get("ETag"), last_modified=last_modified, response=response)


class AnonymousPageCacheMiddleware:
    """Place it after the CSRF, message and security-header middlewares: they still act on a cached page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = get_setting("PAGE_CACHE_SECONDS")
        if not seconds or not _anonymous_get(request):
            return self.get_response(request)
        generation = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
        key = _key(request, generation)
        stored = cache.get(key)
        if stored is not None:
            return _served(request, stored)
        response = self.get_response(request)
        if _cacheable(response) and not request.user.is_authenticated:
            until_expiry = _seconds_to_next_expiry(generation)
            if until_expiry is not None:
                seconds = min(seconds, int(until_expiry))
            if seconds > 0:
                cache.set(key, _stored(response), seconds)
            response["X-Cache"] = "MISS"
        return response
