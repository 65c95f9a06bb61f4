"""What the member space shows one signed-in person, each part in a fixed number of queries.

Every list is bounded, and what a list holds per group or per association comes from one query for all of
them (a window numbers the rows of each group or association), so the page costs the same number of queries
whatever the number of groups, documents, associations or publications. Only the person's own data is read:
their working-group memberships, the groups they read through an association, the associations whose team
they belong to, the newsletter subscription of their own address.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Cast, RowNumber, Substr
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision, WorkflowState

from casi_workspace.core.visibility import pages_readable_by
from casi_workspace.newsletter.models import NewsletterSubscriber, SubscriberStatus
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.publications.models.publications import PUBLICATION_MODELS, PublicationPage
from casi_workspace.workgroups.models import (
    MinutesPage,
    SharedDocumentPage,
    WorkingGroupIndexPage,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupPage,
    WorkingGroupRole,
)
from casi_workspace.workspaces.models import OrganisationMembership

MAX_GROUPS = 20
MAX_GROUP_DOCUMENTS = 3
MAX_GROUP_MINUTES = 3
MAX_ASSOCIATIONS = 10
MAX_ASSOCIATION_ITEMS = 5
MAX_PENDING = 20  # what waits for moderation, all the person's associations together
MODERATION_STATES = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)


@dataclass
class GroupSummary:
    """One of the person's working groups: their place in it and its latest documents and minutes."""

    group: WorkingGroupPage
    role: str = ""  # empty when the person reads the group through one of their associations
    notifications: str = ""
    via_organisation: str = ""
    documents: list[SharedDocumentPage] = field(default_factory=list)
    minutes: list[MinutesPage] = field(default_factory=list)

    @property
    def is_member(self) -> bool:
        return bool(self.role)

    @property
    def is_coordinator(self) -> bool:
        return self.role == WorkingGroupRole.COORDINATOR


@dataclass
class AssociationSummary:
    """One association whose team the person belongs to: its latest publications and what waits for moderation."""

    organisation: OrganisationPage
    role: str
    role_label: str
    items: list[PublicationPage] = field(default_factory=list)
    pending: list[WorkflowState] = field(default_factory=list)


def _page_type() -> ContentType:
    return ContentType.objects.get_for_model(Page)  # cached by Django after the first call


def _by_name(title: str) -> str:
    """A title's sort key as a reader expects it: accents and case aside ("Éducation" before "Groupe")."""
    return unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().casefold()


def _bounded(rows: list, limit: int) -> tuple[list, bool]:
    """The first `limit` rows, and whether there were more (the query asked for one more)."""
    return rows[:limit], len(rows) > limit


# --- Working groups ---------------------------------------------------------------------------------------


def member_groups(user, *, limit: int = MAX_GROUPS) -> tuple[list[GroupSummary], bool]:
    """The live groups the person is an active member of, or reads through an association of theirs, by title.

    A group the person may not read (a secret group whose rights are not in place) is left out, as Wagtail's
    view restrictions decide. Three queries: the groups, their latest documents, their latest minutes.
    """
    active = WorkingGroupMembership.objects.filter(
        working_group=OuterRef("pk"), user=user.pk, status=WorkingGroupMembershipStatus.ACTIVE
    )
    through_organisation = OrganisationPage.objects.filter(
        working_groups=OuterRef("pk"), workspace__editors_group__user=user.pk
    ).order_by("title", "pk")
    groups = (
        WorkingGroupPage.objects.live()
        .annotate(
            casi_role=Subquery(active.values("role")[:1]),
            casi_notifications=Subquery(active.values("notifications")[:1]),
            casi_via=Subquery(through_organisation.values("title")[:1]),
        )
        .filter(Q(casi_role__isnull=False) | Q(casi_via__isnull=False))
        .order_by("title", "pk")
    )
    found, more = _bounded(list(pages_readable_by(groups, user)[: limit + 1]), limit)
    found.sort(key=lambda group: _by_name(group.title))
    summaries = [
        GroupSummary(
            group=group,
            role=group.casi_role or "",
            notifications=group.casi_notifications or "",
            via_organisation="" if group.casi_role else group.casi_via or "",
        )
        for group in found
    ]
    documents = _latest_in_groups(
        SharedDocumentPage.objects.live(),
        found,
        user,
        order_by=[F("last_published_at").desc(nulls_last=True), F("pk").desc()],
        limit=MAX_GROUP_DOCUMENTS,
    )
    minutes = _latest_in_groups(
        MinutesPage.objects.live(),
        found,
        user,
        order_by=[F("meeting_date").desc(), F("pk").desc()],
        limit=MAX_GROUP_MINUTES,
    )
    for summary in summaries:
        summary.documents = documents[summary.group.pk]
        summary.minutes = minutes[summary.group.pk]
    return summaries, more


