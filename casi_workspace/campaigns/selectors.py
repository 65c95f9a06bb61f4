"""Reads of campaigns: a campaign's public events, its programme's filters and grouping, map, statistics.

Every list here costs a fixed number of queries, whatever the number of events: a national campaign
counts thousands of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from casi_workspace.campaigns.models import CampaignPage
from casi_workspace.organisations.models import DEPARTMENT_CHOICES
from casi_workspace.publications.models.publications import EventPage, EventType
from casi_workspace.publications.selectors.listings import publications_public

# At most this many communes in the commune filter (a national campaign has thousands: the most active).
COMMUNE_CHOICES_MAX = 300
# Events the coordinators' "attach" list offers at once (the soonest not yet attached).
ATTACH_CANDIDATES_MAX = 200


@dataclass(frozen=True)
class ProgrammeFilters:
    """A programme's validated filters; an empty value means "no filter".

    `price` is "free" or "paying", `place` "online" or "onsite"; `accessible` keeps only accessible events.
    """

    department: str = ""
    commune: str = ""
    day: datetime.date | None = None
    event_type: str = ""
    price: str = ""
    place: str = ""
    accessible: bool = False

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass
class CommuneGroup:
    commune: str  # "" for events online
    events: list[EventPage] = field(default_factory=list)


@dataclass
class ProgrammeDay:
    day: datetime.date
    communes: list[CommuneGroup] = field(default_factory=list)


def campaign_events(campaign: CampaignPage) -> QuerySet:
    """The campaign's events a visitor may see (live, public, of a live organisation)."""
    return publications_public(EventPage).filter(campaign=campaign)


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def programme_filter(queryset: QuerySet, filters: ProgrammeFilters) -> QuerySet:
    """The events that match the filters, in the programme's order: day, then commune, then time.

    Online events have no commune: they come first in their day, under "online".
    """
    if filters.department:
        queryset = queryset.filter(department=filters.department)
    if filters.commune:
        queryset = queryset.filter(commune__iexact=filters.commune)
    if filters.day:
        day_start, day_end = _day_bounds(filters.day)
        queryset = queryset.annotate(casi_until=Coalesce("end", "start")).filter(
            start__lt=day_end, casi_until__gte=day_start
        )
    if filters.event_type:
        queryset = queryset.filter(event_type=filters.event_type)
    if filters.price == "free":
        queryset = queryset.filter(is_free=True)
    elif filters.price == "paying":
        queryset = queryset.filter(is_free=False)
    online = Q(commune="") & ~Q(online_url="")
    if filters.place == "online":
        queryset = queryset.filter(online)
    elif filters.place == "onsite":
        queryset = queryset.exclude(online)
    if filters.accessible:
        queryset = queryset.filter(accessible=True)
    return queryset.annotate(casi_day=TruncDate("start", tzinfo=timezone.get_current_timezone())).order_by(
        "casi_day", "commune", "start", "pk"
    )


def programme_group(events: Iterable[EventPage]) -> list[ProgrammeDay]:
    """Events in programme order, grouped by day and, inside a day, by commune (no query)."""
    days: list[ProgrammeDay] = []
    for day, of_day in groupby(events, key=lambda event: timezone.localtime(event.start).date()):
        entry = ProgrammeDay(day=day)
        for commune, of_commune in groupby(of_day, key=lambda event: event.commune.strip()):
            entry.communes.append(CommuneGroup(commune=commune, events=list(of_commune)))
        days.append(entry)
    return days


def programme_filter_choices(queryset: QuerySet) -> dict[str, list[tuple[str, str]]]:
    """The départements and communes that occur in the campaign's events: two queries."""
    items = queryset.order_by()
    labels = dict(DEPARTMENT_CHOICES)
    codes = items.exclude(department="").values_list("department", flat=True).distinct()
    communes = (
        items.exclude(commune="")
        .values_list("commune")
        .annotate(n=Count("pk"))
        .order_by("-n", "commune")[:COMMUNE_CHOICES_MAX]
    )
    return {
        "departments": [(code, labels.get(code, code)) for code in sorted(codes)],
        "communes": sorted(((name, name) for name, _n in communes), key=lambda item: item[1].casefold()),
    }


