"""A mail-server outage loses no email and sends none twice: every email waits in the database, leaves through
the task worker, is tried again while the server refuses for now, and is reported when it may have left."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casi_workspace.demo.data import TRUSTED_ASSOCIATION
from casi_workspace.models import EventRegistrationSettings, OutgoingEmail, OutgoingEmailStatus
from tests.helpers import french
from tests.mail_server import MailServer
from tests.publications.helpers import publication_create

pytestmark = pytest.mark.django_db
SUBSCRIBER = "nolwenn.le-goff@example.org"
PERSON = "yann.kerouac@example.org"
OUTGOING = "/admin/casi_workspace/courriels-sortants/"


@pytest.fixture
def mail_server(settings):
    """The site's production mail set-up, against an SMTP server of the test's own on 127.0.0.1."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "casi_workspace.core.mail.QueuedEmailBackend"
    settings.CASI_WORKSPACE_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CASI_WORKSPACE_EMAIL_RETRY_DELAY = 3600
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 0
    cache.clear()  # the forms' rate limits
    yield server
    server.stop()


def _time_passes() -> None:
    """Two hours later: every email and task waiting for a later attempt is due."""
    past = timezone.now() - datetime.timedelta(hours=2)
    OutgoingEmail.objects.filter(status=OutgoingEmailStatus.PENDING).update(next_attempt_at=past)
    DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).update(run_after=past)


def _subscribe(client, django_capture_on_commit_callbacks, email: str = SUBSCRIBER) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/lettre/", {"email": email, "topics": ["news"], "departments": ["29"]})
    assert response.status_code == 302


def _register(client, django_capture_on_commit_callbacks) -> None:
    event = publication_create("event", TRUSTED_ASSOCIATION, title="Ciné-débat Sahel")
    EventRegistrationSettings.objects.create(event=event, is_open=True, capacity=10, max_places_per_person=4)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{event.url}inscription/", {"name": "Yann Kerouac", "email": PERSON, "places": "1"}, REMOTE_ADDR="10.9.9.9"
        )
    assert response.status_code == 302, response.content.decode()[:2000]


def _states() -> dict[str, str]:
    return dict(OutgoingEmail.objects.values_list("recipients", "status"))


def test_emails_wait_while_the_server_refuses_connections_and_each_leaves_once_when_it_returns(
    client, mail_server, worker, django_capture_on_commit_callbacks
):
    mail_server.stop()
    _subscribe(client, django_capture_on_commit_callbacks)
    _register(client, django_capture_on_commit_callbacks)
    worker()

    assert _states() == {SUBSCRIBER: "pending", PERSON: "pending"}  # nothing lost, nothing marked sent
    assert all("ConnectionRefusedError" in email.last_error for email in OutgoingEmail.objects.all())
    emails = client.get("/casi/sante/").json()["emails"]
    assert emails["waiting"] == 2 and emails["state"] == "ok"

    worker()  # a worker started again before the next attempt is due sends nothing
    assert OutgoingEmail.objects.filter(attempts=1).count() == 2

    mail_server.start()
    _time_passes()
    worker()
    call_command("casi_emails_resume", stdout=io.StringIO())
    worker()

    assert _states() == {SUBSCRIBER: "sent", PERSON: "sent"}
    assert sorted(received.recipients[0] for received in mail_server.received) == sorted([SUBSCRIBER, PERSON])
    [confirmation] = [received.message for received in mail_server.received if received.recipients == [PERSON]]
    assert "text/calendar" in {part.get_content_type() for part in confirmation.walk()}  # the attachment too
    assert client.get("/casi/sante/").json()["emails"]["waiting"] == 0


def test_wagtails_own_password_reset_email_waits_for_the_server_too(
    client, mail_server, worker, django_capture_on_commit_callbacks
):
    mail_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailadmin_password_reset"), {"email": "coordination@example.org"})
    assert response.status_code == 302  # the request does not fail with the mail server
    worker()
    assert _states() == {"coordination@example.org": "pending"}

    mail_server.start()
    _time_passes()
    worker()

    assert [received.recipients for received in mail_server.received] == [["coordination@example.org"]]
    [text] = [part for part in mail_server.received[0].message.walk() if part.get_content_type() == "text/plain"]
    assert "/admin/password_reset/confirm/" in text.get_payload(decode=True).decode()


