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
from casi_workspace.core.people import person_public_name
from casi_workspace.organisations.selectors import page_organisation
from casi_workspace.publications.selectors.moderation import moderation_decision_group_name


def _moderation_context(workflow_state: WorkflowState) -> dict[str, Any] | None:
    """What every moderation email names: the item, its kind and organisation, who submitted it, the links.

    None when the item was deleted while the email waited in the queue: there is nothing left to tell.
    """
    obj = workflow_state.content_object
    if obj is None:
        return None
    page = obj.specific if isinstance(obj, Page) else obj
    submitter = workflow_state.requested_by
    submitter_name = person_public_name(submitter) if submitter is not None else getattr(page, "proposer_name", "")
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


def _decision_context(task_state: TaskState | None) -> dict[str, str]:
    """Who decided, as the emails sign it: the person's public name and the group they decided for.

    Empty when nobody is known (the person's account was deleted since): the emails then speak of the
    coordinators of the site.
    """
    moderator = task_state.finished_by if task_state is not None else None
    if moderator is None:
        return {"moderator_name": "", "moderating_group": ""}
    return {
        "moderator_name": person_public_name(moderator),
        "moderating_group": moderation_decision_group_name(task_state.task_id, moderator),
    }


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
    approval = (
        workflow_state.task_states.filter(status=TaskState.STATUS_APPROVED)
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )
    context.update(_decision_context(approval))
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
    context["comment"] = task_state.comment.strip()
    context.update(_decision_context(task_state))
    email_send("moderation_changes_requested", context, to=to)
