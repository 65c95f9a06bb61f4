"""The support requests' emails, sent by the task worker."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from icalendar import Calendar, Event

from casi_workspace.conf import get_setting, host_setting
from casi_workspace.core.emails import SECONDS_PER_DAY, email_send
from casi_workspace.core.links import absolute_url
from casi_workspace.support.models import SupportEvent, SupportEventKind, SupportRequest
from casi_workspace.support.selectors import support_event_suggestions
from casi_workspace.support.tokens import follow_token


def follow_url(support_request: SupportRequest) -> str:
    return absolute_url(reverse("casi_workspace:support_follow", kwargs={"token": follow_token(support_request)}))


@task()
def support_received_email_send(*, request_id: int) -> None:
    """The acknowledgement to the requester, with the link to follow the request."""
    support_request = SupportRequest.objects.select_related("organisation").filter(pk=request_id).first()
    if support_request is None:
        return
    context = {
        "support_request": support_request,
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
        "follow_url": follow_url(support_request),
        "link_days": get_setting("SUPPORT_LINK_MAX_AGE") // SECONDS_PER_DAY,
    }
    email_send("support_received", context, to=support_request.contact_email)


@task()
def support_message_email_send(*, event_id: int) -> None:
    """A message from the desk to the requester, with the link where they read the request and answer."""
    event = (
        SupportEvent.objects.select_related("request", "author")
        .filter(pk=event_id, kind=SupportEventKind.DESK_MESSAGE)
        .first()
    )
    if event is None:
        return
    context = {
        "support_request": event.request,
        "event": event,
        "suggestions": support_event_suggestions(event),
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
        "follow_url": follow_url(event.request),
    }
    email_send("support_message", context, to=event.request.contact_email)


def appointment_calendar(event: SupportEvent, host: str) -> bytes:
    """The appointment as an iCalendar invitation (.ics)."""
    starts = event.appointment_at.astimezone(datetime.UTC)
    calendar = Calendar()
    calendar.add("prodid", f"-//{host_setting('WAGTAIL_SITE_NAME')}//casi_workspace//FR")
    calendar.add("version", "2.0")
    vevent = Event()
    vevent.add("uid", f"support-appointment-{event.pk}@{host}")
    vevent.add("dtstamp", timezone.now().astimezone(datetime.UTC).replace(microsecond=0))
    vevent.add("dtstart", starts)
    vevent.add("dtend", starts + datetime.timedelta(minutes=event.appointment_duration or 60))
    vevent.add("summary", f"{host_setting('WAGTAIL_SITE_NAME')} — {event.request.project_title}")
    vevent.add("location", event.appointment_place or event.appointment_url)
    if event.appointment_url:
        vevent.add("url", event.appointment_url)
    vevent.add("description", follow_url(event.request))
    calendar.add_component(vevent)
    return calendar.to_ical()


@task()
def support_appointment_email_send(*, event_id: int) -> None:
    """The appointment to the requester, with its invitation to add to a calendar."""
    event = (
        SupportEvent.objects.select_related("request").filter(pk=event_id, kind=SupportEventKind.APPOINTMENT).first()
    )
    if event is None:
        return
    url = follow_url(event.request)
    context = {
        "support_request": event.request,
        "event": event,
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
        "follow_url": url,
    }
    host = url.split("/")[2]
    invitation = ("rendez-vous.ics", appointment_calendar(event, host), "text/calendar")
    email_send("support_appointment", context, to=event.request.contact_email, attachments=[invitation])


@task()
def support_satisfaction_email_send(*, request_id: int) -> None:
    """The satisfaction question, sent when the desk closes a request: answered on the requester's page."""
    support_request = SupportRequest.objects.filter(pk=request_id).first()
    if support_request is None or not support_request.satisfaction_pending:
        return
    context = {
        "support_request": support_request,
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
        "follow_url": follow_url(support_request) + "#satisfaction-title",
    }
    email_send("support_satisfaction", context, to=support_request.contact_email)


@task()
def support_reminder_email_send(*, user_id: int, request_ids: list[int]) -> None:
    """One coordinator's reminder: their requests without a first answer past the target, each with its link."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return
    late = list(SupportRequest.objects.filter(pk__in=request_ids).order_by("created_at", "pk"))
    for support_request in late:
        support_request.desk_url = absolute_url(reverse("casi_support:detail", args=[support_request.pk]))
    if late:
        context = {"user": user, "requests": late, "site_name": host_setting("WAGTAIL_SITE_NAME")}
        email_send("support_reminder", context, to=user.email)
