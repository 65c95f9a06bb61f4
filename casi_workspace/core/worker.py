"""django_tasks_db's worker, made to outlive a restart of the database (`manage.py casi_worker`).

`manage.py db_worker` dies on the first OperationalError while it looks for a task, and a task it was
running when the database went away stays "running" for ever: recording its end fails three times in 0.2 s,
then the process exits. This worker keeps django_tasks_db's loop and changes what happens then:
- looking for a task: it waits for the database (core/database.py) and goes on;
- a task that failed because its connection was lost (not a query that failed on a working connection) is
  queued again once the database answers, so that it runs again (at most MAX_CLAIMS times in all);
- a task that finished while the database was away has its result recorded once the database answers: it
  is not run a second time.
A first SIGTERM still lets the task in hand end (and its result wait for the database); a second one, or
one while no task runs, stops the worker at once, as with db_worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import router
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from casi_workspace.core.database import OUTAGE_ERRORS, connection_lost, database_wait, first_line, is_outage_error

logger = logging.getLogger(__name__)

# A task claimed this many times, its connection lost each time, is recorded as failed instead of queued again.
MAX_CLAIMS = 5


class ResilientWorker(Worker):
    def run(self) -> None:
        while True:
            try:
                return super().run()
            except OUTAGE_ERRORS as error:
                self.startup_delay = False  # once is enough
                self._wait(error)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # django_tasks_db records the end through these two methods; the instance's own attributes take
        # their place for this run only.
        db_task_result.set_successful = lambda value: self._record_success(db_task_result, value)
        db_task_result.set_failed = lambda error: self._record_failure(db_task_result, error)
        super().run_task(db_task_result)

    def _wait(self, error: BaseException) -> None:
        logger.warning("The database does not answer (%s): waiting for it.", first_line(error))
        waited = database_wait()
        logger.warning("The database answers again after %.1f s.", waited)

    def _durably(self, write: Callable[[], None]) -> None:
        """Write the task's end, waiting for the database as long as it takes."""
        while True:
            try:
                return write()
            except OUTAGE_ERRORS as error:
                self._wait(error)

    def _record_success(self, db_task_result: DBTaskResult, value: Any) -> None:
        self._durably(partial(DBTaskResult.set_successful, db_task_result, value))

    def _record_failure(self, db_task_result: DBTaskResult, error: BaseException) -> None:
        lost = is_outage_error(error) and connection_lost(router.db_for_write(DBTaskResult))
        if not lost or len(db_task_result.worker_ids) >= MAX_CLAIMS:
            self._durably(partial(DBTaskResult.set_failed, db_task_result, error))
            return
        self._wait(error)
        db_task_result.status = TaskResultStatus.READY
        db_task_result.started_at = None
        self._durably(partial(db_task_result.save, update_fields=["status", "started_at"]))
        logger.warning("Task id=%s lost its database connection: queued again.", db_task_result.id)
