"""A newsletter sending survives what an operator meets: stops, resumes and restarts of the worker in any
number, a worker killed in the middle of a batch, and a mail server that refuses connections.

The tasks go through the database task backend, as in production; the worker's own code runs them (the
`worker` fixture), one due task after the other. Time passing is the queue's and the
throttle's timestamps moved back.
"""

from __future__ import annotations

import datetime
import socket
import threading
from collections import Counter
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from casi_workspace.core.locks import work_lock
from casi_workspace.models import (
    DeliveryStatus,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterIssueItem,
    NewsletterIssueStatus,
    NewsletterSubscriber,
    SubscriberStatus,
)
from casi_workspace.newsletter.selectors import issue_send_stalled, sending_lock_name
from casi_workspace.newsletter.services.sending import issue_send_resume, issue_send_start
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db

BATCH = 5
INTERVAL = 60
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SEND_TASK = "casi_workspace.newsletter.tasks.newsletter_issue_send"


@pytest.fixture(autouse=True)
def _production_queue(settings):
    settings.TASKS = DATABASE_TASKS
    settings.CASI_WORKSPACE_NEWSLETTER_BATCH_SIZE = BATCH
    settings.CASI_WORKSPACE_NEWSLETTER_BATCH_INTERVAL = INTERVAL


@pytest.fixture
def issue(django_capture_on_commit_callbacks) -> NewsletterIssue:
    """An issue every active subscriber gets, its sending started: its first batch is queued."""
    NewsletterSubscriber.objects.update(topics=[], departments=[])
    issue = NewsletterIssue.objects.create(title="Lettre des pannes")
    page = publication_create("news", "brest-sahel-solidarite", title="Retour du Sénégal")
    NewsletterIssueItem.objects.create(issue=issue, page=page, section=page.kind, sort_order=0)
    with django_capture_on_commit_callbacks(execute=True):
        issue_send_start(issue)
    issue.refresh_from_db()
    return issue


def _tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=SEND_TASK)


def _later(seconds: float) -> None:
    """The clock moves on: what was due in `seconds` is due now."""
    shift = datetime.timedelta(seconds=seconds)
    _tasks().filter(status="READY").update(run_after=timezone.now() - datetime.timedelta(microseconds=1))
    for issue in NewsletterIssue.objects.exclude(next_batch_at=None):
        NewsletterIssue.objects.filter(pk=issue.pk).update(next_batch_at=issue.next_batch_at - shift)


def _received() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


def _active() -> set[str]:
    return set(NewsletterSubscriber.objects.filter(status=SubscriberStatus.ACTIVE).values_list("email", flat=True))


def _resume(django_capture_on_commit_callbacks) -> str:
    """The README's command, as an operator runs it: no option."""
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("casi_newsletter_resume", stdout=out)
    return out.getvalue()


def test_resumes_between_batches_never_add_a_chain_nor_break_the_throttle(
    issue, worker, django_capture_on_commit_callbacks
):
    worker()
    assert len(mail.outbox) == BATCH

    # Stopped between two batches and resumed three times, as a worker unit that resumes on every start does.
    for _ in range(3):
        _resume(django_capture_on_commit_callbacks)
    worker()
    assert len(mail.outbox) == BATCH, "a resume sent a batch before the throttle's interval had passed"

    # Each interval, one batch, however many tasks were queued by the resumes.
    for expected in (2 * BATCH, 3 * BATCH):
        _later(INTERVAL)
        worker()
        assert len(mail.outbox) == expected

    while NewsletterDelivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING).exists():
        _later(INTERVAL)
        worker()
    received = _received()
    assert set(received) == _active() and set(received.values()) == {1}
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.SENT
    assert not _tasks().ready().exists() and not _tasks().filter(status="READY").exists()


def test_right_after_a_crash_the_resume_command_fails_the_interrupted_email_and_closes_its_task(
    issue, worker, django_capture_on_commit_callbacks
):
    # What `kill -9` in the middle of a batch leaves: its task "running", an email "being sent" a moment ago.
    task = _tasks().ready().get()
    task.claim("killed-worker")
    interrupted = NewsletterDelivery.objects.filter(issue=issue).order_by("pk").first()
    NewsletterDelivery.objects.filter(pk=interrupted.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now()
    )

    output = _resume(django_capture_on_commit_callbacks)

    interrupted.refresh_from_db()
    task.refresh_from_db()
    if connection.vendor == "postgresql":
        # Nobody holds the sending lock: the worker is gone, whatever the lease says.
        assert "1 courriel interrompu" in output
        assert interrupted.status == DeliveryStatus.FAILED and "Interrompu" in interrupted.error
        assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerLost")
    else:
        # SQLite cannot tell a dead worker from a slow one: the lease decides, later.
        assert interrupted.status == DeliveryStatus.SENDING and task.status == "RUNNING"
    _later(INTERVAL)
    worker()
    assert interrupted.subscriber.email not in _received()
    assert len(mail.outbox) == BATCH


def test_a_batch_under_way_is_left_to_its_worker(issue, django_capture_on_commit_callbacks):
    """A worker in a batch holds the sending lock on its own connection; a resume leaves its email alone."""
    busy = NewsletterDelivery.objects.filter(issue=issue).order_by("pk").first()
    NewsletterDelivery.objects.filter(pk=busy.pk).update(status=DeliveryStatus.SENDING, claimed_at=timezone.now())
    holding, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        with work_lock(sending_lock_name(issue.pk)):
            holding.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(30)
        assert not issue_send_stalled(issue)
        with django_capture_on_commit_callbacks(execute=True):
            assert issue_send_resume(issue) == 0
    finally:
        release.set()
        thread.join()
    busy.refresh_from_db()
    assert busy.status == DeliveryStatus.SENDING


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_while_the_mail_server_refuses_connections_nothing_is_lost_nor_marked_sent(
    issue, settings, worker, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2

    worker()
    deliveries = NewsletterDelivery.objects.filter(issue=issue)
    assert not deliveries.exclude(status=DeliveryStatus.PENDING).exists()
    assert "ConnectionRefusedError" in deliveries.order_by("pk").first().error
    issue.refresh_from_db()
    assert issue.status == NewsletterIssueStatus.SENDING
    # Tried again later, waiting longer each time.
    waits = []
    for _ in range(3):
        waits.append((_tasks().filter(status="READY").get().run_after - timezone.now()).total_seconds())
        _later(max(waits[-1], 0) + 1)
        worker()
    assert waits[0] < waits[1] < waits[2]
    assert not deliveries.exclude(status=DeliveryStatus.PENDING).exists()

    # The server answers again: everything leaves, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    while deliveries.filter(status=DeliveryStatus.PENDING).exists():
        _later(INTERVAL * 20)
        worker()
    received = _received()
    assert set(received) == _active() and set(received.values()) == {1}
    assert not deliveries.filter(status=DeliveryStatus.FAILED).exists()
