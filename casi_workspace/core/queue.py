"""Background tasks leave once the transaction that asked for them has committed."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, **kwargs: Any) -> None:
    """Queue `task` with `kwargs` when the current transaction commits (at once outside one).

    A worker that picked the task up before the commit would not find the rows it is about.
    """
    transaction.on_commit(partial(task.enqueue, **kwargs))
