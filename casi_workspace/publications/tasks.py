"""Moderation emails, sent by the task worker in the site's language."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import capfirst
from django_tasks import task
from wagtail.models import Page, TaskState, WorkflowState

from casi_workspace.conf import host_setting
from casi_workspace.core.emails import email_send
from casi_workspace.core.links import absolute_url
from casi_workspace.organisations.selectors import page_organisation


def _moderation_context(workflow_state: WorkflowState) -> dict[str, Any] | None:
    """What every moderation email names: the item, its kind and organisation, who submitted it, the links.

    None when the item was deleted while the email waited in the queue: there is nothing left to tell.
    """
    obj = workflow_state.content_object
    if obj is None:
        return None
    page = obj.specific if isinstance(obj, Page) else obj
    submitter = workflow_state.requested_by
    if submitter is not None:
        submitter_name = submitter.get_full_name() or submitter.get_username()
    else:
        submitter_name = getattr(page, "proposer_name", "")
    context: dict[str, Any] = {
        "page": page,
        "title": page.get_admin_display_title() if isinstance(page, Page) else str(page),
        "kind": capfirst(page._meta.verbose_name),
        "organisation": page_organisation(page) if isinstance(page, Page) else None,
        "submitter_name": submitter_name,
        "by_visitor": submitter is None,
        "queue_url": absolute_url(reverse("casi_moderation:index")),
        "site_name": host_setting("WAGTAIL_SITE_NAME"),
    }
    if isinstance(page, Page):
        context["edit_url"] = absolute_url(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return context


@task()
def moderation_submitted_email_send(*, task_state_id: int, to: str) -> None:
    """The "new submission to moderate" email, to one approver; not sent once the step is decided."""
    task_state = TaskState.objects.select_related("workflow_state__requested_by").filter(pk=task_state_id).first()
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return
    context = _moderation_context(task_state.workflow_state)
    if context is not None:
        email_send("moderation_submitted", context, to=to)


@task()
def moderation_approved_email_send(*, workflow_state_id: int, to: str) -> None:
    """The "your publication is online" email, with its public address; or the date it goes online, when scheduled."""
    workflow_state = WorkflowState.objects.select_related("requested_by").filter(pk=workflow_state_id).first()
    context = _moderation_context(workflow_state) if workflow_state else None
    if context is None:
        return
    page = context["page"]
    if isinstance(page, Page):
        context["public_url"] = page.get_full_url() or ""
        if not page.live:
            revision = page.get_latest_revision()
            context["go_live_at"] = (revision and revision.approved_go_live_at) or page.go_live_at
    email_send("moderation_approved", context, to=to)


@task()
def moderation_changes_requested_email_send(*, task_state_id: int, to: str) -> None:
    """The coordinator's request for changes, with their comment, and the link to edit the item."""
    task_state = (
        TaskState.objects.select_related("workflow_state__requested_by", "finished_by").filter(pk=task_state_id).first()
    )
    context = _moderation_context(task_state.workflow_state) if task_state else None
    if context is None:
        return
    moderator = task_state.finished_by
    context["comment"] = task_state.comment.strip()
    context["moderator_name"] = (moderator.get_full_name() or moderator.get_username()) if moderator else ""
    email_send("moderation_changes_requested", context, to=to)
