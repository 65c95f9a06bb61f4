"""The reminder the day before (once, only to confirmed people) and the erasure after the retention period."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from casi_workspace.models import EventPage, EventRegistration, RegistrationStatus
from casi_workspace.registrations.services import registrations_erase
from casi_workspace.registrations.tasks import registration_reminders_send
from tests.helpers import french

from .conftest import committed, emails_to, register

pytestmark = pytest.mark.django_db


def test_a_reminder_the_day_before_once_and_never_to_the_waiting_list(client: Client, event):
    event.registration_settings.capacity = 2
    event.registration_settings.save()
    confirmed = register(client, event, places=2)
    waiting = register(client, event)
    assert waiting.status == RegistrationStatus.WAITING
    mail.outbox.clear()
    too_early = event.start - datetime.timedelta(days=3)
    assert registration_reminders_send.call(now=too_early.isoformat()) == 0
    day_before = event.start - datetime.timedelta(hours=20)
    assert registration_reminders_send.call(now=day_before.isoformat()) == 1
    assert registration_reminders_send.call(now=day_before.isoformat()) == 0  # a second run sends nothing
    (reminder,) = mail.outbox
    assert reminder.to == [confirmed.email] and reminder.attachments
    assert reminder.subject == french("Reminder: %(title)s is tomorrow") % {"title": event.title}
    assert emails_to(waiting.email) == []


def test_who_registers_within_the_last_day_gets_no_reminder(client: Client, event):
    EventPage.objects.filter(pk=event.pk).update(start=timezone.now() + datetime.timedelta(hours=10))
    late = register(client, event)
    mail.outbox.clear()

    assert registration_reminders_send.call(now=timezone.now().isoformat()) == 0

    assert emails_to(late.email) == []


def test_the_periodic_command_queues_the_reminders(client: Client, event):
    confirmed = register(client, event)
    EventRegistration.objects.filter(pk=confirmed.pk).update(joined_at=timezone.now() - datetime.timedelta(days=2))
    EventPage.objects.filter(pk=event.pk).update(start=timezone.now() + datetime.timedelta(hours=10))
    mail.outbox.clear()
    with committed():
        call_command("casi_registrations", stdout=io.StringIO())
    assert [message.to for message in mail.outbox] == [[confirmed.email]]
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at is not None


def test_registrations_are_erased_after_the_retention_period(client: Client, event, settings):
    settings.CASI_WORKSPACE_REGISTRATION_RETENTION_DAYS = 30
    kept = register(client, event)
    end = event.end
    assert registrations_erase(now=end + datetime.timedelta(days=29)) == 0
    assert registrations_erase(now=end + datetime.timedelta(days=31)) == 1
    assert not EventRegistration.objects.filter(pk=kept.pk).exists()
