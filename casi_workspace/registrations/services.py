"""Writes: registering, cancelling, moving the waiting list, the organisers' settings and check-in.

Every change that takes or frees places runs in one transaction that first locks the event's settings row
(`select_for_update`, the pretix pattern): the places are counted and the decision made under that lock,
so that two registrations for the last place cannot both be confirmed. PostgreSQL needs the lock; SQLite
takes its write lock at the start of the transaction (`transaction_mode=IMMEDIATE`) and serialises them.

The waiting list is strictly first come, first served by `joined_at`: a newcomer joins the end of the queue
whenever someone waits, and when the person at the head asks for more places than are free, nobody behind
them goes ahead.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casi_workspace.conf import get_setting
from casi_workspace.core.errors import CasiError
from casi_workspace.core.queue import enqueue_on_commit
from casi_workspace.core.ratelimit import rate_limit_exceeded
from casi_workspace.publications.models.publications import EventPage
from casi_workspace.registrations.models import (
    EventRegistration,
    EventRegistrationSettings,
    RegistrationStatus,
    WaitlistMode,
)
from casi_workspace.registrations.selectors import event_queue, places_left, registration_counts
from casi_workspace.registrations.tasks import EmailKind, registration_email_send, registration_message_send

RATE_LIMIT_SCOPE = "registrations"


class RegistrationError(CasiError):
    """A registration, a cancellation or an offer the service refuses (the message says why, in French)."""


class RegistrationRateLimited(RegistrationError):
    pass


@dataclass(frozen=True)
class Registrant:
    """What the form asks of the person who registers."""

    name: str
    email: str
    places: int = 1
    organisation: str = ""
    accessibility_needs: str = ""
    answer: str = ""


def _locked_settings(event_id: int) -> EventRegistrationSettings:
    """The event's settings row, locked until the transaction ends (call inside `transaction.atomic`)."""
    options = EventRegistrationSettings.objects.select_for_update().select_related("event").filter(event_id=event_id)
    options = options.first()
    if options is None:
        raise RegistrationError(_("Registrations for this event are closed."))
    return options


def _email(registration: EventRegistration, kind: EmailKind) -> None:
    enqueue_on_commit(registration_email_send, registration_id=registration.pk, kind=kind)


def registration_create(
    *, event: EventPage, registrant: Registrant, user=None, ip: str = "", now: datetime.datetime | None = None
) -> EventRegistration:
    """Register someone: confirmed if their places are free and nobody waits, else at the end of the queue.

    Refused when registrations are closed, past the deadline, or for more places than one person may ask.
    The confirmation (with the event's calendar file) or the waiting list's acknowledgement leaves by email.
    """
    if rate_limit_exceeded(RATE_LIMIT_SCOPE, ip, get_setting("REGISTRATION_RATE_LIMIT")):
        raise RegistrationRateLimited(_("Too many registrations from your connection: please try again in an hour."))
    now = now or timezone.now()
    with transaction.atomic():
        options = _locked_settings(event.pk)
        if not options.accepts_at(now):
            raise RegistrationError(_("Registrations for this event are closed."))
        if not 1 <= registrant.places <= options.max_places_per_person:
            raise RegistrationError(
                _("You may ask for at most %(count)d places.") % {"count": options.max_places_per_person}
            )
        counts = registration_counts(event.pk)
        free = places_left(options, counts)
        fits = free is None or (registrant.places <= free and not (counts.waiting or counts.offered))
        registration = EventRegistration.objects.create(
            event_id=event.pk,
            name=registrant.name,
            email=registrant.email,
            organisation=registrant.organisation if options.asks_organisation else "",
            places=registrant.places,
            accessibility_needs=registrant.accessibility_needs if options.asks_accessibility else "",
            answer=registrant.answer if options.question else "",
            status=RegistrationStatus.CONFIRMED if fits else RegistrationStatus.WAITING,
            joined_at=now,
            user=user if user is not None and user.is_authenticated else None,
        )
        _email(registration, EmailKind.CONFIRMED if fits else EmailKind.WAITING)
    return registration


def _queue_advance(options: EventRegistrationSettings, now: datetime.datetime) -> list[EventRegistration]:
    """Give freed places to the head of the queue, in order, while the head's places fit (lock held).

    Automatic mode registers them and tells them; offer mode holds the places for them until the offer
    expires. People who already hold an offer keep their turn: the walk goes past them.
    """
    free = places_left(options, registration_counts(options.event_id))
    moved = []
    for registration in event_queue(options.event_id).filter(status=RegistrationStatus.WAITING):
        if free is not None and registration.places > free:
            break  # the head asks for more than is free: nobody behind it goes ahead
        if options.waitlist_mode == WaitlistMode.OFFER:
            registration.status = RegistrationStatus.OFFERED
            registration.offer_expires_at = now + datetime.timedelta(hours=options.offer_hours)
            kind = EmailKind.OFFERED
        else:
            registration.status = RegistrationStatus.CONFIRMED
            kind = EmailKind.PROMOTED
        registration.save(update_fields=["status", "offer_expires_at"])
        _email(registration, kind)
        moved.append(registration)
        if free is not None:
            free -= registration.places
    return moved


