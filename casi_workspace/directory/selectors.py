"""The directory's reads: filters, map markers, statistics, the images of an organisation's page and cards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Model,
    Q,
    QuerySet,
)
from django_countries import countries as all_countries
from wagtail.images import get_image_model

from casi_workspace.core.search import clean_query
from casi_workspace.organisations.models import (
    DEPARTMENT_CHOICES,
    ActorType,
    OrganisationPage,
    Sector,
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


# The renditions the public templates ask for ({% srcset_image %}'s filter specs, expanded): a page that loads
# its images through `images_attach` with these finds them all without a query per image.
CARD_IMAGE_SPECS = ("fill-480x270|format-webp", "fill-960x540|format-webp")
CARD_LOGO_SPECS = ("max-96x96|format-webp-lossless", "max-192x192|format-webp-lossless")
PROFILE_LOGO_SPECS = ("max-160x160|format-webp-lossless", "max-320x320|format-webp-lossless")


def images_attach(groups: Iterable[tuple[Sequence[Model], str]], *filter_specs: str) -> None:
    """Load the images that objects point at, with their renditions `filter_specs`: one query once they exist.

    `groups` pairs objects with the name of their image field ("image", "logo"…). The renditions are read with
    their image (the way core.images does for one); an image none of whose renditions exist yet is read with
    Wagtail's `prefetch_renditions`, and the rendition made, once, at the first page that asks for it. Each
    object's field is filled from that read, so that `{% image %}` and its kin need no query of their own.
    """
    groups = [(list(objects), name) for objects, name in groups]
    wanted = {getattr(obj, f"{name}_id") for objects, name in groups for obj in objects} - {None}
    if not wanted:
        return
    Image = get_image_model()
    images: dict[int, Any] = {}
    renditions = Image.get_rendition_model().objects.filter(image_id__in=wanted, filter_spec__in=filter_specs)
    for rendition in renditions.select_related("image").order_by("pk"):
        image = images.get(rendition.image_id)
        if image is None:
            image = images[rendition.image_id] = rendition.image
            image.prefetched_renditions = []
        rendition.image = image
        image.prefetched_renditions.append(rendition)
    missing = wanted - images.keys()
    if missing:
        images.update(
            (image.pk, image) for image in Image.objects.filter(pk__in=missing).prefetch_renditions(*filter_specs)
        )
    for objects, name in groups:
        for obj in objects:
            field = obj._meta.get_field(name)
            image_id = getattr(obj, field.attname)
            if image_id is not None:
                field.set_cached_value(obj, images.get(image_id))
