"""The registrations' emails and the reminders the day before, sent by the task worker.

Each email re-reads the registration when it leaves: a person cancelled (or moved to the queue) in the
meantime receives nothing that no longer holds. Only confirmed people receive a confirmation or a
reminder; the queue's people receive its acknowledgement, and the promotion or offer when their turn comes.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Any

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from casi_workspace.conf import get_setting, host_setting
from casi_workspace.core.emails import email_send
from casi_workspace.core.links import absolute_url
from casi_workspace.publications.views.feeds import event_calendar
from casi_workspace.registrations.models import QUEUE_STATUSES, EventRegistration, RegistrationStatus
from casi_workspace.registrations.tokens import OFFER_SALT, cancel_token, link_token

ICS_TYPE = "text/calendar"
# The reminder leaves for events starting within this many hours (the worker runs the task hourly).
REMINDER_HOURS = 24


class EmailKind(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    PROMOTED = "promoted"
    OFFERED = "offered"
    REMINDER = "reminder"
    EXPIRED = "expired"  # an offered place not confirmed in time
    CANCELLED = "cancelled"  # by the organisers
    SESSIONS_CHANGED = "sessions_changed"  # by the registrant, from their link


# The statuses a registration must still have for each email to leave.
EMAIL_STATUS = {
    EmailKind.CONFIRMED: (RegistrationStatus.CONFIRMED,),
    EmailKind.WAITING: (RegistrationStatus.WAITING,),
    EmailKind.PROMOTED: (RegistrationStatus.CONFIRMED,),
    EmailKind.OFFERED: (RegistrationStatus.OFFERED,),
    EmailKind.REMINDER: (RegistrationStatus.CONFIRMED,),
    EmailKind.EXPIRED: (RegistrationStatus.CANCELLED,),
    EmailKind.CANCELLED: (RegistrationStatus.CANCELLED,),
    EmailKind.SESSIONS_CHANGED: (RegistrationStatus.CONFIRMED, *QUEUE_STATUSES),
}
# The emails that carry the event's calendar file: those that tell someone they have a place.
WITH_CALENDAR = (EmailKind.CONFIRMED, EmailKind.PROMOTED, EmailKind.REMINDER)


def email_context(registration: EventRegistration, kind: str) -> dict[str, Any]:
    event = registration.event
    cancel = reverse("casi_workspace:registration_cancel", kwargs={"token": cancel_token(registration)})
    context = {
        "kind": kind,
        "registration": registration,
        "event": event,
        "event_url": event.get_full_url() or "",
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
        "cancel_url": absolute_url(cancel),
        "retention_days": get_setting("REGISTRATION_RETENTION_DAYS"),
        # The sessions chosen, slot by slot (an event with workshops).
        "choices": list(registration.choices.select_related("slot", "session").order_by("slot__start", "slot_id")),
    }
    if kind == EmailKind.OFFERED:
        token = link_token(registration, salt=OFFER_SALT)
        accept = reverse("casi_workspace:registration_offer", kwargs={"token": token})
        context["offer_url"] = absolute_url(accept)
    return context


def _send(registration: EventRegistration, kind: str) -> None:
    attachments = []
    if kind in WITH_CALENDAR:
        attachments.append((f"{registration.event.slug}.ics", event_calendar(registration.event), ICS_TYPE))
    email_send("registration", email_context(registration, kind), to=registration.email, attachments=attachments)


@task()
def registration_email_send(*, registration_id: int, kind: str) -> None:
    """One email about one registration, if the registration still has the status the email is about."""
    registration = (
        EventRegistration.objects.select_related("event")
        .filter(pk=registration_id, status__in=EMAIL_STATUS[EmailKind(kind)])
        .first()
    )
    if registration is not None:
        _send(registration, kind)


@task()
def registration_reminders_send(*, now: str = "") -> int:
    """The reminder to each confirmed registration of the events that start within the next day, once; not to
    those who registered within that day (their confirmation has just told them).

    Each registration is marked before its email leaves (an update that only the first run can make), so
    that two workers, or a run repeated after a crash, never send a reminder twice.
    """
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    due = EventRegistration.objects.filter(
        Q(event__start__gt=moment) & Q(event__start__lte=moment + datetime.timedelta(hours=REMINDER_HOURS)),
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__live=True,
        joined_at__lte=F("event__start") - datetime.timedelta(hours=REMINDER_HOURS),
    ).select_related("event")
    sent = 0
    for registration in due:
        claimed = EventRegistration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        )
        if claimed:
            _send(registration, EmailKind.REMINDER)
            sent += 1
    return sent


@task()
def registration_message_send(*, event_id: int, subject: str, body: str, statuses: list[str]) -> int:
    """The organisers' message to every registration of the event with one of `statuses`, each separately
    (no address is shown to the others), with the link to cancel."""
    recipients = EventRegistration.objects.filter(event_id=event_id, status__in=statuses).select_related("event")
    sent = 0
    for registration in recipients:
        context = email_context(registration, "message") | {"subject": subject, "body": body}
        email_send("registration_message", context, to=registration.email)
        sent += 1
    return sent
