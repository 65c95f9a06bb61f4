"""Read queries shared by pages, exports, feeds and search: one place to keep them correct and fast."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django_countries import countries as all_countries
from wagtail.models import GroupPagePermission, PageViewRestriction

from .conf import get_setting
from .models import OrganisationPage, PublicationPage, Sector
from .models.organisations import DEPARTMENT_CHOICES, ActorType
from .search import clean_query
from .validators import compact_identifier

_WORDS_TO_IGNORE = re.compile(r"\b(association|asso|collectif|les|le|la|l|des|de|du|d|et)\b")


def organisations_public(directory=None) -> QuerySet[OrganisationPage]:
    """Live organisations a visitor may see, optionally those of one directory."""
    queryset = OrganisationPage.objects.live().public()
    if directory is not None:
        queryset = queryset.child_of(directory)
    return queryset


def publications_public(model: type[PublicationPage] = PublicationPage) -> QuerySet:
    """Publications a visitor may see: live, public, not past their expiry date. Everything public reads this.

    `model` narrows to one kind (its own table joined in the same query). An item whose expiry date
    has passed stays live until `publish_scheduled` runs: it is left out from that moment on.
    """
    return (
        model.objects.live()
        .public()
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))
        .select_related("organisation")
    )


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
        return queryset.search(query, operator="and", order_by_relevance=False)
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


def _normalised_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(_WORDS_TO_IGNORE.sub(" ", text).split())


def names_are_close(first: str, second: str) -> bool:
    a, b = _normalised_name(first), _normalised_name(second)
    return bool(a and b) and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.88)


def organisation_find_duplicate(
    *, name: str, commune: str = "", siren: str = "", rna: str = "", siret: str = "", exclude_pk: int | None = None
) -> OrganisationPage | None:
    """An existing organisation with the same SIREN (or SIRET's SIREN) or RNA, or a close name in the same commune."""
    siren = compact_identifier(siren) or compact_identifier(siret)[:9]
    rna = compact_identifier(rna)
    candidates = OrganisationPage.objects.all()
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    identifiers = Q()
    if siren:
        identifiers |= Q(siren=siren) | Q(siret__startswith=siren)
    if rna:
        identifiers |= Q(rna=rna)
    if identifiers:
        match = candidates.filter(identifiers).order_by("pk").first()
        if match:
            return match
    if commune:
        for candidate in candidates.filter(commune__iexact=commune.strip()).only("pk", "title"):
            if names_are_close(candidate.title, name):
                return candidate
    return None


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


def user_is_coordinator(user) -> bool:
    """Superuser or member of the network coordinators' group; remembered on the user for the request."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_casi_is_coordinator"):
        user._casi_is_coordinator = (
            user.is_superuser or user.groups.filter(name=get_setting("COORDINATORS_GROUP")).exists()
        )
    return user._casi_is_coordinator


def organisations_edited_by(user) -> QuerySet[OrganisationPage]:
    """The organisations whose editors' group the user belongs to, as a plain (non-coordinator) editor sees them."""
    return OrganisationPage.objects.filter(workspace__editors_group__user=user).order_by("title").distinct()


def _paths_q(paths: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def pages_visible_to_editor(pages: QuerySet, user) -> QuerySet:
    """What a page chooser may list: live, public pages, plus the subtrees the user may edit.

    Coordinators and superusers see everything; everyone else never sees another organisation's
    drafts or private pages.
    """
    if user_is_coordinator(user):
        return pages
    own = GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True).distinct()
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True).distinct()
    public_live = Q(live=True) & ~_paths_q(restricted)
    return pages.filter(public_live | _paths_q(own))
