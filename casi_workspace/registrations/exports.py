"""An event's registrations as a CSV or an Excel file, its sign-in sheet and its badges as PDF, for its organisers.

core/spreadsheets.py keeps every answer as text: a name typed as "=HYPERLINK(…)" stays a name. The sign-in
sheet is laid out by WeasyPrint from a Django template, so every text people typed is escaped as on the site;
it is built in the request (one event, a few hundred names at most: well under a second) and fetches nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from casi_workspace.core.brand import brand_for_page
from casi_workspace.core.pdf import pdf_render
from casi_workspace.core.spreadsheets import csv_response, xlsx_response
from casi_workspace.publications.models.publications import EventPage
from casi_workspace.registrations.models import EventSlot, RegistrationStatus
from casi_workspace.registrations.selectors import event_programme, event_registrations, with_choices

FORMATS = ("csv", "xlsx")
SIGN_IN_TEMPLATE = "casi_workspace/pages/registrations_sign_in_sheet.html"
BADGES_TEMPLATE = "casi_workspace/pages/registrations_badges.html"


def _headers(slots: list[EventSlot]) -> list[str]:
    return [
        _("Name"),
        _("Email address"),
        _("Organisation"),
        _("Places"),
        _("Status"),
        _("Registered at"),
        *(slot.title for slot in slots),
        _("Accessibility needs"),
        _("Answer"),
        _("Arrived at"),
    ]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _rows(event: EventPage, slots: list[EventSlot]) -> Iterator[list[Any]]:
    registrations = with_choices(event_registrations(event.pk)) if slots else event_registrations(event.pk)
    for registration in registrations.iterator(chunk_size=500):
        chosen = {choice.slot_id: choice.session.title for choice in getattr(registration, "choice_list", [])}
        yield [
            registration.name,
            registration.email,
            registration.organisation,
            registration.places,
            registration.get_status_display(),
            _when(registration.joined_at),
            *(chosen.get(slot.pk, "") for slot in slots),
            registration.accessibility_needs,
            registration.answer,
            _when(registration.checked_in_at),
        ]


def registrations_file(event: EventPage, fmt: str) -> HttpResponse:
    """The list with one column per time slot (the session each person chose), for the organisers."""
    filename = f"inscriptions-{event.slug}.{fmt}"
    slots = list(EventSlot.objects.filter(event_id=event.pk))
    if fmt == "xlsx":
        return xlsx_response(_headers(slots), _rows(event, slots), filename, sheet_name="inscriptions")
    return csv_response(_headers(slots), _rows(event, slots), filename)


def sign_in_sections(event: EventPage) -> list[dict[str, Any]]:
    """The sheet's sections: one per session (its slot, its confirmed people by name), or one for the whole
    event when it has no time slots."""
    confirmed = event_registrations(event.pk).filter(status=RegistrationStatus.CONFIRMED).order_by("name", "pk")
    slots = event_programme(event.pk, with_counts=False)
    if not slots:
        return [{"slot": None, "session": None, "registrations": list(confirmed)}]
    by_session: dict[int, list] = {}
    for registration in with_choices(confirmed):
        for choice in registration.choice_list:
            by_session.setdefault(choice.session_id, []).append(registration)
    return [
        {"slot": slot, "session": session, "registrations": by_session.get(session.pk, [])}
        for slot in slots
        for session in slot.session_list
    ]


def sign_in_sheet_pdf(event: EventPage) -> bytes:
    """The sign-in sheet as PDF bytes: per session, each confirmed person's name, organisation, and a box to sign."""
    return _pdf(SIGN_IN_TEMPLATE, {"event": event, "sections": sign_in_sections(event)})


def sign_in_sheet_filename(event: EventPage) -> str:
    return f"emargement-{event.slug}.pdf"


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, {**context, "generated_at": timezone.localtime()})
    return pdf_render(html)


def badges_pdf(event: EventPage) -> bytes:
    """Name badges to print and cut (eight to an A4 page), for the confirmed registrations in name order: the
    person's name, organisation and sessions; a registration for several places adds a badge per extra place
    with a blank line for the name."""
    confirmed = event_registrations(event.pk).filter(status=RegistrationStatus.CONFIRMED).order_by("name", "pk")
    badges = [
        {"name": registration.name if place == 0 else "", "registration": registration}
        for registration in with_choices(confirmed)
        for place in range(registration.places)
    ]
    return _pdf(BADGES_TEMPLATE, {"event": event, "badges": badges, "brand": brand_for_page(event)})


def badges_filename(event: EventPage) -> str:
    return f"badges-{event.slug}.pdf"
