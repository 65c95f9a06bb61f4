"""The directory's reads: filters, map markers, statistics, the images of an organisation's page and cards, the
possible duplicates waiting for a decision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django_countries import countries as all_countries

from casi_workspace.core.search import clean_query
from casi_workspace.directory.models import ImportProfile, PossibleDuplicate, PossibleDuplicateStatus
from casi_workspace.organisations.models import (
    DEPARTMENT_CHOICES,
    ActorType,
    OrganisationPage,
    Sector,
)
from casi_workspace.workspaces.models import OrganisationMembership


@dataclass(frozen=True)
class DirectoryFilters:
    """Validated directory filters; an empty value means "no filter"."""

    q: str = ""
    actor_type: str = ""
    department: str = ""
    country: str = ""
    sector: str = ""
    sdg: int | None = None
    status: str = ""

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def organisations_filter(queryset: QuerySet[OrganisationPage], filters: DirectoryFilters):
    """Apply the directory filters, then the full-text query. Returns a queryset or search results.

    Filters on many-to-many and multiple-choice fields go through `pk__in` sub-queries, the form the
    search backends accept.
    """
    if filters.actor_type:
        queryset = queryset.filter(actor_type=filters.actor_type)
    if filters.department:
        queryset = queryset.filter(department=filters.department)
    if filters.status:
        queryset = queryset.filter(membership_status=filters.status)
    related = Q()
    if filters.country:
        related &= Q(countries__contains=filters.country)
    if filters.sector:
        related &= Q(sectors__slug=filters.sector)
    if filters.sdg:
        related &= Q(sdgs__number=filters.sdg)
    if related:
        queryset = queryset.filter(pk__in=OrganisationPage.objects.filter(related).values("pk"))
    query = clean_query(filters.q)
    if query:
        # By primary key: the search backends filter on indexed fields only, not on `pages_public`'s paths.
        searchable = OrganisationPage.objects.filter(pk__in=queryset.values("pk")).order_by(*queryset.query.order_by)
        return searchable.search(query, operator="and", order_by_relevance=False)
    return queryset


def organisation_markers(queryset: QuerySet[OrganisationPage]) -> list[dict[str, Any]]:
    """Map markers: one small dict per organisation with coordinates, from one query."""
    rows = (
        queryset.exclude(latitude__isnull=True)
        .exclude(longitude__isnull=True)
        .order_by("title")
        .values_list("pk", "title", "slug", "commune", "latitude", "longitude")
    )
    return [
        {"id": pk, "name": title, "slug": slug, "commune": commune, "lat": float(lat), "lng": float(lng)}
        for pk, title, slug, commune, lat, lng in rows
    ]


def _counts(rows: Iterable[tuple[Any, int]], labels: dict[Any, str]) -> list[dict[str, Any]]:
    return [{"key": key, "label": labels.get(key, str(key)), "count": count} for key, count in rows if count]


def directory_statistics(queryset: QuerySet[OrganisationPage]) -> dict[str, list[dict[str, Any]]]:
    """Counts of organisations by département, actor type, sector and country, largest first."""
    pks = queryset.values("pk")
    by_department = queryset.values_list("department").annotate(n=Count("pk")).order_by("-n", "department")
    by_type = queryset.values_list("actor_type").annotate(n=Count("pk")).order_by("-n", "actor_type")
    by_sector = (
        Sector.objects.filter(organisations__in=pks)
        .values_list("name")
        .annotate(n=Count("organisations"))
        .order_by("-n", "name")
    )
    country_counts: dict[str, int] = {}
    for (codes,) in queryset.values_list("countries"):
        for code in filter(None, str(codes or "").split(",")):
            country_counts[code] = country_counts.get(code, 0) + 1
    by_country = sorted(country_counts.items(), key=lambda item: (-item[1], item[0]))
    return {
        "department": _counts(by_department, dict(DEPARTMENT_CHOICES)),
        "actor_type": _counts(by_type, dict(ActorType.choices)),
        "sector": _counts(by_sector, {}),
        "country": _counts(by_country, dict(all_countries)),
    }


def _team_size(organisation: str) -> Coalesce:
    members = (
        OrganisationMembership.objects.filter(organisation=OuterRef(organisation))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def possible_duplicates_open() -> QuerySet[PossibleDuplicate]:
    """The pairs waiting for a decision, latest found first, each with both organisations and the size of their
    teams (`team_a`, `team_b`) in one query; an organisation's publications are its child pages (`numchild`)."""
    return (
        PossibleDuplicate.objects.filter(
            status=PossibleDuplicateStatus.OPEN, organisation_a__isnull=False, organisation_b__isnull=False
        )
        .select_related("organisation_a", "organisation_b", "found_by")
        .annotate(team_a=_team_size("organisation_a"), team_b=_team_size("organisation_b"))
        .order_by("-found_at", "-pk")
    )


def possible_duplicates_open_count() -> int:
    return PossibleDuplicate.objects.filter(
        status=PossibleDuplicateStatus.OPEN, organisation_a__isnull=False, organisation_b__isnull=False
    ).count()


def import_profile_find(key: str) -> ImportProfile | None:
    """The import profile a URL names, by its id or its name (case ignored)."""
    key = key.strip()[:100]
    if "\x00" in key:  # no name holds one, and PostgreSQL refuses it in a query
        return None
    if key.isascii() and key.isdigit() and len(key) < 19:  # a bigint
        found = ImportProfile.objects.filter(pk=int(key)).first()
        if found is not None:
            return found
    return ImportProfile.objects.filter(name__iexact=key).first() if key else None
