"""Reads about organisations: the public ones, their details in one query, duplicates, who edits which."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    CharField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from taggit.models import Tag
from wagtail.models import Page

from casi_workspace.core.validators import compact_identifier
from casi_workspace.core.visibility import pages_exclude_private, pages_public
from casi_workspace.organisations.models import (
    OrganisationPage,
    Sector,
    SustainableDevelopmentGoal,
    Zone,
)

_WORDS_TO_IGNORE = re.compile(r"\b(association|asso|collectif|les|le|la|l|des|de|du|d|et)\b")


def organisations_public(directory=None) -> QuerySet[OrganisationPage]:
    """Live organisations a visitor may see, optionally those of one directory."""
    queryset = pages_public(OrganisationPage.objects.live())
    if directory is not None:
        queryset = queryset.child_of(directory)
    return queryset


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
    """An existing organisation with the same SIREN (or SIRET's SIREN) or RNA, the first made if several, or else
    a close name in the same commune. The candidates are read in one query (an import asks once a row)."""
    siren = compact_identifier(siren) or compact_identifier(siret)[:9]
    rna = compact_identifier(rna)
    candidates = OrganisationPage.objects.all()
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    wanted = Q(commune__iexact=commune.strip()) if commune else Q()
    if siren:
        wanted |= Q(siren=siren) | Q(siret__startswith=siren)
    if rna:
        wanted |= Q(rna=rna)
    if not wanted:
        return None
    found = sorted(candidates.filter(wanted).values_list("pk", "title", "commune", "siren", "siret", "rna"))
    same_number = (
        pk
        for pk, _title, _commune, their_siren, their_siret, their_rna in found
        if (siren and (their_siren == siren or their_siret.startswith(siren))) or (rna and their_rna == rna)
    )
    same_commune = commune.strip().lower()
    close_name = (
        pk
        for pk, title, their_commune, *_numbers in found
        if same_commune and their_commune.lower() == same_commune and names_are_close(title, name)
    )
    pk = next(same_number, None) or next(close_name, None)
    return candidates.get(pk=pk) if pk else None


def organisations_edited_by(user) -> QuerySet[OrganisationPage]:
    """The organisations whose editors' group the user belongs to, as a plain (non-coordinator) editor sees them."""
    return OrganisationPage.objects.filter(workspace__editors_group__user=user).order_by("title").distinct()


@dataclass
class OrganisationDetails:
    """What an organisation's page lists besides its own columns, read in one query."""

    zones: list[str]
    sectors: list[str]
    sdgs: list[str]
    tags: list[str]
    collective: OrganisationPage | None
    members: list[OrganisationPage]


def _organisation_details_in_memory(organisation: OrganisationPage) -> OrganisationDetails:
    """A preview's details: the relations as the editor left them, not as saved."""
    members = []
    if organisation.is_collective and organisation.pk:
        members = list(pages_exclude_private(organisation.collective_members.live()).order_by("title"))
    collective = organisation.parent_collective
    return OrganisationDetails(
        zones=[zone.name for zone in organisation.zones.all()],
        sectors=[sector.name for sector in organisation.sectors.all()],
        sdgs=[str(goal) for goal in organisation.sdgs.all()],
        tags=[tag.name for tag in organisation.tags.all()],
        collective=collective if collective is not None and collective.live else None,
        members=members,
    )


def organisation_details(organisation: OrganisationPage, *, preview: bool = False) -> OrganisationDetails:
    """Zones, sectors, goals, keywords, live collective and live public members of an organisation: one query.

    A UNION of small selects, one per relation; the collective and the members come back as deferred
    `OrganisationPage` instances (title and address loaded; anything else is read on access). The
    collective is also put in the page's `parent_collective` cache, which its JSON-LD reads.
    """
    if preview:
        return _organisation_details_in_memory(organisation)

    def rows(queryset: QuerySet, name: str, label: str, sort: str | Any, url_path: str = "") -> QuerySet:
        return queryset.order_by().values_list(
            Value(name, output_field=CharField()),
            "pk",
            label,
            F(url_path) if url_path else Value("", output_field=CharField()),
            F(sort) if isinstance(sort, str) else sort,
        )

    zero = Value(0, output_field=IntegerField())
    live = Cast("live", IntegerField())
    parts = [
        rows(Zone.objects.filter(organisationpage=organisation.pk), "zone", "name", "sort_order"),
        rows(Sector.objects.filter(organisations=organisation.pk), "sector", "name", "sort_order"),
        rows(SustainableDevelopmentGoal.objects.filter(organisations=organisation.pk), "sdg", "name", "number"),
        rows(
            Tag.objects.filter(casi_workspace_organisationtag_items__content_object=organisation.pk),
            "tag",
            "name",
            zero,
        ),
        rows(
            OrganisationPage.objects.filter(pk=organisation.parent_collective_id),
            "collective",
            "title",
            live,
            "url_path",
        ),
    ]
    if organisation.is_collective:
        members = pages_exclude_private(organisation.collective_members.live())
        parts.append(rows(members, "member", "title", zero, "url_path"))
    details = OrganisationDetails(zones=[], sectors=[], sdgs=[], tags=[], collective=None, members=[])
    found = parts[0].union(*parts[1:], all=True)
    fields = ["page_ptr_id", "id", "title", "url_path", "live"]
    for name, pk, label, url_path, sort in sorted(found, key=lambda row: (row[0], row[4], row[2].casefold())):
        if name == "collective":
            collective = OrganisationPage.from_db(found.db, fields, [pk, pk, label, url_path, bool(sort)])
            OrganisationPage.parent_collective.field.set_cached_value(organisation, collective)
            details.collective = collective if collective.live else None
        elif name == "member":
            details.members.append(OrganisationPage.from_db(found.db, fields, [pk, pk, label, url_path, True]))
        elif name == "sdg":
            details.sdgs.append(f"{sort}. {label}")
        else:
            getattr(details, f"{name}s").append(label)
    return details


def page_organisation(page: Page) -> OrganisationPage | None:
    """The organisation a page belongs to: the page itself or its nearest organisation ancestor, in one query."""
    steplen = page.steplen
    paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    return OrganisationPage.objects.filter(path__in=paths).order_by("-depth").first()
