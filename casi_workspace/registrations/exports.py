"""An event's registrations as a CSV or an Excel file, for its organisers (core/spreadsheets.py keeps every
answer as text: a name typed as "=HYPERLINK(…)" stays a name)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from casi_workspace.core.spreadsheets import csv_response, xlsx_response
from casi_workspace.publications.models.publications import EventPage
from casi_workspace.registrations.selectors import event_registrations

FORMATS = ("csv", "xlsx")


def _headers() -> list[str]:
    return [
        _("Name"),
        _("Email address"),
        _("Organisation"),
        _("Places"),
        _("Status"),
        _("Registered at"),
        _("Accessibility needs"),
        _("Answer"),
        _("Arrived at"),
    ]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _rows(event: EventPage) -> Iterator[list[Any]]:
    for registration in event_registrations(event.pk).iterator():
        yield [
            registration.name,
            registration.email,
            registration.organisation,
            registration.places,
            registration.get_status_display(),
            _when(registration.joined_at),
            registration.accessibility_needs,
            registration.answer,
            _when(registration.checked_in_at),
        ]


def registrations_file(event: EventPage, fmt: str) -> HttpResponse:
    filename = f"inscriptions-{event.slug}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(_headers(), _rows(event), filename, sheet_name="inscriptions")
    return csv_response(_headers(), _rows(event), filename)
