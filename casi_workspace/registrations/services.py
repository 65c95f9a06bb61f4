"""Writes: registering, cancelling, moving the waiting list, the organisers' settings and check-in.

Every change that takes or frees places runs in one transaction that first locks the event's settings row
(`select_for_update`, the pretix pattern): the places are counted and the decision made under that lock,
so that two registrations for the last place cannot both be confirmed. PostgreSQL needs the lock; SQLite
takes its write lock at the start of the transaction (`transaction_mode=IMMEDIATE`) and serialises them.

The waiting list is strictly first come, first served by `joined_at`: a newcomer joins the end of the queue
whenever someone waits, and when the person at the head asks for more places than are free, nobody behind
them goes ahead.

Sessions (workshops in time slots): a registration of an event with slots chooses one session in each slot,
and each session has its own capacity, counted under the same lock (places of confirmed and offered
registrations). A full session cannot be chosen: the registration is refused with a message asking for
another one (the waiting list is for the event, not for a workshop). Someone already waiting keeps their
choices; when places free up, a waiting person whose session has filled up meanwhile is passed over and
keeps their turn, and that session is then reserved for them: nobody behind takes a place in it before them.
Nothing is ever booked past a session's capacity, except by an organiser adding someone by hand.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from casi_workspace.conf import get_setting
from casi_workspace.core.errors import CasiError
from casi_workspace.core.queue import enqueue_on_commit
from casi_workspace.core.ratelimit import rate_limit_exceeded
from casi_workspace.publications.models.publications import EventPage
from casi_workspace.registrations.models import (
    QUEUE_STATUSES,
    EventRegistration,
    EventRegistrationSettings,
    EventSession,
    EventSlot,
    RegistrationChoice,
    RegistrationStatus,
    WaitlistMode,
)
from casi_workspace.registrations.selectors import (
    event_queue,
    places_left,
    registration_counts,
    session_places_left,
    session_places_taken,
)
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
    sessions: tuple[int, ...] = ()  # one session per time slot of the event, when it has slots


def _locked_settings(event_id: int) -> EventRegistrationSettings:
    """The event's settings row, locked until the transaction ends (call inside `transaction.atomic`)."""
    options = EventRegistrationSettings.objects.select_for_update().select_related("event").filter(event_id=event_id)
    options = options.first()
    if options is None:
        raise RegistrationError(_("Registrations for this event are closed."))
    return options


def _locked_registration(
    registration: EventRegistration,
) -> tuple[EventRegistrationSettings, EventRegistration]:
    """The event's settings and the registration as stored, both locked; refused once it is cancelled."""
    options = _locked_settings(registration.event_id)
    current = EventRegistration.objects.select_for_update().get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        raise RegistrationError(_("This registration is already cancelled."))
    return options, current


def _email(registration: EventRegistration, kind: EmailKind) -> None:
    enqueue_on_commit(registration_email_send, registration_id=registration.pk, kind=kind)


def _chosen_sessions(event_id: int, session_ids) -> list[EventSession]:
    """The sessions a registrant chose, checked: exactly one in each time slot of the event that has sessions
    (none without slots)."""
    with_sessions = EventSession.objects.filter(slot__event_id=event_id)  # a slot with no session asks nothing
    if not session_ids:  # the common case, an event without slots: one query
        if with_sessions.exists():
            raise RegistrationError(_("Choose one session in each time slot."))
        return []
    slot_ids = set(with_sessions.values_list("slot_id", flat=True))
    sessions = list(EventSession.objects.filter(pk__in=set(session_ids), slot__event_id=event_id))
    if (
        len(sessions) != len(session_ids)
        or {session.slot_id for session in sessions} != slot_ids
        or (len(sessions) != len(slot_ids))
    ):
        raise RegistrationError(_("Choose one session in each time slot."))
    return sessions


def _choices_create(registration: EventRegistration, sessions: list[EventSession]) -> None:
    RegistrationChoice.objects.bulk_create(
        RegistrationChoice(registration=registration, slot_id=session.slot_id, session=session) for session in sessions
    )


@dataclass
class _Walk:
    """Who of the waiting list may take places now, in order (the lock held), and what stops the others."""

    moved: list[EventRegistration]
    event_blocked: bool  # someone waits for more places than the event has free: nobody behind goes ahead
    reserved: set[int]  # sessions someone waiting could not get into: kept for them, nobody behind takes them


