"""Reads of the support requests: who is in charge of a département, the desk's list, a request's timeline."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from casi_workspace.conf import get_setting
from casi_workspace.organisations.models import ActorType, OrganisationPage
from casi_workspace.publications.models.publications import PublicationPage
from casi_workspace.publications.models.sections import PublicationKind
from casi_workspace.publications.selectors.listings import publications_public
from casi_workspace.support.models import INTERNAL_EVENT_KINDS, SupportAttachment, SupportEvent, SupportRequest


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
        attachment_count=Coalesce(Subquery(attachments.values("n"), output_field=IntegerField()), 0)
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
