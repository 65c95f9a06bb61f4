"""Moderation emails: queued as tasks once the change commits, never sent by the request; Wagtail's own are off."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django_tasks import default_task_backend
from wagtail.admin.mail import Notifier
from wagtail.admin.signal_handlers import register_signal_handlers
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted
from wagtail.users.models import UserProfile

from casi_workspace import tasks
from casi_workspace.models import OrganisationPage
from casi_workspace.signals import WAGTAIL_WORKFLOW_EMAIL_RECEIVERS, silence_wagtail_workflow_emails

from .helpers import add_news, draft_news, pending_task_state, sign_in, submit, workflow_action

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _ours(results) -> list:
    """Our email tasks among what was queued (Wagtail queues its search and reference index updates too)."""
    return [result for result in results if result.task.module_path.startswith("casi_workspace.")]


@pytest.fixture
def douarnenez() -> OrganisationPage:
    return OrganisationPage.objects.get(slug="douarnenez-madagascar")


@pytest.fixture
def collective_coordinators(douarnenez) -> Group:
    """The group of collectif-29's coordinators, which moderates Douarnenez – Madagascar with the network's."""
    return douarnenez.parent_collective.workspace.coordinators_group


@pytest.mark.parametrize(
    ("signal", "sender"),
    [
        (task_submitted, TaskState),
        (workflow_submitted, WorkflowState),
        (workflow_approved, WorkflowState),
        (workflow_rejected, WorkflowState),
    ],
)
def test_wagtail_workflow_email_notifiers_are_disconnected(signal, sender):
    sync_receivers, async_receivers = signal._live_receivers(sender)
    assert not [receiver for receiver in [*sync_receivers, *async_receivers] if isinstance(receiver, Notifier)]


def _wagtail_notifiers() -> list:
    found = []
    for signal, sender, _dispatch_uid in WAGTAIL_WORKFLOW_EMAIL_RECEIVERS:
        sync_receivers, async_receivers = signal._live_receivers(sender)
        found += [receiver for receiver in [*sync_receivers, *async_receivers] if isinstance(receiver, Notifier)]
    return found


def test_wagtail_stays_silent_whichever_app_is_ready_first():
    """The plugin may come before wagtail.admin in INSTALLED_APPS (this site) or after it (a host's choice)."""
    try:
        register_signal_handlers()  # wagtail.admin ready after us: its connections find their places taken
        assert _wagtail_notifiers() == []
        for signal, sender, dispatch_uid in WAGTAIL_WORKFLOW_EMAIL_RECEIVERS:
            signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        register_signal_handlers()  # wagtail.admin ready before us
        assert len(_wagtail_notifiers()) == 4
        silence_wagtail_workflow_emails()
        assert _wagtail_notifiers() == []
    finally:
        silence_wagtail_workflow_emails()


def test_wagtail_sends_none_of_its_workflow_emails(client, douarnenez, django_capture_on_commit_callbacks):
    """Wagtail would email every superuser on submission, in the request: only our approvers' emails leave."""
    sign_in(client, "asso-b")
    with django_capture_on_commit_callbacks(execute=True):
        page = add_news(client, douarnenez, "Chantier de jeunes à Antsirabe")
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "collectif-29@example.org",
        "coordination@example.org",
    ]
    assert all(message.subject.endswith("Chantier de jeunes à Antsirabe") for message in mail.outbox)
    sign_in(client, "coordination")
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(client, page, "approve")
    assert [message.to for message in mail.outbox[2:]] == [["asso-b@example.org"]]


def test_the_request_only_queues_tasks_and_the_worker_sends_the_emails(
    client, settings, douarnenez, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    sign_in(client, "asso-b")
    with django_capture_on_commit_callbacks(execute=True):
        page = add_news(client, douarnenez, "Soirée ciné-débat à Douarnenez")
    assert mail.outbox == []  # the request sent nothing
    queued = _ours(default_task_backend.results)
    task_state = pending_task_state(page)
    assert {result.task.name for result in queued} == {"moderation_submitted_email_send"}
    assert sorted(result.kwargs["to"] for result in queued) == ["collectif-29@example.org", "coordination@example.org"]
    assert {result.kwargs["task_state_id"] for result in queued} == {task_state.pk}
    assert all(not result.args for result in queued)

    for result in queued:  # what `manage.py db_worker` does with each queued task
        result.task.call(*result.args, **result.kwargs)
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "collectif-29@example.org",
        "coordination@example.org",
    ]

    default_task_backend.clear()
    mail.outbox.clear()
    sign_in(client, "coordination")
    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(client, page, "reject", "Précisez la date de la séance.")
    assert mail.outbox == []
    [result] = _ours(default_task_backend.results)
    assert result.task.name == "moderation_changes_requested_email_send"
    assert result.kwargs == {"task_state_id": task_state.pk, "to": "asso-b@example.org"}


