"""Reads of the support requests: who is in charge of a département, the desk's list, a request's timeline."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from casi_workspace.conf import get_setting, support_first_answer_days
from casi_workspace.organisations.models import ActorType, OrganisationPage
from casi_workspace.publications.models.publications import PublicationPage
from casi_workspace.publications.models.sections import PublicationKind
from casi_workspace.publications.selectors.listings import publications_public
from casi_workspace.support.models import (
    INTERNAL_EVENT_KINDS,
    SupportAttachment,
    SupportEvent,
    SupportNeed,
    SupportRequest,
    SupportStatus,
)


def collective_in_charge(department: str) -> OrganisationPage | None:
    """The département's collective, when it has chosen to handle its support requests; None: the network."""
    if not department:
        return None
    return (
        OrganisationPage.objects.filter(
            actor_type=ActorType.COLLECTIVE, department=department, workspace__handles_support_requests=True
        )
        .order_by("path")
        .first()
    )


def support_request_list(queryset: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    """The desk's list: what each row shows, in one query however many rows. The files are counted by a
    subquery, for the page's rows only: a JOIN and GROUP BY would count every request's before the page is cut
    (0.3 s at 10,000 requests on SQLite, against 0.01 s)."""
    attachments = (
        SupportAttachment.objects.filter(request=OuterRef("pk")).order_by().values("request").annotate(n=Count("pk"))
    )
    return queryset.select_related("organisation", "responsible_collective", "coordinator").annotate(
        attachment_count=Coalesce(Subquery(attachments.values("n"), output_field=IntegerField()), 0),
        is_late=Case(When(support_late_q(), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def support_late_q(now: datetime.datetime | None = None) -> Q:
    """Requests still open without a first answer once past their need's first-answer target
    (CASI_WORKSPACE_SUPPORT_FIRST_ANSWER_DAYS, calendar days from the sending): one condition per need, in SQL."""
    now = now or timezone.now()
    targets = support_first_answer_days()
    by_need = Q()
    for need in SupportNeed.values:
        days = targets.get(need, targets["default"])
        by_need |= Q(need=need, created_at__lt=now - datetime.timedelta(days=days))
    return Q(first_answer_at__isnull=True) & ~Q(status=SupportStatus.CLOSED) & by_need


def support_reminders_due(now: datetime.datetime | None = None) -> QuerySet[SupportRequest]:
    """Late requests whose desk has not been reminded yet (a reminder once per request)."""
    return (
        SupportRequest.objects.filter(support_late_q(now), reminded_at__isnull=True)
        .select_related("coordinator", "responsible_collective")
        .order_by("created_at", "pk")
    )


def support_reminder_recipients(support_request: SupportRequest, network: list, collectives: dict) -> list:
    """Who is reminded of a late request: the coordinator in charge; unassigned, the coordinators of the
    collective in charge, or the network's coordinators' group. `network` and `collectives` (by collective id)
    are filled as they are read, so that a run reads each group once."""
    coordinator = support_request.coordinator
    if coordinator is not None and coordinator.is_active and coordinator.email:
        return [coordinator]
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    collective_id = support_request.responsible_collective_id
    if collective_id:
        if collective_id not in collectives:
            collectives[collective_id] = list(users.filter(groups__collective_workspace__organisation_id=collective_id))
        return collectives[collective_id]
    if not network:
        network.extend(users.filter(groups__name=get_setting("COORDINATORS_GROUP")).distinct())
    return network


def support_satisfaction_average(queryset: QuerySet[SupportRequest]) -> float | None:
    """The mean satisfaction score (1 to 5) of the answered requests among `queryset`; None without answers."""
    return queryset.aggregate(average=Avg("satisfaction_score"))["average"]


def support_collectives() -> QuerySet[OrganisationPage]:
    """The departmental collectives with a workspace, for the screen where the network sets which of them handle
    their département's support requests."""
    return (
        OrganisationPage.objects.filter(actor_type=ActorType.COLLECTIVE, workspace__isnull=False)
        .select_related("workspace")
        .order_by("department", "title")
    )


# What the desk may suggest with a message: the site's resources, trainings and calls for projects.
SUGGESTED_KINDS = (PublicationKind.RESOURCE, PublicationKind.TRAINING, PublicationKind.CALL)
SUGGESTION_SEARCH_WORDS = 6


def support_suggestable_pages() -> QuerySet[PublicationPage]:
    """The pages a message may suggest, and the only ones a suggestion shows: live, public (`publications_public`)
    resources, trainings and calls for projects. A page unpublished or made private later disappears."""
    return publications_public().filter(kind__in=SUGGESTED_KINDS).order_by("title", "pk")


def support_suggestion_search(query: str, *, limit: int = 10) -> list[PublicationPage]:
    """The suggestable pages whose title holds every word typed (the first few), newest first."""
    words = query.replace("\x00", "").split()[:SUGGESTION_SEARCH_WORDS]
    if not words:
        return []
    pages = support_suggestable_pages()
    for word in words:
        pages = pages.filter(title__icontains=word[:100])
    return list(pages.order_by("-first_published_at", "-pk")[:limit])


def support_event_suggestions(event: SupportEvent) -> list[PublicationPage]:
    """A message's suggestions that may still be shown."""
    return list(support_suggestable_pages().filter(pk__in=event.suggestions.values("pk")))


def support_timeline(support_request: SupportRequest, *, internal: bool) -> QuerySet[SupportEvent]:
    """The request's steps, oldest first; the requester's link leaves out the internal ones. Each step's
    `suggested`: the pages its message suggests that are still live and public (one query for all steps)."""
    events = (
        SupportEvent.objects.filter(request=support_request)
        .select_related("author", "attachment")
        .prefetch_related(Prefetch("suggestions", queryset=support_suggestable_pages(), to_attr="suggested"))
    )
    if not internal:
        events = events.exclude(kind__in=INTERNAL_EVENT_KINDS)
    return events.order_by("created_at", "pk")


def support_assignable_users(support_request: SupportRequest) -> QuerySet[AbstractBaseUser]:
    """Who the request may be assigned to: the coordinators of the collective in charge, or, for the network's
    requests, the network's coordinators (its group, and superusers). Active accounts only."""
    users = get_user_model().objects.filter(is_active=True)
    if support_request.responsible_collective_id:
        users = users.filter(groups__collective_workspace__organisation_id=support_request.responsible_collective_id)
    else:
        users = users.filter(Q(is_superuser=True) | Q(groups__name=get_setting("COORDINATORS_GROUP")))
    return users.distinct().order_by("first_name", "last_name", "username")


def support_minutes_spent(support_request: SupportRequest) -> int:
    """The desk's time on the request, all steps together, in minutes."""
    return SupportEvent.objects.filter(request=support_request).aggregate(total=Sum("minutes"))["total"] or 0
