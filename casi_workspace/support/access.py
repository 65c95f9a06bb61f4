"""Who may see support requests: the one answer for the admin's menu, list, detail and file downloads.

The network's coordinators see every request; a collective's coordinators see the requests their collective
is in charge of, never another's. Association editors see none (not even their own organisation's: the
requester follows theirs through the emailed link).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet

from casi_workspace.core.permissions import user_is_coordinator
from casi_workspace.support.models import SupportRecord, SupportRequest
from casi_workspace.workspaces.models import OrganisationWorkspace


@dataclass(frozen=True)
class SupportAccess:
    user: object

    @cached_property
    def is_network_coordinator(self) -> bool:
        return user_is_coordinator(self.user)

    @cached_property
    def collective_ids(self) -> frozenset[int]:
        """The collectives whose coordinators' group the user belongs to."""
        if not getattr(self.user, "is_authenticated", False):
            return frozenset()
        return frozenset(
            OrganisationWorkspace.objects.filter(coordinators_group__user=self.user).values_list(
                "organisation_id", flat=True
            )
        )

    @property
    def may_list(self) -> bool:
        return self.is_network_coordinator or bool(self.collective_ids)

    def visible(self, queryset: QuerySet[SupportRequest] | None = None) -> QuerySet[SupportRequest]:
        queryset = SupportRequest.objects.all() if queryset is None else queryset
        if self.is_network_coordinator:
            return queryset
        return queryset.filter(responsible_collective_id__in=self.collective_ids)

    def may_view(self, support_request: SupportRequest) -> bool:
        return self.is_network_coordinator or support_request.responsible_collective_id in self.collective_ids

    def visible_records(self, queryset: QuerySet[SupportRecord] | None = None) -> QuerySet[SupportRecord]:
        """The figures' records the user may count: those of the requests they may see, erased ones included."""
        queryset = SupportRecord.objects.all() if queryset is None else queryset
        if self.is_network_coordinator:
            return queryset
        return queryset.filter(responsible_collective_id__in=self.collective_ids)