def _queue_walk(options: EventRegistrationSettings) -> _Walk:
    """Walk the waiting list in order, counting the event's and each session's free places as people move."""
    free = places_left(options, registration_counts(options.event_id))
    sessions = EventSession.objects.filter(slot__event_id=options.event_id)
    taken = session_places_taken(options.event_id)
    session_free = {session.pk: session_places_left(session, taken) for session in sessions}
    waiting = event_queue(options.event_id).filter(status=RegistrationStatus.WAITING).prefetch_related("choices")
    walk = _Walk(moved=[], event_blocked=False, reserved=set())
    for registration in waiting:
        if free is not None and registration.places > free:
            walk.event_blocked = True
            break  # the head asks for more than is free: nobody behind it goes ahead
        chosen = [choice.session_id for choice in registration.choices.all()]
        short = {
            pk
            for pk in chosen
            if pk in walk.reserved or (session_free.get(pk) is not None and registration.places > session_free[pk])
        }
        if short:
            walk.reserved |= short  # passed over: keeps their turn for these sessions
            continue
        walk.moved.append(registration)
        if free is not None:
            free -= registration.places
        for pk in chosen:
            if session_free.get(pk) is not None:
                session_free[pk] -= registration.places
    return walk


def _sessions_fit(options, sessions: list[EventSession], places: int, *, counts) -> bool:
    """Whether a newcomer's places fit in the sessions they chose (the lock held); a full session is refused.

    Someone waiting whose session filled up meanwhile is passed over by the queue, so a newcomer may be
    confirmed while people wait: the event must have room and nobody waiting may be kept out of it only by
    its capacity, and each chosen session must have room that nobody waiting has a claim on.
    """
    taken = session_places_taken(options.event_id)
    for session in sessions:
        left = session_places_left(session, taken)
        if left is not None and places > left:
            raise RegistrationError(
                _("The session “%(title)s” is full: please choose another one.") % {"title": session.title}
            )
    free = places_left(options, counts)
    if free is not None and places > free:
        return False
    walk = _queue_walk(options)
    if walk.event_blocked or walk.moved or {session.pk for session in sessions} & walk.reserved:
        return False
    return free is None or not counts.offered  # offers pending: newcomers queue behind them, as without sessions


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
        sessions = _chosen_sessions(event.pk, registrant.sessions)
        counts = registration_counts(event.pk)
        free = places_left(options, counts)
        fits = free is None or (registrant.places <= free and not (counts.waiting or counts.offered))
        if sessions:
            fits = _sessions_fit(options, sessions, registrant.places, counts=counts)
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
        _choices_create(registration, sessions)
        _email(registration, EmailKind.CONFIRMED if fits else EmailKind.WAITING)
    return registration


def _queue_advance(options: EventRegistrationSettings, now: datetime.datetime) -> list[EventRegistration]:
    """Give freed places to the queue, in order, while the head's places fit (lock held); someone whose
    session is full is passed over and keeps their turn (`_queue_walk`).

    Automatic mode registers them and tells them; offer mode holds the places for them until the offer
    expires. People who already hold an offer keep their turn: the walk goes past them.
    """
    moved = _queue_walk(options).moved
    for registration in moved:
        if options.waitlist_mode == WaitlistMode.OFFER:
            registration.status = RegistrationStatus.OFFERED
            registration.offer_expires_at = now + datetime.timedelta(hours=options.offer_hours)
            kind = EmailKind.OFFERED
        else:
            registration.status = RegistrationStatus.CONFIRMED
            kind = EmailKind.PROMOTED
        registration.save(update_fields=["status", "offer_expires_at"])
        _email(registration, kind)
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
        options, current = _locked_registration(registration)
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