def registration_cancel(
    *, registration: EventRegistration, now: datetime.datetime | None = None, by_organiser: bool = False
) -> None:
    """Cancel a registration (the registrant's link, or an organiser, who tells them by email); its places go
    to the queue.

    A registration already cancelled is refused: the link in the email works once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        options = _locked_settings(registration.event_id)
        current = EventRegistration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            raise RegistrationError(_("This registration is already cancelled."))
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.offer_expires_at = None
        current.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
        if by_organiser:
            _email(current, EmailKind.CANCELLED)
        _queue_advance(options, now)
    registration.status = current.status


def registration_offer_accept(*, registration: EventRegistration, now: datetime.datetime | None = None) -> None:
    """The person offered a place takes it before the offer expires: confirmed, with the confirmation email."""
    now = now or timezone.now()
    with transaction.atomic():
        _locked_settings(registration.event_id)
        current = EventRegistration.objects.select_for_update().get(pk=registration.pk)
        if current.status != RegistrationStatus.OFFERED or not current.offer_expires_at:
            raise RegistrationError(_("This offer is no longer valid."))
        if current.offer_expires_at <= now:
            raise RegistrationError(_("This offer has expired."))
        current.status = RegistrationStatus.CONFIRMED
        current.offer_expires_at = None
        current.save(update_fields=["status", "offer_expires_at"])
        _email(current, EmailKind.CONFIRMED)
    registration.status = current.status


def registration_offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Cancel the offers not confirmed in time, telling each person, and offer their places to the next people
    in line."""
    now = now or timezone.now()
    expired = 0
    event_ids = (
        EventRegistration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    for event_id in list(event_ids):
        with transaction.atomic():
            options = _locked_settings(event_id)
            ended = EventRegistration.objects.filter(
                event_id=event_id, status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
            )
            ended_ids = list(ended.values_list("pk", flat=True))
            expired += ended.update(status=RegistrationStatus.CANCELLED, cancelled_at=now, offer_expires_at=None)
            for registration_id in ended_ids:
                enqueue_on_commit(registration_email_send, registration_id=registration_id, kind=EmailKind.EXPIRED)
            _queue_advance(options, now)
    return expired


def registration_settings_save(*, options: EventRegistrationSettings, now: datetime.datetime | None = None) -> None:
    """Save the organisers' settings; a larger capacity (or none) gives the new places to the queue."""
    with transaction.atomic():
        # Nothing to lock for the first settings of an event: nobody can register before they exist.
        list(EventRegistrationSettings.objects.select_for_update().filter(pk=options.pk))
        options.save()
        _queue_advance(options, now or timezone.now())


def registration_add(*, event: EventPage, registrant: Registrant, now: datetime.datetime | None = None):
    """An organiser adds someone by hand: confirmed even past the deadline or the capacity they set."""
    with transaction.atomic():
        _locked_settings(event.pk)
        registration = EventRegistration.objects.create(
            event_id=event.pk,
            name=registrant.name,
            email=registrant.email,
            organisation=registrant.organisation,
            places=registrant.places,
            accessibility_needs=registrant.accessibility_needs,
            answer=registrant.answer,
            status=RegistrationStatus.CONFIRMED,
            joined_at=now or timezone.now(),
        )
        _email(registration, EmailKind.CONFIRMED)
    return registration


def registration_check_in(*, registration: EventRegistration, arrived: bool) -> None:
    """Tick (or untick) a confirmed person's arrival on the day."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise RegistrationError(_("Only confirmed registrations can be checked in."))
    registration.checked_in_at = timezone.now() if arrived else None
    registration.save(update_fields=["checked_in_at"])


def registrations_erase(*, now: datetime.datetime | None = None) -> int:
    """Delete the registrations of events that ended longer ago than the retention period (personal data)."""
    limit = (now or timezone.now()) - datetime.timedelta(days=get_setting("REGISTRATION_RETENTION_DAYS"))
    ended = EventPage.objects.filter(start__lt=limit).exclude(end__gte=limit).values("pk")
    deleted, _by_model = EventRegistration.objects.filter(event_id__in=ended).delete()
    return deleted


def registrations_message(*, event: EventPage, subject: str, body: str, include_waiting: bool) -> None:
    """The organisers write to everyone registered (and, if they choose, to the waiting list), by the worker."""
    statuses = [RegistrationStatus.CONFIRMED]
    if include_waiting:
        statuses += [RegistrationStatus.WAITING, RegistrationStatus.OFFERED]
    enqueue_on_commit(registration_message_send, event_id=event.pk, subject=subject, body=body, statuses=statuses)
