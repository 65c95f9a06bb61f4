"""Reads: an event's settings and counts, the queue in order, a person's own registrations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from casi_workspace.organisations.selectors import organisations_edited_by
from casi_workspace.registrations.models import (
    HOLDING_STATUSES,
    QUEUE_STATUSES,
    EventRegistration,
    EventRegistrationSettings,
    EventSession,
    EventSlot,
    RegistrationChoice,
    RegistrationStatus,
)

MAX_OWN_REGISTRATIONS = 20
MAX_ORGANISED_EVENTS = 20


@dataclass(frozen=True)
class RegistrationCounts:
    confirmed: int = 0
    waiting: int = 0
    offered: int = 0
    cancelled: int = 0
    confirmed_places: int = 0
    held_places: int = 0  # confirmed and offered: the places no one else may take
    waiting_places: int = 0
    checked_in: int = 0


def registration_settings(event_id: int) -> EventRegistrationSettings | None:
    return EventRegistrationSettings.objects.select_related("event").filter(event_id=event_id).first()


def registration_counts(event_id: int) -> RegistrationCounts:
    """Every count of one event's registrations, in one query."""

    def places(*statuses: str):
        return Coalesce(Sum("places", filter=Q(status__in=statuses)), 0)

    row = EventRegistration.objects.filter(event_id=event_id).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        offered=Count("pk", filter=Q(status=RegistrationStatus.OFFERED)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
        confirmed_places=places(RegistrationStatus.CONFIRMED),
        held_places=places(*HOLDING_STATUSES),
        waiting_places=places(RegistrationStatus.WAITING),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return RegistrationCounts(**row)


def confirmed_places_by_event(events: QuerySet) -> dict[int, int]:
    """The confirmed places of each of `events` that has any (a campaign's statistics), in one query."""
    confirmed = EventRegistration.objects.filter(event__in=events, status=RegistrationStatus.CONFIRMED)
    return dict(confirmed.order_by().values_list("event_id").annotate(places=Sum("places")))


def places_left(options: EventRegistrationSettings, counts: RegistrationCounts) -> int | None:
    """Free places (None without a capacity); places held for the queue's waiting people are not free."""
    if options.capacity is None:
        return None
    return max(0, options.capacity - counts.held_places)


def event_queue(event_id: int) -> QuerySet[EventRegistration]:
    """Who waits (or holds an offer), in the order they joined: the head comes first."""
    return EventRegistration.objects.filter(event_id=event_id, status__in=QUEUE_STATUSES).order_by("joined_at", "pk")


def event_registrations(event_id: int) -> QuerySet[EventRegistration]:
    return EventRegistration.objects.filter(event_id=event_id).order_by("joined_at", "pk")


def registrations_of_user(user, *, limit: int = MAX_OWN_REGISTRATIONS) -> list[EventRegistration]:
    """The person's registrations for events to come (not cancelled), soonest first, with their event."""
    return list(
        EventRegistration.objects.filter(user=user, event__start__gte=timezone.now())
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("event__start", "pk")[:limit]
    )


def events_organised_by(user, *, limit: int = MAX_ORGANISED_EVENTS) -> list[EventRegistrationSettings]:
    """The coming events with registrations of the associations whose team the person is in, soonest first,
    each with its counts (`confirmed_places`, `waiting`): one query, whatever their number."""
    status = "event__registrations__status"
    return list(
        EventRegistrationSettings.objects.filter(
            event__organisation__in=organisations_edited_by(user).values("pk"), event__start__gte=timezone.now()
        )
        .select_related("event")
        .annotate(
            confirmed_places=Coalesce(
                Sum("event__registrations__places", filter=Q(**{status: RegistrationStatus.CONFIRMED})), 0
            ),
            waiting=Count("event__registrations", filter=Q(**{status: RegistrationStatus.WAITING})),
        )
        .order_by("event__start", "pk")[:limit]
    )


def session_places_taken(event_id: int) -> dict[int, int]:
    """The places held (confirmed and offered) in each session of the event that has any, in one query."""
    held = RegistrationChoice.objects.filter(
        session__slot__event_id=event_id, registration__status__in=HOLDING_STATUSES
    ).order_by()
    return dict(held.values_list("session_id").annotate(places=Sum("registration__places")))


def session_places_left(session: EventSession, taken: dict[int, int]) -> int | None:
    """Free places of one session (None without a capacity)."""
    if session.capacity is None:
        return None
    return max(0, session.capacity - taken.get(session.pk, 0))


def event_programme(event_id: int, *, with_counts: bool = True) -> list[EventSlot]:
    """The event's time slots in order, each with its sessions (`slot.session_list`); with `with_counts`, each
    session carries `places_taken`, `places_left` and `is_full`. Three queries, whatever their number."""
    slots = list(
        EventSlot.objects.filter(event_id=event_id).prefetch_related(
            Prefetch("sessions", queryset=EventSession.objects.order_by("pk"), to_attr="session_list")
        )
    )
    if not (with_counts and slots):
        return slots
    taken = session_places_taken(event_id)
    for slot in slots:
        for session in slot.session_list:
            session.places_taken = taken.get(session.pk, 0)
            session.places_left = session_places_left(session, taken)
            session.is_full = session.places_left == 0
    return slots


def session_counts(event_id: int) -> dict[int, dict[str, int]]:
    """Per session: confirmed people and places, and people waiting, in one query."""
    rows = (
        RegistrationChoice.objects.filter(session__slot__event_id=event_id)
        .order_by()
        .values("session_id")
        .annotate(
            confirmed=Count("pk", filter=Q(registration__status=RegistrationStatus.CONFIRMED)),
            confirmed_places=Coalesce(
                Sum("registration__places", filter=Q(registration__status=RegistrationStatus.CONFIRMED)), 0
            ),
            waiting=Count("pk", filter=Q(registration__status=RegistrationStatus.WAITING)),
        )
    )
    return {row.pop("session_id"): row for row in rows}


def with_choices(registrations: QuerySet[EventRegistration]) -> QuerySet[EventRegistration]:
    """The registrations with their chosen sessions in slot order (`registration.choice_list`): one more query."""
    choices = RegistrationChoice.objects.select_related("session", "slot").order_by("slot__start", "slot_id")
    return registrations.prefetch_related(Prefetch("choices", queryset=choices, to_attr="choice_list"))
