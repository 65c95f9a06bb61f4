"""Proposals from the public site: an editor's news or event, a visitor's event."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def event_proposal(index, request: HttpRequest) -> HttpResponse:
    raise Http404