def test_a_submission_announced_after_its_decision_is_not_sent(douarnenez, django_capture_on_commit_callbacks):
    page = draft_news(douarnenez, "Bilan de la campagne d'hiver")
    submit(page, User.objects.get(username="asso-b"))
    task_state = pending_task_state(page)
    task_state.approve(user=User.objects.get(username="coordination"))
    tasks.moderation_submitted_email_send.call(task_state_id=task_state.pk, to="coordination@example.org")
    assert mail.outbox == []


def test_each_approver_is_emailed_once_and_only_active_members_with_an_address(
    douarnenez, collective_coordinators, django_capture_on_commit_callbacks
):
    network = Group.objects.get(name="Coordination du réseau")
    coordination = User.objects.get(username="coordination")
    coordination.groups.add(collective_coordinators)  # in both groups of the step
    User.objects.create_user("ancien", email="ancien@example.org", is_active=False).groups.add(network)
    User.objects.create_user("sans-adresse", email="").groups.add(network)
    User.objects.create_user("homonyme", email="COORDINATION@example.org").groups.add(network)
    page = draft_news(douarnenez, "Appel aux bénévoles")
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, User.objects.get(username="asso-b"))
    assert sorted(message.to[0].lower() for message in mail.outbox) == [
        "collectif-29@example.org",
        "coordination@example.org",
    ]


def test_the_submitter_is_not_told_of_their_own_submission_nor_decision(douarnenez, django_capture_on_commit_callbacks):
    coordinator = User.objects.get(username="collectif-29")
    page = draft_news(douarnenez, "Note de la coordination départementale")
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, coordinator)
    assert [message.to for message in mail.outbox] == [["coordination@example.org"]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pending_task_state(page).specific.task.specific.on_action(pending_task_state(page), coordinator, "approve")
    page.refresh_from_db()
    assert page.live
    assert mail.outbox == []


def test_a_visitors_proposal_is_announced_and_its_decisions_go_to_the_proposers_address(
    douarnenez, django_capture_on_commit_callbacks
):
    coordination = User.objects.get(username="coordination")
    page = draft_news(douarnenez, "Concert solidaire", proposer_name="Maëlle Riou", proposer_email="maelle@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, None)
    assert sorted(message.to[0] for message in mail.outbox) == ["collectif-29@example.org", "coordination@example.org"]
    assert "Maëlle Riou" in mail.outbox[0].body
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        pending_task_state(page).reject(user=coordination, comment="Il manque le lieu du concert.")
    [changes] = mail.outbox
    assert changes.to == ["maelle@example.net"]
    assert "Il manque le lieu du concert." in changes.body
    assert "/admin/" not in changes.body  # a visitor has no account: no link to the admin
    mail.outbox.clear()

    state = WorkflowState.objects.get(object_id=str(page.pk))
    with django_capture_on_commit_callbacks(execute=True):
        state.resume(user=None)
        pending_task_state(page).approve(user=coordination)
    page.refresh_from_db()
    assert page.live
    assert [message.to for message in mail.outbox if "maelle" in message.to[0]] == [["maelle@example.net"]]
    assert page.get_full_url() in mail.outbox[-1].body


def test_a_proposal_without_an_address_tells_nobody_of_the_decision(douarnenez, django_capture_on_commit_callbacks):
    page = draft_news(douarnenez, "Exposition photo", proposer_name="Anonyme")
    submit(page, None)
    with django_capture_on_commit_callbacks(execute=True):
        pending_task_state(page).approve(user=User.objects.get(username="coordination"))
    page.refresh_from_db()
    assert page.live
    assert mail.outbox == []


def test_wagtails_notification_settings_of_each_account_are_respected(
    client, douarnenez, django_capture_on_commit_callbacks
):
    """The "Notifications" of a Wagtail account (submitted, approved, rejected) still say what its owner gets."""
    UserProfile.get_for_user(User.objects.get(username="coordination"))
    UserProfile.objects.filter(user__username="coordination").update(submitted_notifications=False)
    UserProfile.objects.filter(user__username="asso-b").delete()
    UserProfile.objects.create(user=User.objects.get(username="asso-b"), rejected_notifications=False)
    page = draft_news(douarnenez, "Réunion publique")
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, User.objects.get(username="asso-b"))
    assert [message.to for message in mail.outbox] == [["collectif-29@example.org"]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pending_task_state(page).reject(user=User.objects.get(username="coordination"), comment="Date ?")
    assert mail.outbox == []


def test_an_item_deleted_before_its_emails_leave_sends_nothing(
    settings, douarnenez, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    coordination = User.objects.get(username="coordination")
    page = draft_news(douarnenez, "Brouillon supprimé")
    with django_capture_on_commit_callbacks(execute=True):
        submit(page, User.objects.get(username="asso-b"))
        pending_task_state(page).reject(user=coordination, comment="Hors sujet.")
    queued = _ours(default_task_backend.results)
    assert {result.task.name for result in queued} == {
        "moderation_submitted_email_send",
        "moderation_changes_requested_email_send",
    }
    page.delete()
    for result in queued:
        result.task.call(*result.args, **result.kwargs)
    assert mail.outbox == []