def working_groups_index() -> WorkingGroupIndexPage | None:
    """Where to find groups to join, for a person in none."""
    return WorkingGroupIndexPage.objects.live().order_by("path").first()


def _latest_in_groups(
    queryset: QuerySet, groups: list[WorkingGroupPage], user, *, order_by: list, limit: int
) -> dict[int, list[Page]]:
    """The first `limit` pages of `queryset` in each group's subtree that the person may read, in one query.

    Every group sits at the same depth (children of the one groups index): one query numbers the pages of
    each group by `order_by` and keeps the first ones. Groups at another depth would cost one query more each.
    """
    found: dict[int, list[Page]] = {group.pk: [] for group in groups}
    by_depth: dict[int, dict[str, int]] = defaultdict(dict)
    for group in groups:
        by_depth[group.depth][group.path] = group.pk
    for depth, group_of_path in by_depth.items():
        group_path = Substr("path", 1, depth * Page.steplen)
        rows = (
            pages_readable_by(queryset, user)
            .annotate(casi_group_path=group_path)
            .filter(casi_group_path__in=list(group_of_path), depth__gt=depth)
            .annotate(casi_rank=Window(RowNumber(), partition_by=[group_path], order_by=order_by))
            .filter(casi_rank__lte=limit)
            .order_by("casi_group_path", "casi_rank")
        )
        for page in rows:
            found[group_of_path[page.casi_group_path]].append(page)
    return found


# --- Associations -----------------------------------------------------------------------------------------


def member_associations(user, *, limit: int = MAX_ASSOCIATIONS) -> tuple[list[AssociationSummary], bool]:
    """The associations whose team the person belongs to, by name, with their latest publications (any state:
    the team edits them) and what of theirs waits for moderation. Four queries at most."""
    memberships = OrganisationMembership.objects.filter(user=user.pk).select_related("organisation")
    found, more = _bounded(list(memberships.order_by("organisation__title", "organisation_id")[: limit + 1]), limit)
    found.sort(key=lambda membership: _by_name(membership.organisation.title))
    summaries = [
        AssociationSummary(
            organisation=membership.organisation, role=membership.role, role_label=membership.get_role_display()
        )
        for membership in found
    ]
    organisations = [summary.organisation for summary in summaries]
    items = _latest_publications(organisations)
    pending = _pending_moderation(organisations)
    for summary in summaries:
        summary.items = items[summary.organisation.pk]
        summary.pending = pending[summary.organisation.pk]
    return summaries, more


def _workflow_exists(page_type: ContentType, status: str) -> Exists:
    return Exists(
        WorkflowState.objects.filter(
            base_content_type=page_type, object_id=Cast(OuterRef("pk"), CharField()), status=status
        )
    )


