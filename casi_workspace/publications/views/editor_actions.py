"""The page editor's actions, in the order each person needs them (the `construct_page_action_menu` hook).

What Wagtail offers by itself on a page under a moderation workflow (wagtail/admin/action_menu.py): the
first item is the main button and the others wait behind its arrow, sorted by their `order`. "Save draft"
comes first for everyone; then "Publish" for whoever may publish, "Submit to <workflow's name>" for anyone
on a page with a workflow (trusted associations too, since the network's workflow sits on the site root),
and last of all a moderator's "Request changes" / "Approve". An untrusted association's editor meets
"Save draft" as the main button and has to find the submission behind the arrow; a moderator has to look
for their decision at the bottom of the list.

Here:
- a moderator who may decide on the page's current step gets "Approve" as the main button, then
  "Request changes", and the editor shows them what is asked of them (`awaiting_decision`);
- whoever may publish the page (a trusted association, a collective's or the network's coordinators) gets
  "Publish" as the main button and no "Submit": their changes wait for nobody;
- an editor who may only submit gets "Submit for moderation by <who decides>" as the main button, naming
  the collective or the network that will decide;
- an editor whose page waits for a decision keeps Wagtail's "Page locked" first, then "Withdraw from
  moderation" (Wagtail's "Cancel workflow").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.action_menu import (
    ActionMenuItem,
    CancelWorkflowMenuItem,
    RestartWorkflowMenuItem,
    SubmitForModerationMenuItem,
    WorkflowMenuItem,
)
from wagtail.models import Page, WorkflowState

from casi_workspace.core.people import person_public_name
from casi_workspace.workspaces.workflows import workflow_moderators_names

# The key of the action menu's context that tells the edit view's template a decision is awaited.
AWAITING_DECISION = "casi_awaiting_decision"

PUBLISH = "action-publish"
SUBMIT = "action-submit"
SAVE_DRAFT = "action-save-draft"
PAGE_LOCKED = "action-page-locked"
CANCEL_WORKFLOW = "action-cancel-workflow"
RESTART_WORKFLOW = "action-restart-workflow"


class SubmitToModeratorsMenuItem(SubmitForModerationMenuItem):
    """Wagtail's "Submit", naming who will decide: "Submit for moderation by Collectif Finistère…".

    On a phone the label names the collective by its acronym, if it has one, so that it keeps to two lines
    (the template shows one label or the other, by the width of the window).
    """

    template_name = "casi_workspace/admin/submit_menu_item.html"

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        page = context.get("page")
        workflow_state = page.current_workflow_state if page else None
        if workflow_state and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            label = _("Submit again for moderation by %(moderators)s")
            workflow = workflow_state.workflow
        else:
            label = _("Submit for moderation by %(moderators)s")
            workflow_page = page if page and page.pk else context["parent_page"]
            workflow = workflow_page.get_workflow()
        if workflow is not None:
            name, short_name = workflow_moderators_names(workflow)
            context["label"] = label % {"moderators": name}
            if short_name != name:
                context["short_label"] = label % {"moderators": short_name}
        return context


class WithdrawFromModerationMenuItem(CancelWorkflowMenuItem):
    label = _("Withdraw from moderation")


class RestartModerationMenuItem(RestartWorkflowMenuItem):
    label = _("Start the moderation again")


def _first(items: list[ActionMenuItem], *wanted) -> list[ActionMenuItem]:
    """`items` with those that `wanted` picks (in the order of `wanted`) moved to the front."""
    front = []
    for pick in wanted:
        front += [item for item in items if pick(item) and item not in front]
    return front + [item for item in items if item not in front]


def _named(name: str):
    return lambda item: item.name == name


def _decision(name: str, *, with_comment: bool):
    return lambda item: isinstance(item, WorkflowMenuItem) and item.name == name and item.launch_modal == with_comment


def awaiting_decision(page: Page) -> dict[str, Any]:
    """What the reviewer's banner says of the submission: who sent it, for which organisation, since when."""
    workflow_state = page.current_workflow_state
    task_state = page.current_workflow_task_state
    submitter = workflow_state.requested_by if workflow_state else None
    specific = page.specific
    return {
        "submitter": person_public_name(submitter) if submitter else getattr(specific, "proposer_name", ""),
        "by_visitor": submitter is None,
        "since": task_state.started_at if task_state else None,
    }


def page_action_menu_arrange(menu_items: list[ActionMenuItem], request, context: dict[str, Any]) -> None:
    """Reorder (and relabel) the editor's actions in place; the first one left is the main button."""
    names = {item.name for item in menu_items}
    decides = any(isinstance(item, WorkflowMenuItem) and item.name == "approve" for item in menu_items)
    if decides:
        context[AWAITING_DECISION] = awaiting_decision(context["page"])
        arranged = _first(
            menu_items,
            _decision("approve", with_comment=False),
            _decision("reject", with_comment=True),
            _decision("approve", with_comment=True),
        )
    elif PUBLISH in names:
        arranged = _first([item for item in menu_items if item.name not in (SUBMIT, RESTART_WORKFLOW)], _named(PUBLISH))
    elif PAGE_LOCKED in names:
        arranged = _first(menu_items, _named(PAGE_LOCKED))
    else:
        arranged = _first(menu_items, _named(SUBMIT))
    menu_items[:] = [_relabelled(item) for item in arranged]


def _relabelled(item: ActionMenuItem) -> ActionMenuItem:
    """Wagtail's workflow words replaced (new items: Wagtail's own are shared by every request)."""
    replacements = {
        SUBMIT: SubmitToModeratorsMenuItem,
        CANCEL_WORKFLOW: WithdrawFromModerationMenuItem,
        RESTART_WORKFLOW: RestartModerationMenuItem,
    }
    replacement = replacements.get(item.name)
    if replacement is None or isinstance(item, replacement):
        return item
    return replacement(order=item.order)
