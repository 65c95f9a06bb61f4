"""Reads of the support requests: who is in charge of a département, the desk's list, a request's timeline."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from casi_workspace.organisations.models import ActorType, OrganisationPage
from casi_workspace.support.models import INTERNAL_EVENT_KINDS, SupportEvent, SupportRequest


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
    """The desk's list: what each row shows, in one query however many rows."""
    return queryset.select_related("organisation", "responsible_collective", "coordinator").annotate(
        attachment_count=Count("attachments", distinct=True)
    )


def support_timeline(support_request: SupportRequest, *, internal: bool) -> QuerySet[SupportEvent]:
    """The request's steps, oldest first; the requester's link leaves out the internal ones."""
    events = SupportEvent.objects.filter(request=support_request).select_related("author", "attachment")
    if not internal:
        events = events.exclude(kind__in=INTERNAL_EVENT_KINDS)
    return events.order_by("created_at", "pk")