def _latest_publications(organisations: list[OrganisationPage]) -> dict[int, list[PublicationPage]]:
    """Each association's latest publications (latest change first), with their state, in one query."""
    found: dict[int, list[PublicationPage]] = {organisation.pk: [] for organisation in organisations}
    if not organisations:
        return found
    page_type = _page_type()
    scheduled = Revision.objects.filter(
        base_content_type=page_type, object_id=Cast(OuterRef("pk"), CharField()), approved_go_live_at__isnull=False
    )
    rows = (
        PublicationPage.objects.filter(organisation__in=list(found))
        .annotate(
            casi_in_moderation=_workflow_exists(page_type, WorkflowState.STATUS_IN_PROGRESS),
            casi_changes_requested=_workflow_exists(page_type, WorkflowState.STATUS_NEEDS_CHANGES),
            casi_scheduled=Exists(scheduled),
            casi_rank=Window(
                RowNumber(),
                partition_by=[F("organisation_id")],
                order_by=[F("latest_revision_created_at").desc(nulls_last=True), F("pk").desc()],
            ),
        )
        .filter(casi_rank__lte=MAX_ASSOCIATION_ITEMS)
        .order_by("organisation_id", "casi_rank")
    )
    for item in rows:
        model = PUBLICATION_MODELS.get(item.kind)
        item.kind_label = model.get_verbose_name() if model else ""
        item.state_label = publication_state(item)
        found[item.organisation_id].append(item)
    return found


def publication_state(item: PublicationPage) -> str:
    """Where one of the association's publications stands, in the words of the member space."""
    if item.casi_changes_requested:
        change = _("Changes requested")
    elif item.casi_in_moderation:
        change = _("In moderation")
    elif item.casi_scheduled:
        change = _("Scheduled")
    else:
        change = ""
    if not item.live:
        return change or _("Draft")
    if item.casi_changes_requested:
        return _("Published, changes requested")
    if item.casi_in_moderation:
        return _("Published, changes in moderation")
    if item.casi_scheduled:
        return _("Published, changes scheduled")
    if item.has_unpublished_changes:
        return _("Published, with unpublished changes")
    return _("Published")


def _subtrees(organisations: Iterable[OrganisationPage]) -> QuerySet[Page]:
    """Every page under these organisations' pages (themselves included), in one condition per depth."""
    paths_by_depth: dict[int, list[str]] = defaultdict(list)
    for organisation in organisations:
        paths_by_depth[organisation.depth].append(organisation.path)
    aliases, condition = {}, Q(pk__in=[])
    for depth, paths in paths_by_depth.items():
        name = f"casi_prefix_{depth}"
        aliases[name] = Substr("path", 1, depth * Page.steplen)
        condition |= Q(**{f"{name}__in": paths})
    return Page.objects.alias(**aliases).filter(condition)


def _pending_moderation(organisations: list[OrganisationPage]) -> dict[int, list[WorkflowState]]:
    """What waits in the associations' moderation (in moderation, or changes requested), newest first.

    Two queries for all the associations: the workflow states (MAX_PENDING at most), then their pages, each
    state carrying its page as `moderated_page` and given to the association whose subtree holds it.
    """
    found: dict[int, list[WorkflowState]] = {organisation.pk: [] for organisation in organisations}
    if not organisations:
        return found
    keys = _subtrees(organisations).annotate(casi_key=Cast("pk", CharField())).values("casi_key")
    states = list(
        WorkflowState.objects.filter(status__in=MODERATION_STATES, base_content_type=_page_type(), object_id__in=keys)
        .select_related("current_task_state__task")
        .order_by("-created_at", "-pk")[:MAX_PENDING]
    )
    if not states:
        return found
    pages = Page.objects.in_bulk([int(state.object_id) for state in states])
    for state in states:
        page = pages.get(int(state.object_id))
        if page is None:
            continue
        state.moderated_page = page
        for organisation in organisations:
            if page.path.startswith(organisation.path):
                found[organisation.pk].append(state)
                break
    return found


# --- Newsletter -------------------------------------------------------------------------------------------


def newsletter_subscription_of(user) -> NewsletterSubscriber | None:
    """The active subscription of the person's own address (stored in lower case), if any."""
    email = (user.email or "").strip().lower()
    if not email:
        return None
    return NewsletterSubscriber.objects.filter(email=email, status=SubscriberStatus.ACTIVE).first()
