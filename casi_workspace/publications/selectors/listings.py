"""Reads of publications: the public ones, each index's listing and filters, the latest, the open calls."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from taggit.models import Tag

from casi_workspace.core.visibility import pages_exclude_private, pages_public
from casi_workspace.organisations.models import (
    DEPARTMENT_CHOICES,
    OrganisationPage,
)
from casi_workspace.publications.models.publications import PUBLICATION_MODELS, PublicationPage, PublicationTag


def publications_public(model: type[PublicationPage] = PublicationPage) -> QuerySet:
    """Publications a visitor may see: live, public, not past their expiry date, of a live organisation.

    Everything public reads this. `model` narrows to one kind (its own table joined in the same query).
    An item whose expiry date has passed stays live until `publish_scheduled` runs: it is left out from
    that moment on. Items of an unpublished organisation page stay out of listings, feeds and sitemap.
    """
    return (
        pages_public(model.objects.live())
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()), organisation__live=True)
        .select_related("organisation")
    )


@dataclass(frozen=True)
class PublicationFilters:
    """Validated filters of a publication index; an empty value means "no filter".

    `when` is "upcoming" or "past" on the agenda and the trainings (empty elsewhere); `month` is the
    first day of the chosen month. `networks` is "ce-reseau" (ours only, the default), "partenaires" or "tout"
    where partner networks' items can be listed (NETWORKS_OWN…), empty elsewhere.
    """

    organisation: str = ""
    department: str = ""
    tag: str = ""
    type: str = ""
    when: str = ""
    month: datetime.date | None = None
    networks: str = ""

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in ("organisation", "department", "tag", "type", "month"))


# The column each kind's "type" filter reads, when the kind has one.
PUBLICATION_TYPE_FIELDS: dict[str, str] = {"offer": "offer_kind", "resource": "resource_kind", "project": "status"}
# Whose items an index lists, where a site also receives partner networks' items: the address's values.
NETWORKS_OWN = "ce-reseau"
NETWORKS_PARTNERS = "partenaires"
NETWORKS_ALL = "tout"
# Kinds listed as an agenda: upcoming or past, by month.
DATED_KINDS = frozenset({"event", "training"})


def _month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
    following = datetime.datetime(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, timezone.make_aware(following)


def publications_open(queryset: QuerySet, kind: str) -> QuerySet:
    """Leave out calls past their deadline, and offers past theirs when they have one (today still counts).

    `kind` empty means a queryset of `PublicationPage` mixing every kind.
    """
    today = timezone.localdate()
    if kind == "call":
        return queryset.filter(deadline__gte=today)
    if kind == "offer":
        return queryset.filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
    if not kind:  # every kind at once (an organisation's page): the kinds' own tables are joined
        return queryset.exclude(callforprojectspage__deadline__lt=today).exclude(offerpage__deadline__lt=today)
    return queryset


def publications_for_index(kind: str, filters: PublicationFilters, *, base: QuerySet | None = None) -> QuerySet:
    """One index's listing: its kind's public items, open ones only, filtered and ordered; tags prefetched.

    Everything a row shows comes from this query and the one tags prefetch. Pass `base` (the kind's
    `publications_public`) when the caller already built it, to spare the private-pages query.
    """
    queryset = base if base is not None else publications_public(PUBLICATION_MODELS[kind])
    queryset = publications_open(queryset, kind)
    if filters.organisation:
        queryset = queryset.filter(organisation__slug=filters.organisation)
    if filters.department:
        queryset = queryset.filter(department=filters.department)
    if filters.tag:
        queryset = queryset.filter(pk__in=PublicationTag.objects.filter(tag__slug=filters.tag).values("content_object"))
    type_field = PUBLICATION_TYPE_FIELDS.get(kind)
    if type_field and filters.type:
        queryset = queryset.filter(**{type_field: filters.type})
    order: list[Any] = ["-first_published_at", "-pk"]
    if kind in DATED_KINDS:
        queryset = queryset.annotate(casi_until=Coalesce("end", "start"))
        now = timezone.now()
        if filters.month:
            month_start, month_end = _month_bounds(filters.month)
            queryset = queryset.filter(start__lt=month_end, casi_until__gte=month_start)
        if filters.when == "past":
            queryset = queryset.filter(casi_until__lt=now)
            order = ["-start", "-pk"]
        else:
            if filters.when == "upcoming":
                queryset = queryset.filter(casi_until__gte=now)
            order = ["start", "pk"]
    elif kind == "call":
        order = ["deadline", "-first_published_at", "-pk"]
    elif kind == "offer":
        order = [F("deadline").asc(nulls_last=True), "-first_published_at", "-pk"]
    return queryset.order_by(*order).prefetch_related("tags")


FILTER_CHOICES_MAX = 100  # organisations, and keywords, offered by a publication index's filters
MONTH_CHOICES_MAX = 36  # months offered by the agenda's month filter
MONTH_CHOICES_PAST = 12  # how many months back the month filter starts


def _months_back(day: datetime.date, count: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - count
    return datetime.date(index // 12, index % 12 + 1, 1)


def publication_months(base: QuerySet, *, limit: int = MONTH_CHOICES_MAX) -> list[datetime.date]:
    """The months in which an agenda's items start or end, from a year back on, soonest first: one query.

    `base` is the kind's public queryset (events or trainings). At most `limit` months, each the first day
    of its month in the site's time zone: what the month filter offers, never a month with nothing in it.
    """
    first = _months_back(timezone.localdate(), MONTH_CHOICES_PAST)
    since = timezone.make_aware(datetime.datetime(first.year, first.month, 1))
    items = base.order_by()
    starts = items.filter(start__gte=since).annotate(month=TruncMonth("start")).values_list("month", flat=True)
    ends = items.filter(end__gte=since).annotate(month=TruncMonth("end")).values_list("month", flat=True)
    months = starts.union(ends).order_by("month")[:limit]
    return [timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month for month in months]


def publication_filter_choices(base: QuerySet, *, organisation: str = "", tag: str = "") -> dict[str, list[Any]]:
    """The organisations, départements and keywords that occur in an index, in three queries (and, on an
    agenda, its months in a fourth: `publication_months`).

    `base` is the kind's public queryset; choices never offer an organisation or a keyword with nothing here.
    Organisations and keywords are those with the most items, FILTER_CHOICES_MAX at most (alphabetical), and
    always the one chosen (`organisation`, `tag`): with thousands of organisations a complete list would make
    every page of the index hundreds of kilobytes and the list unusable; each organisation's page lists all
    of its publications.
    """
    items = base.order_by()
    top_organisations = (
        items.exclude(organisation__isnull=True)
        .values_list("organisation__slug", "organisation__title")
        .annotate(items=Count("pk"), chosen=Case(When(organisation__slug=organisation, then=1), default=0))
        .order_by("-chosen", "-items", "organisation__title")[:FILTER_CHOICES_MAX]
    )
    codes = items.exclude(department="").values_list("department", flat=True).distinct()
    department_labels = dict(DEPARTMENT_CHOICES)
    top_tags = (
        Tag.objects.filter(casi_workspace_publicationtag_items__content_object__in=items.values("pk"))
        .values_list("slug", "name")
        .annotate(items=Count("pk"), chosen=Case(When(slug=tag, then=1), default=0))
        .order_by("-chosen", "-items", "name")[:FILTER_CHOICES_MAX]
    )
    return {
        "organisations": sorted(
            ((slug, title) for slug, title, _n, _chosen in top_organisations), key=lambda item: item[1].casefold()
        ),
        "departments": [(code, department_labels.get(code, code)) for code in sorted(codes)],
        "tags": sorted(((slug, name) for slug, name, _n, _chosen in top_tags), key=lambda item: item[1].casefold()),
        "months": publication_months(items) if base.model.kind_value in DATED_KINDS else [],
    }


def publications_latest(model: type[PublicationPage] = PublicationPage, *, limit: int = 3, **lookups) -> list:
    """The newest public items of a kind (or of every kind), in one query: home page and organisation page."""
    queryset = publications_public(model).filter(**lookups)
    return list(publications_open(queryset, model.kind_value).order_by("-first_published_at", "-pk")[:limit])


def events_next(model: type[PublicationPage], *, limit: int = 3) -> list:
    """The next events (or trainings) not yet over, soonest first, in one query."""
    queryset = publications_public(model).annotate(casi_until=Coalesce("end", "start"))
    return list(queryset.filter(casi_until__gte=timezone.now()).order_by("start", "pk")[:limit])


def calls_open(model: type[PublicationPage], *, limit: int = 3) -> list:
    """Calls for projects still open, closest deadline first, in one query."""
    return list(publications_open(publications_public(model), "call").order_by("deadline", "pk")[:limit])


def organisation_publications_latest(organisation: OrganisationPage, *, limit: int = 6) -> list[PublicationPage]:
    """An organisation's newest live public publications of every kind, closed calls and offers left out: one query.

    Same rows as `publications_public()` filtered on the organisation, with the private-pages check
    inside the query (the organisation's page has no query to spare).
    """
    queryset = (
        PublicationPage.objects.live()
        .filter(organisation=organisation.pk)
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))
    )
    queryset = publications_open(pages_exclude_private(queryset), "")
    # An event or a training is dated by when it takes place, not by when it was announced.
    queryset = queryset.annotate(starts_at=Coalesce("eventpage__start", "trainingpage__start"))
    items = list(queryset.order_by("-first_published_at", "-pk")[:limit])
    for item in items:  # "Event", "Call for projects"…: the kind's own name, singular
        item.kind_label = PUBLICATION_MODELS[item.kind].get_verbose_name()
    return items
