"""The real task worker on PostgreSQL, as in production: `manage.py db_worker` sends an issue batch by batch.
Stopped after a few tasks, then killed in the middle of the sending, then resumed: every subscribed address
has received the issue exactly once, except at most the one email the kill interrupted, which is marked
failed (it may have left) and was received at most once.

The site runs with the production settings on its own PostgreSQL database, a copy of the run's seeded demo
network (tests/seeded.py); emails go to files.
"""

from __future__ import annotations

import datetime
import email
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.production import ROOT, manage, production_env, shell
from tests.seeded import postgres_copy, postgres_drop, shared_folder

pytestmark = [pytest.mark.slow, pytest.mark.worker]

SERVER = os.environ.get("CASI_WORKER_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BATCH = 20
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # between two messages in a file of Django's file-based backend

START = """
from casi_workspace.models import NewsletterIssue, NewsletterIssueItem, NewsletterSubscriber
from casi_workspace.publications.selectors.listings import publications_public
from casi_workspace.newsletter.services.sending import issue_send_start
NewsletterSubscriber.objects.update(topics=[], departments=[])
issue = NewsletterIssue.objects.create(title="Lettre du worker")
for number, page in enumerate(publications_public().order_by("-first_published_at")[:5]):
    NewsletterIssueItem.objects.create(issue=issue, page=page, section=page.kind, sort_order=number)
print(issue_send_start(issue))
"""
STATE = """
import json
import os
from django_tasks_db.models import DBTaskResult
from casi_workspace.models import NewsletterDelivery, NewsletterIssue, NewsletterSubscriber
issue = NewsletterIssue.objects.get(title="Lettre du worker")
deliveries = NewsletterDelivery.objects.filter(issue=issue)
def emails(status):
    return sorted(deliveries.filter(status=status).values_list("subscriber__email", flat=True))
print(json.dumps({
    "status": issue.status,
    "active": sorted(NewsletterSubscriber.objects.filter(status="active").values_list("email", flat=True)),
    "sent": emails("sent"), "failed": emails("failed"), "pending": emails("pending"), "sending": emails("sending"),
    "errors": sorted(set(deliveries.filter(status="failed").values_list("error", flat=True))),
    "running_tasks": DBTaskResult.objects.filter(status="RUNNING").count(),
    "sent_at": sorted(d.isoformat() for d in deliveries.filter(status="sent").values_list("sent_at", flat=True)),
}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, str]:
    """A PostgreSQL copy of the seeded demo network, and the environment of its production settings."""
    name = f"casi_worker_{uuid.uuid4().hex[:12]}"
    folder = tmp_path_factory.mktemp("worker")
    postgres_copy(shared_folder(tmp_path_factory), SERVER, name, folder / "media")
    env = production_env(f"{SERVER}/{name}", folder, NEWSLETTER_BATCH_SIZE=str(BATCH), NEWSLETTER_BATCH_INTERVAL="0")
    try:
        manage(env, *_worker("--batch"))  # whatever the seeding left in the queue: the queue starts empty
        shutil.rmtree(folder / "outbox", ignore_errors=True)
        yield env
    finally:
        postgres_drop(SERVER, name)


def _worker(*options: str) -> list[str]:
    return ["db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1", *options]


def _state(env: dict[str, str]) -> dict:
    return json.loads(shell(env, STATE))


def _received(outbox: Path) -> Counter:
    """Each address and how many emails it was sent, read from the backend's files."""
    counts: Counter = Counter()
    for path in outbox.glob("*.log"):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                counts[email.message_from_bytes(chunk)["To"]] += 1
    return counts


def test_a_worker_stopped_then_killed_then_resumed_sends_every_address_exactly_once(site):
    outbox = Path(site["EMAIL_FILE_PATH"])
    total = int(shell(site, START))
    state = _state(site)
    assert total == len(state["active"]) > 6 * BATCH
    assert state["status"] == "sending" and len(state["pending"]) == total and not _received(outbox)

    # A worker limited to three tasks: three batches, then it stops; the rest waits in the queue.
    manage(site, *_worker("--batch", "--max-tasks", "3"))
    received = _received(outbox)
    assert len(received) == 3 * BATCH and set(received.values()) == {1}
    state = _state(site)
    assert state["status"] == "sending" and sorted(received) == state["sent"]

    # A throttled worker, killed outright (as by the OOM killer or a power cut) in the middle of the sending.
    throttled = site | {"NEWSLETTER_BATCH_INTERVAL": "0.5"}
    throttle_started = datetime.datetime.now(datetime.UTC)
    process = subprocess.Popen(
        [sys.executable, "manage.py", *_worker()],
        cwd=ROOT,
        env=throttled,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while sum(_received(outbox).values()) < 5 * BATCH + BATCH // 2 and time.monotonic() < deadline:
        assert process.poll() is None, "the worker stopped by itself"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    state = _state(site)
    assert state["status"] == "sending" and state["pending"], "the kill came too late to test anything"
    # The throttle held: never more than a batch in any half-second.
    throttled_sends = [
        moment for moment in map(datetime.datetime.fromisoformat, state["sent_at"]) if moment >= throttle_started
    ]
    assert len(throttled_sends) > BATCH
    assert (
        max(
            sum(1 for other in throttled_sends if moment <= other < moment + datetime.timedelta(seconds=0.5))
            for moment in throttled_sends
        )
        <= BATCH
    )

    # Resumed at once, by the README's command as it is; then the worker runs the queue dry.
    manage(site, "casi_newsletter_resume")
    assert _state(site)["running_tasks"] == 0, "the killed worker's task still says it is running"
    manage(site, *_worker("--batch"))

    state = _state(site)
    received = _received(outbox)
    assert state["status"] == "sent" and not state["pending"] and not state["sending"]
    assert set(received.values()) == {1}, "an address received the issue twice"
    assert set(state["sent"]) | set(state["failed"]) == set(state["active"]), "an address was missed"
    assert set(state["sent"]) <= set(received)
    # At most the one email the kill interrupted: failed with the reason, received at most once.
    assert len(state["failed"]) <= 1
    assert all(error.startswith("Interrompu") for error in state["errors"])
