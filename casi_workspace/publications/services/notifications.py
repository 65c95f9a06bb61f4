"""Moderation notifications: who hears about a submission or a decision, by email, through a task.

Wagtail's own workflow emails are switched off (signals.silence_wagtail_workflow_emails): they leave
inside the request, in the language of whoever clicked, and tell every superuser. Ours:

- a submission (or resubmission) reaching a group approval step goes to the active members of the step's
  groups who have an email address, each address once; the person who submitted is left out;
- an approval, and a request for changes with the coordinator's comment, go to the person who submitted,
  unless they decided on their own submission; a visitor's proposal (no submitting user) is answered at
  the email address the visitor left on the publication, when there is one.

Users who turned a kind of notification off in their Wagtail account ("Notifications") do not get it.

Every email is queued once the transaction commits, so that nobody hears about a decision rolled back.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState, WorkflowState

from casi_workspace.core.queue import enqueue_on_commit
from casi_workspace.publications.selectors.moderation import (
    moderation_approval_of_own_revision,
    moderation_task_approvers,
    publication_proposer_email,
    user_accepts_notification,
)
from casi_workspace.publications.tasks import (
    moderation_approved_email_send,
    moderation_changes_requested_email_send,
    moderation_submitted_email_send,
)


def moderation_submission_recipients(*, task_state: TaskState, user=None) -> list[str]:
    """The addresses to tell that `task_state` waits for them: its groups' active members, deduplicated."""
    task = task_state.task.specific
    if not isinstance(task, AbstractGroupApprovalTask):
        return []
    approvers = moderation_task_approvers(task.pk)
    if user is not None and user.pk is not None:
        approvers = approvers.exclude(pk=user.pk)
    addresses: dict[str, str] = {}
    for email in approvers.values_list("email", flat=True):
        addresses.setdefault(email.strip().casefold(), email.strip())
    return list(addresses.values())


def moderation_decision_recipient(*, workflow_state: WorkflowState, notification: str, user=None) -> str:
    """The address told of a decision ("approved" or "rejected") on `workflow_state`, or "" for nobody.

    `user` is whoever decided: a coordinator approving their own submission is not emailed about it. A
    submitter who turned this notification off in their Wagtail account is not emailed either.
    """
    submitter = workflow_state.requested_by
    if submitter is not None:
        if user is not None and submitter.pk == user.pk:
            return ""
        if not (submitter.is_active and submitter.email and user_accepts_notification(submitter, notification)):
            return ""
        return submitter.email.strip()
    if workflow_state.base_content_type_id == ContentType.objects.get_for_model(Page).pk:
        return publication_proposer_email(int(workflow_state.object_id))
    return ""


def moderation_submission_notify(*, task_state: TaskState, user=None) -> None:
    """Queue "New submission to moderate" for each approver of a step that has just started."""
    if task_state.status != TaskState.STATUS_IN_PROGRESS:  # a step that approved itself waits for nobody
        return
    if moderation_approval_of_own_revision(task_state, user) is not None:  # approved in the same request
        return
    for address in moderation_submission_recipients(task_state=task_state, user=user):
        enqueue_on_commit(moderation_submitted_email_send, task_state_id=task_state.pk, to=address)


def moderation_approval_notify(*, workflow_state: WorkflowState, user=None) -> None:
    """Queue "Your publication is online" (or its scheduled date) for the submitter."""
    address = moderation_decision_recipient(workflow_state=workflow_state, notification="approved", user=user)
    if address:
        enqueue_on_commit(moderation_approved_email_send, workflow_state_id=workflow_state.pk, to=address)


def moderation_changes_requested_notify(*, workflow_state: WorkflowState, user=None) -> None:
    """Queue the coordinator's request for changes, with their comment, for the submitter."""
    address = moderation_decision_recipient(workflow_state=workflow_state, notification="rejected", user=user)
    if address and workflow_state.current_task_state_id:
        enqueue_on_commit(
            moderation_changes_requested_email_send, task_state_id=workflow_state.current_task_state_id, to=address
        )
