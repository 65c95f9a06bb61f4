"""The "Mon association" dashboard panel of the Wagtail admin (wired in wagtail_hooks)."""

from __future__ import annotations

import swapper
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import WorkflowState

from casi_workspace.organisations.selectors import organisations_edited_by
from casi_workspace.workspaces.services.teams import user_can_export_organisation
from casi_workspace.workspaces.workflows import workflow_moderators_name

MAX_ORGANISATIONS = 5
MAX_PENDING = 10
MODERATION_STATES = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)


def _moderation(organisation, page_type: ContentType, moderators: dict[int, str]) -> list[WorkflowState]:
    """What of the organisation's waits for moderation, each with who moderates it (`moderators`: by workflow)."""
    Page = swapper.load_model("wagtailcore", "Page")
    subtree = Page.objects.descendant_of(organisation, inclusive=True).annotate(key=Cast("pk", CharField()))
    states = list(
        WorkflowState.objects.filter(
            status__in=MODERATION_STATES,
            base_content_type=page_type,
            object_id__in=subtree.values("key"),
        )
        .select_related("current_task_state__task", "workflow")
        .order_by("-created_at")[:MAX_PENDING]
    )
    pages = Page.objects.in_bulk([int(state.object_id) for state in states])
    for state in states:
        state.moderated_page = pages.get(int(state.object_id))
        if state.workflow_id not in moderators:
            moderators[state.workflow_id] = workflow_moderators_name(state.workflow)
        state.moderators = moderators[state.workflow_id]
    return states


def organisation_summaries(user) -> list[dict]:
    """For each organisation the user edits: its page, what waits for moderation, its files, and whether the user
    may download its data (the link is the directory's, `casi_organisation_data:download`).

    A fixed number of queries per organisation, and at most MAX_ORGANISATIONS of them.
    """
    Page = swapper.load_model("wagtailcore", "Page")
    page_type = ContentType.objects.get_for_model(Page)
    summaries = []
    moderators: dict[int, str] = {}
    for organisation in organisations_edited_by(user).select_related("workspace__collection")[:MAX_ORGANISATIONS]:
        collection = organisation.workspace.collection
        subtree = Page.objects.descendant_of(organisation, inclusive=True)
        summaries.append(
            {
                "organisation": organisation,
                "moderation": _moderation(organisation, page_type, moderators),
                "drafts": subtree.filter(Q(live=False) | Q(has_unpublished_changes=True)).count(),
                "collection": collection,
                "documents": get_document_model().objects.filter(collection=collection).count(),
                "images": get_image_model().objects.filter(collection=collection).count(),
                "team_url": reverse("casi_teams:team", args=[organisation.pk]),
                "may_download_data": user_can_export_organisation(user, organisation),
            }
        )
    return summaries


class MyOrganisationPanel(Component):
    name = "casi_my_organisation"
    order = 50
    template_name = "casi_workspace/admin/my_organisation_panel.html"

    def __init__(self, user) -> None:
        self.user = user

    def get_context_data(self, parent_context=None) -> dict:
        return {"summaries": organisation_summaries(self.user)}
