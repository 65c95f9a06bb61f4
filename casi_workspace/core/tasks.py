"""The task that sends one stored email, and queues its next attempt while the mail server refuses for now."""

from __future__ import annotations

import datetime

from django_tasks import default_task_backend, task

from casi_workspace.core.delivery import outgoing_email_deliver
from casi_workspace.core.queue import enqueue_on_commit


def outgoing_email_enqueue(email_id: int, *, run_after: datetime.datetime | None = None) -> None:
    """Queue the email's delivery once the current transaction commits.

    A backend that cannot delay tasks (the immediate one, in development and tests) gets no later attempt:
    the email stays pending until `manage.py casi_emails_resume` queues it again.
    """
    if run_after is None:
        enqueue_on_commit(outgoing_email_send, email_id=email_id)
    elif default_task_backend.supports_defer:
        enqueue_on_commit(outgoing_email_send.using(run_after=run_after), email_id=email_id)


@task()
def outgoing_email_send(*, email_id: int) -> None:
    retry_at = outgoing_email_deliver(email_id)
    if retry_at is not None:
        outgoing_email_enqueue(email_id, run_after=retry_at)