def test_a_temporary_refusal_is_tried_again_later(client, mail_server, worker, django_capture_on_commit_callbacks):
    mail_server.refuse("451 4.3.2 Try again later", times=1)
    _subscribe(client, django_capture_on_commit_callbacks)
    worker()

    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts, email.last_error) == ("pending", 1, "451 4.3.2 Try again later")
    assert datetime.timedelta(minutes=59) < email.next_attempt_at - timezone.now() <= datetime.timedelta(hours=1)
    assert mail_server.received == []

    _time_passes()
    worker()

    assert _states() == {SUBSCRIBER: "sent"}
    assert [received.recipients for received in mail_server.received] == [[SUBSCRIBER]]


def test_a_permanent_refusal_fails_with_the_servers_reason_and_is_not_tried_again(
    client, mail_server, worker, django_capture_on_commit_callbacks
):
    mail_server.refuse("550 5.1.1 Mailbox unavailable", times=1)
    _subscribe(client, django_capture_on_commit_callbacks)
    worker()
    _time_passes()
    call_command("casi_emails_resume", stdout=io.StringIO())
    worker()

    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts, email.last_error) == ("failed", 1, "550 5.1.1 Mailbox unavailable")
    assert mail_server.received == []
    assert client.get("/casi/sante/").json()["emails"]["failed"] == 1


def test_coordinators_alone_see_the_emails_that_have_not_left_with_the_servers_answer(
    client, login, mail_server, worker, django_capture_on_commit_callbacks
):
    mail_server.refuse("550 5.1.1 Mailbox unavailable", times=1)
    _subscribe(client, django_capture_on_commit_callbacks)
    _subscribe(client, django_capture_on_commit_callbacks, email="gwen@example.org")
    worker()

    refused, sent = OutgoingEmail.objects.get(status="failed"), OutgoingEmail.objects.get(status="sent")
    html = login("coordination").get(OUTGOING).content.decode()
    assert french("Outgoing emails") in html
    assert refused.recipients in html and "550 5.1.1 Mailbox unavailable" in html
    assert sent.recipients not in html  # it has left: nothing to look at
    assert login("asso-b").get(OUTGOING).status_code == 403


def test_an_email_a_stopped_worker_was_sending_is_reported_and_never_sent_again(
    client, mail_server, worker, django_capture_on_commit_callbacks
):
    mail_server.stop()
    _subscribe(client, django_capture_on_commit_callbacks)
    worker()
    # What a worker killed after the server accepted the email, before recording it, leaves behind: its claim.
    OutgoingEmail.objects.update(status="sending", claimed_at=timezone.now() - datetime.timedelta(minutes=10))
    mail_server.start()

    output = io.StringIO()
    call_command("casi_emails_resume", stdout=output)
    _time_passes()
    worker()

    report = output.getvalue().splitlines()[0]  # one email interrupted, and where to look at it
    assert report.startswith("1 ") and french("Outgoing emails") in report
    assert _states() == {SUBSCRIBER: "interrupted"}
    assert mail_server.received == []
    report = client.get("/casi/sante/").json()
    assert report["status"] == "degraded"
    assert report["emails"]["state"] == "interrupted" and report["emails"]["interrupted"] == 1


def test_an_email_still_being_sent_within_its_lease_is_left_to_its_worker(
    client, mail_server, worker, django_capture_on_commit_callbacks
):
    mail_server.stop()
    _subscribe(client, django_capture_on_commit_callbacks)
    worker()
    OutgoingEmail.objects.update(status="sending", claimed_at=timezone.now())

    call_command("casi_emails_resume", stdout=io.StringIO())

    assert _states() == {SUBSCRIBER: "sending"}
