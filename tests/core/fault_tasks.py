"""A task for the worker's fault test (tests/core/test_database_restart.py): it notes each of its runs in a
folder, may wait there for the test's go-ahead (so that the database restarts while it runs), then reads the
database."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def probe(folder: str, name: str, hold: bool = False) -> int:
    with (Path(folder) / f"{name}.runs").open("a") as runs:
        runs.write("started\n")
    while hold and not (Path(folder) / "go").exists():
        time.sleep(0.05)
    return DBTaskResult.objects.count()
