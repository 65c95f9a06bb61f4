"""The health check reports the task queue and the periodic commands: a stopped worker or cron shows as
"degraded" (200, the site still serves), with what is late."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from casi_workspace.models import ScheduledRun
from casi_workspace.registrations.tasks import registration_reminders_send

pytestmark = pytest.mark.django_db
URL = "/casi/sante/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_new_site_is_healthy_and_says_its_periodic_commands_never_ran(client):
    response = client.get(URL)

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["tasks"] == {"state": "not queued"}  # the test site runs its tasks inside the request
    assert report["scheduled"] == {
        "casi_registrations": {"state": "never", "last": None},
        "casi_group_digest": {"state": "never", "last": None},
        "casi_support_reminders": {"state": "never", "last": None},
        "casi_support_erase": {"state": "never", "last": None},
    }


def test_each_periodic_command_records_its_run(client):
    call_command("casi_registrations", stdout=io.StringIO())
    call_command("casi_group_digest", stdout=io.StringIO())
    call_command("casi_support_reminders", stdout=io.StringIO())
    call_command("casi_support_erase", stdout=io.StringIO())

    scheduled = client.get(URL).json()["scheduled"]

    assert {command: run["state"] for command, run in scheduled.items()} == {
        "casi_registrations": "ok",
        "casi_group_digest": "ok",
        "casi_support_reminders": "ok",
        "casi_support_erase": "ok",
    }
    last = datetime.datetime.fromisoformat(scheduled["casi_registrations"]["last"])
    assert timezone.now() - last < datetime.timedelta(minutes=1)


def test_an_hourly_command_that_stopped_running_degrades_the_site(client):
    call_command("casi_group_digest", stdout=io.StringIO())
    ScheduledRun.objects.create(command="casi_registrations", finished_at=timezone.now() - datetime.timedelta(hours=3))

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["scheduled"]["casi_registrations"]["state"] == "late"
    assert response.json()["scheduled"]["casi_group_digest"]["state"] == "ok"


def test_a_daily_command_is_late_only_after_a_missed_day(client):
    ScheduledRun.objects.create(command="casi_group_digest", finished_at=timezone.now() - datetime.timedelta(hours=30))
    assert client.get(URL).json()["scheduled"]["casi_group_digest"]["state"] == "ok"

    ScheduledRun.objects.filter(command="casi_group_digest").update(
        finished_at=timezone.now() - datetime.timedelta(hours=49)
    )
    assert client.get(URL).json()["scheduled"]["casi_group_digest"]["state"] == "late"


def test_the_queue_of_tasks_waiting_for_a_worker_is_reported_and_late_after_ten_minutes(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    assert client.get(URL).json()["tasks"] == {"state": "ok", "waiting": 0, "longest_wait_seconds": 0}

    registration_reminders_send.enqueue()
    registration_reminders_send.enqueue()
    tasks = client.get(URL).json()["tasks"]
    assert tasks["state"] == "ok" and tasks["waiting"] == 2

    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=11))
    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["tasks"]["state"] == "late"
    assert 11 * 60 <= response.json()["tasks"]["longest_wait_seconds"] < 12 * 60


def test_a_finished_task_no_longer_counts(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    registration_reminders_send.enqueue()
    DBTaskResult.objects.update(
        enqueued_at=timezone.now() - datetime.timedelta(hours=1), status="SUCCESSFUL", finished_at=timezone.now()
    )

    assert client.get(URL).json()["tasks"] == {"state": "ok", "waiting": 0, "longest_wait_seconds": 0}
