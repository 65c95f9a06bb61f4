"""Background tasks leave once the transaction that asked for them has committed."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.apps import apps
from django.db import transaction


def enqueue_on_commit(task: Any, **kwargs: Any) -> None:
    """Queue `task` with `kwargs` when the current transaction commits (at once outside one).

    A worker that picked the task up before the commit would not find the rows it is about.
    """
    transaction.on_commit(partial(task.enqueue, **kwargs))


WORKER_LOST = "casi_workspace.core.queue.WorkerLost"


def running_tasks_close(task: Any, *, now: datetime.datetime, **kwargs: Any) -> int:
    """Close the database queue's runs of `task` with these arguments that still say "running".

    Called once the caller knows that no worker is running them any more (one was killed in the middle): the
    database backend would otherwise show them running forever. They end failed, with the reason. Returns
    how many; 0 with another task backend.
    """
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    runs = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.RUNNING)
    for name, value in kwargs.items():
        runs = runs.filter(**{f"args_kwargs__kwargs__{name}": value})
    return runs.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=WORKER_LOST,
        traceback="The worker stopped while running this task (killed, or its machine stopped).",
    )