def registration_sessions_change(
    *, registration: EventRegistration, session_ids: tuple[int, ...], now: datetime.datetime | None = None
) -> bool:
    """The registrant chooses other sessions (the link of their emails), until registrations close.

    A session newly chosen must have room for their places, and, when they hold places, room that nobody
    waiting has a claim on (`_queue_walk`'s reserved sessions); the places they leave go to the queue. Someone
    waiting keeps their turn with their new choices. Returns whether anything changed; the new sessions are
    confirmed by email.
    """
    now = now or timezone.now()
    with transaction.atomic():
        options, current = _locked_registration(registration)
        if not options.accepts_at(now):
            raise RegistrationError(
                _("Registrations are closed: the sessions can no longer be changed. Write to the organisers.")
            )
        sessions = _chosen_sessions(current.event_id, session_ids)
        held = set(current.choices.values_list("session_id", flat=True))
        added = [session for session in sessions if session.pk not in held]
        if not added:
            return False
        taken = session_places_taken(current.event_id)
        reserved = _queue_walk(options).reserved if current.status not in QUEUE_STATUSES else set()
        for session in added:
            left = session_places_left(session, taken)
            if (left is not None and current.places > left) or session.pk in reserved:
                raise RegistrationError(
                    _("The session “%(title)s” is full: please choose another one.") % {"title": session.title}
                )
        current.choices.all().delete()
        _choices_create(current, sessions)
        _email(current, EmailKind.SESSIONS_CHANGED)
        _queue_advance(options, now)
    return True


def registration_settings_save(*, options: EventRegistrationSettings, now: datetime.datetime | None = None) -> None:
    """Save the organisers' settings; a larger capacity (or none) gives the new places to the queue."""
    with transaction.atomic():
        # Nothing to lock for the first settings of an event: nobody can register before they exist.
        list(EventRegistrationSettings.objects.select_for_update().filter(pk=options.pk))
        options.save()
        _queue_advance(options, now or timezone.now())


def registration_add(*, event: EventPage, registrant: Registrant, now: datetime.datetime | None = None):
    """An organiser adds someone by hand: confirmed even past the deadline or the capacity they set (the
    event's and the sessions')."""
    with transaction.atomic():
        _locked_settings(event.pk)
        sessions = _chosen_sessions(event.pk, registrant.sessions)
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
        _choices_create(registration, sessions)
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


def _programme_lock(event_id: int) -> EventRegistrationSettings | None:
    """Lock the event's settings row while its programme changes (None: the event has no settings yet, so
    nobody can be registered)."""
    locked = EventRegistrationSettings.objects.select_for_update().select_related("event")
    return locked.filter(event_id=event_id).first()


def slot_save(*, slot: EventSlot) -> None:
    """Add or change a time slot of an event's programme (the organisers' page). The event's registration
    settings are made (registrations closed) if it has none yet: the event page shows a programme only then."""
    with transaction.atomic():
        if _programme_lock(slot.event_id) is None:
            EventRegistrationSettings.objects.get_or_create(event_id=slot.event_id)
        slot.save()


def session_save(*, session: EventSession, now: datetime.datetime | None = None) -> None:
    """Add or change a session; a larger capacity (or none) gives its new places to the waiting list."""
    with transaction.atomic():
        options = _programme_lock(session.slot.event_id)
        session.save()
        if options is not None:
            _queue_advance(options, now or timezone.now())


def _active_choices(sessions) -> bool:
    return (
        RegistrationChoice.objects.filter(session__in=sessions)
        .exclude(registration__status=RegistrationStatus.CANCELLED)
        .exists()
    )


def session_delete(*, session: EventSession) -> None:
    """Delete a session nobody (but cancelled registrations) chose; refused while someone chose it."""
    with transaction.atomic():
        _programme_lock(session.slot.event_id)
        if _active_choices([session]):
            raise RegistrationError(
                _("People have chosen the session “%(title)s”: it cannot be deleted while their registrations stand.")
                % {"title": session.title}
            )
        RegistrationChoice.objects.filter(session=session).delete()
        try:
            session.delete()
        except RestrictedError as exc:  # chosen between the check and the delete: cannot happen under the lock
            raise RegistrationError(_("This session has registrations.")) from exc


def slot_delete(*, slot: EventSlot) -> None:
    """Delete a time slot and its sessions, refused while someone chose one of them."""
    with transaction.atomic():
        _programme_lock(slot.event_id)
        sessions = list(slot.sessions.all())
        if _active_choices(sessions):
            raise RegistrationError(
                _("People have chosen sessions of “%(title)s”: this time slot cannot be deleted.")
                % {"title": slot.title}
            )
        RegistrationChoice.objects.filter(slot=slot).delete()
        slot.delete()