def campaign_days(campaign: CampaignPage) -> list[datetime.date]:
    """Every day of the campaign, first to last (what the date filter offers)."""
    count = (campaign.end_date - campaign.start_date).days + 1
    return [campaign.start_date + datetime.timedelta(days=n) for n in range(max(count, 0))]


def programme_markers(queryset: QuerySet) -> list[dict[str, Any]]:
    """Map markers: events at a place, at their own position or else their organisation's; one query.

    Each row comes with what `EventPage.get_url` needs (its `url_path`), so links cost no query.
    """
    rows = (
        queryset.exclude(commune="")
        .annotate(
            casi_lat=Coalesce("latitude", "organisation__latitude"),
            casi_lng=Coalesce("longitude", "organisation__longitude"),
        )
        .exclude(casi_lat__isnull=True)
        .exclude(casi_lng__isnull=True)
        .values_list("pk", "title", "url_path", "commune", "start", "casi_lat", "casi_lng")
    )
    return [
        {
            "id": pk,
            "name": title,
            "url_path": url_path,
            "commune": commune,
            "start": start,
            "lat": float(lat),
            "lng": float(lng),
        }
        for pk, title, url_path, commune, start, lat, lng in rows
    ]


def _counted(rows: Iterable[tuple[Any, int]], labels: Mapping[Any, str]) -> list[dict[str, Any]]:
    return [{"key": key, "label": labels.get(key, str(key) if key else "—"), "count": count} for key, count in rows]


def campaign_statistics(
    campaign: CampaignPage, *, registrations_by_event: Mapping[int, int] | None = None
) -> dict[str, Any]:
    """Counts for the coordinators and the network's activity report: live events of the campaign (public
    or not), the organisations that hold them, their communes; by département and by kind. Four queries.

    `registrations_by_event` is the hook for registrations (event pk → count): the statistics show
    registrations only when a caller provides those counts.
    """
    events = EventPage.objects.live().filter(campaign=campaign).order_by()
    totals = events.aggregate(
        events=Count("pk"),
        organisations=Count("organisation", distinct=True),
        communes=Count("commune", distinct=True, filter=~Q(commune="")),
        online=Count("pk", filter=Q(commune="") & ~Q(online_url="")),
        free=Count("pk", filter=Q(is_free=True)),
        accessible=Count("pk", filter=Q(accessible=True)),
    )
    by_department = events.values_list("department").annotate(
        n=Count("pk"),
        organisations=Count("organisation", distinct=True),
        communes=Count("commune", distinct=True, filter=~Q(commune="")),
    )
    department_labels = dict(DEPARTMENT_CHOICES)
    departments = [
        {
            "key": code,
            "label": department_labels.get(code, code) if code else "—",
            "count": n,
            "organisations": organisations,
            "communes": communes,
        }
        for code, n, organisations, communes in sorted(by_department, key=lambda row: (-row[1], row[0]))
    ]
    by_type = events.values_list("event_type").annotate(n=Count("pk")).order_by("-n", "event_type")
    statistics: dict[str, Any] = {
        "totals": totals,
        "by_department": departments,
        "by_type": _counted(by_type, dict(EventType.choices)),
        "registrations": None,
    }
    if registrations_by_event is not None:
        pks = set(events.values_list("pk", flat=True))
        statistics["registrations"] = sum(count for pk, count in registrations_by_event.items() if pk in pks)
    return statistics


def attach_candidates(campaign: CampaignPage) -> QuerySet:
    """Live events within the campaign's dates and in no campaign: what a coordinator may attach, soonest first."""
    first, _ = _day_bounds(campaign.start_date)
    _, after_last = _day_bounds(campaign.end_date)
    return (
        EventPage.objects.live()
        .filter(campaign__isnull=True, start__gte=first, start__lt=after_last)
        .annotate(casi_until=Coalesce("end", "start"))
        .filter(casi_until__lt=after_last)
        .select_related("organisation")
        .order_by("start", "pk")[:ATTACH_CANDIDATES_MAX]
    )


def campaign_attached(campaign: CampaignPage) -> QuerySet:
    """Every event attached to the campaign, live or not, for the coordinators' programme screen."""
    return EventPage.objects.filter(campaign=campaign).select_related("organisation").order_by("start", "pk")
