"""What the health check reports: each dependency's state, and whether the site can serve at all."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, Min, Q, When
from django.utils import timezone

from casi_workspace.conf import get_setting
from casi_workspace.core.models import OutgoingEmail, OutgoingEmailStatus, ScheduledRun

# The periodic commands the README asks to schedule, with their interval; one is late when it has not
# finished for twice its interval (one missed run is tolerated: a cron started late, a slow run).
SCHEDULE: dict[str, datetime.timedelta] = {
    "casi_registrations": datetime.timedelta(hours=1),
    "casi_group_digest": datetime.timedelta(days=1),
    "casi_support_reminders": datetime.timedelta(days=1),
    "casi_support_erase": datetime.timedelta(days=1),
}


def scheduled_run_record(command: str, *, now: datetime.datetime | None = None) -> None:
    """Called by a periodic command when it has finished without error."""
    ScheduledRun.objects.update_or_create(command=command, defaults={"finished_at": now or timezone.now()})


def _scheduled_runs(now: datetime.datetime) -> dict[str, dict[str, Any]]:
    finished = dict(ScheduledRun.objects.filter(command__in=SCHEDULE).values_list("command", "finished_at"))
    report = {}
    for command, interval in SCHEDULE.items():
        last = finished.get(command)
        if last is None:
            report[command] = {"state": "never", "last": None}  # a new site, or one whose cron is not set up yet
        else:
            state = "late" if now - last > 2 * interval else "ok"
            report[command] = {"state": state, "last": last.isoformat()}
    return report


def _tasks(now: datetime.datetime) -> dict[str, Any]:
    """The queue of the database task backend: tasks waiting for a worker, and the longest wait."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    if not apps.is_installed("django_tasks_db"):
        return {"state": "not queued"}
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return {"state": "not queued"}  # tasks run inside the request that asks for them
    # A delayed task waits from the time it was due, not from the time it was queued.
    queue = DBTaskResult.objects.ready().aggregate(
        waiting=Count("id"),
        since=Min(Case(When(run_after__lte=now, then="run_after"), default="enqueued_at")),
    )
    waited = (now - queue["since"]).total_seconds() if queue["since"] else 0
    state = "late" if waited > get_setting("HEALTH_TASK_DELAY") else "ok"
    return {"state": state, "waiting": queue["waiting"], "longest_wait_seconds": int(waited)}


# An interrupted email degrades the site for this long: a coordinator checks whether it arrived.
INTERRUPTED_REPORTED = datetime.timedelta(days=7)


def _emails(now: datetime.datetime) -> dict[str, Any]:
    """Emails waiting for the mail server, the longest overdue wait, those refused and those interrupted."""
    emails = OutgoingEmail.objects.aggregate(
        waiting=Count("id", filter=Q(status=OutgoingEmailStatus.PENDING)),
        due_since=Min("next_attempt_at", filter=Q(status=OutgoingEmailStatus.PENDING)),
        failed=Count("id", filter=Q(status=OutgoingEmailStatus.FAILED)),
        interrupted=Count(
            "id", filter=Q(status=OutgoingEmailStatus.INTERRUPTED, claimed_at__gte=now - INTERRUPTED_REPORTED)
        ),
    )
    late = max((now - emails["due_since"]).total_seconds(), 0) if emails["due_since"] else 0
    state = "interrupted" if emails["interrupted"] else "late" if late > get_setting("HEALTH_TASK_DELAY") else "ok"
    return {
        "state": state,
        "waiting": emails["waiting"],
        "longest_overdue_seconds": int(late),
        "failed": emails["failed"],
        "interrupted": emails["interrupted"],
    }


def _cache_state() -> str:
    available = getattr(cache, "available", None)
    if available is None:
        return "ok"  # a cache in the process's memory, which cannot be unreachable
    return "ok" if available() else "unavailable"


def health_report(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The report, whose "status" is "ok", "degraded" (the site serves, something needs looking at) or
    "error" (the database does not answer: the site cannot serve). Raises DatabaseError when the database
    fails; the view answers 503 then."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    report: dict[str, Any] = {
        "database": "ok",
        "cache": _cache_state(),
        "tasks": _tasks(now),
        "scheduled": _scheduled_runs(now),
        "emails": _emails(now),
    }
    late = report["tasks"]["state"] == "late" or any(run["state"] == "late" for run in report["scheduled"].values())
    late = late or report["emails"]["state"] != "ok"
    report["status"] = "degraded" if report["cache"] != "ok" or late else "ok"
    return report
