"""RSS and Atom feeds, and iCalendar files of the agenda."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def index_feed(index, request: HttpRequest, fmt: str) -> HttpResponse:
    raise Http404


def index_ical(index, request: HttpRequest) -> HttpResponse:
    raise Http404


def organisation_feed(organisation, request: HttpRequest, fmt: str) -> HttpResponse:
    raise Http404


def event_ical(event, request: HttpRequest) -> HttpResponse:
    raise Http404
