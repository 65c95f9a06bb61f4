"""Reads of the moderation queue: who may moderate, what waits for whom, and who hears of a decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState
from wagtail.users.models import UserProfile

from casi_workspace.organisations.models import (
    OrganisationPage,
)
from casi_workspace.publications.models.publications import PublicationPage
from casi_workspace.workspaces.workflows import moderating_group_name, network_moderators_name


def moderation_task_approvers(task_id: int) -> QuerySet:
    """Active users with an email address in any group of a group approval task, each once.

    Those who turned off "submitted" notifications in their Wagtail account are left out.
    """
    membership = GroupApprovalTask.groups.through.objects.filter(
        groupapprovaltask_id=task_id, group__user=OuterRef("pk")
    )
    users = get_user_model()._default_manager.filter(Exists(membership), is_active=True).exclude(email="")
    return users.exclude(wagtail_userprofile__submitted_notifications=False)


def moderation_decision_group_name(task_id: int, user) -> str:
    """The group `user` decided for on a group approval task: a collective's name, or the network's.

    A person in several of the task's groups decides for a collective before the network; a superuser
    in none of them, for the network.
    """
    groups = [
        row.group
        for row in GroupApprovalTask.groups.through.objects.filter(groupapprovaltask_id=task_id, group__user=user)
        .select_related("group__collective_workspace")
        .order_by("group__name")
    ]
    groups.sort(key=lambda group: getattr(group, "collective_workspace", None) is None)
    return moderating_group_name(groups[0]) if groups else network_moderators_name()


def moderation_approval_of_own_revision(task_state: TaskState, user) -> TaskState | None:
    """The approval by `user` that a step in progress repeats, when Wagtail restarted it for `user`'s revision.

    Approving from the page editor saves the moderator's form first; when that makes a new revision, Wagtail
    (`WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT`) records the approval on the older revision and starts the
    step again for the new one (services/decisions.py completes it). None for any other step.
    """
    revision = task_state.revision
    if (
        user is None
        or user.pk is None
        or task_state.status != TaskState.STATUS_IN_PROGRESS
        or revision is None
        or revision.user_id != user.pk
    ):
        return None
    return (
        TaskState.objects.filter(
            workflow_state_id=task_state.workflow_state_id,
            task_id=task_state.task_id,
            status=TaskState.STATUS_APPROVED,
            finished_by=user,
            finished_at__gte=revision.created_at,
        )
        .exclude(pk=task_state.pk)
        .order_by("-finished_at")
        .first()
    )


def user_accepts_notification(user, notification: str) -> bool:
    """Whether `user` keeps Wagtail's "approved" or "rejected" notifications on (their account's settings)."""
    return not UserProfile.objects.filter(user=user, **{f"{notification}_notifications": False}).exists()


def publication_proposer_email(page_id: int) -> str:
    """The address a visitor left when proposing a publication from the public site ("" if none)."""
    return PublicationPage.objects.filter(pk=page_id).values_list("proposer_email", flat=True).first() or ""


def user_can_moderate(user) -> bool:
    """Superusers, and members of a group that approves an active group approval task; remembered on the user."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not hasattr(user, "_casi_can_moderate"):
        user._casi_can_moderate = (
            user.is_superuser or GroupApprovalTask.objects.filter(active=True, groups__user=user).exists()
        )
    return user._casi_can_moderate


def _moderation_states(user) -> QuerySet[TaskState]:
    """Pages' moderation steps in progress that `user` may decide: every one for a superuser."""
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        task__active=True,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
    )
    if not user.is_superuser:
        approving = GroupApprovalTask.groups.through.objects.filter(
            groupapprovaltask_id=OuterRef("task_id"), group__user=user.pk
        )
        states = states.filter(Exists(approving))
    return states


def moderation_queue_count(user) -> int:
    """How many items wait for `user`'s decision (the admin menu shows it)."""
    return _moderation_states(user).count() if user_can_moderate(user) else 0


def moderation_queue(user) -> QuerySet[TaskState]:
    """The moderation queue of `user`, oldest first, each row carrying what the queue shows, in one query.

    A workflow state names its page by a text `object_id`: the page's id is cast from it inside a CASE
    that only casts a page's (PostgreSQL casts no other row then). Annotations: `casi_page_id`,
    `casi_title` (the latest draft's title), `casi_organisation_id` (a publication's organisation, or the
    organisation page itself), `casi_organisation_title`, `casi_proposer_name` (a visitor's proposal);
    the submitter and the page's own type come with `workflow_state` (select_related).
    """
    page_type = ContentType.objects.get_for_model(Page)
    page_id = Case(
        When(
            workflow_state__base_content_type=page_type,
            then=Cast("workflow_state__object_id", IntegerField()),
        ),
        default=None,
        output_field=IntegerField(),
    )

    def publication(field: str) -> Subquery:
        return Subquery(PublicationPage.objects.filter(pk=OuterRef("casi_page_id")).order_by().values(field)[:1])

    organisation_id = Coalesce(
        publication("organisation_id"),
        Subquery(OrganisationPage.objects.filter(pk=OuterRef("casi_page_id")).order_by().values("pk")[:1]),
        output_field=IntegerField(),
    )
    return (
        _moderation_states(user)
        .annotate(casi_page_id=page_id)
        .annotate(
            casi_title=Subquery(Page.objects.filter(pk=OuterRef("casi_page_id")).order_by().values("draft_title")[:1]),
            casi_proposer_name=publication("proposer_name"),
            casi_organisation_id=organisation_id,
        )
        .annotate(
            casi_organisation_title=Subquery(
                Page.objects.filter(pk=OuterRef("casi_organisation_id")).order_by().values("title")[:1]
            )
        )
        .select_related("workflow_state__requested_by", "workflow_state__content_type")
        .order_by("started_at", "pk")
    )


def moderation_kind_key(app_label: str, model: str) -> str:
    """A queue row's kind in the query string: the publication kind ("news"…), else the page type's model name."""
    model_class = apps.get_model(app_label, model)
    return getattr(model_class, "kind_value", "") or model


def moderation_kind_label(app_label: str, model: str) -> str:
    model_class = apps.get_model(app_label, model)
    return str(model_class.get_verbose_name() if hasattr(model_class, "get_verbose_name") else model)


@dataclass(frozen=True)
class ModerationQueueSummary:
    """Counts of a moderation queue, largest first, and the page type behind each kind key."""

    total: int
    by_kind: list[dict[str, Any]]
    by_organisation: list[dict[str, Any]]
    kind_types: dict[str, tuple[str, str]]

    def organisation_ids(self) -> set[int]:
        return {row["key"] for row in self.by_organisation}


def moderation_queue_summary(queue: QuerySet[TaskState]) -> ModerationQueueSummary:
    """Count the queue by kind and by organisation from one query of small rows.

    Grouping by the queue's correlated subqueries is refused by PostgreSQL, and a queue holds what
    coordinators can read through (tens of items, not thousands): the rows are counted here.
    """
    rows = queue.order_by().values_list(
        "workflow_state__content_type__app_label",
        "workflow_state__content_type__model",
        "casi_organisation_id",
        "casi_organisation_title",
    )
    kinds: dict[str, dict[str, Any]] = {}
    organisations: dict[int, dict[str, Any]] = {}
    kind_types: dict[str, tuple[str, str]] = {}
    total = 0
    for app_label, model, organisation_id, organisation_title in rows:
        total += 1
        key = moderation_kind_key(app_label, model)
        kind_types[key] = (app_label, model)
        kind = kinds.setdefault(key, {"key": key, "label": moderation_kind_label(app_label, model), "count": 0})
        kind["count"] += 1
        if organisation_id is not None:
            row = organisations.setdefault(
                organisation_id, {"key": organisation_id, "label": organisation_title, "count": 0}
            )
            row["count"] += 1

    def order(row: dict[str, Any]) -> tuple[int, str]:
        return -row["count"], str(row["label"]).casefold()

    return ModerationQueueSummary(
        total=total,
        by_kind=sorted(kinds.values(), key=order),
        by_organisation=sorted(organisations.values(), key=order),
        kind_types=kind_types,
    )


def moderation_queue_filter(
    queue: QuerySet[TaskState], *, kind_type: tuple[str, str] | None = None, organisation_id: int | None = None
) -> QuerySet[TaskState]:
    """The queue narrowed to one page type (app label, model) and/or one organisation."""
    if kind_type is not None:
        queue = queue.filter(
            workflow_state__content_type__app_label=kind_type[0], workflow_state__content_type__model=kind_type[1]
        )
    if organisation_id is not None:
        queue = queue.filter(casi_organisation_id=organisation_id)
    return queue
