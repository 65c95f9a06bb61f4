"""Reads about organisations: the public ones, their details in one query, duplicates, who edits which."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
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


def _duplicate_wanted(*, commune: str, siren: str, rna: str) -> Q:
    wanted = Q(commune__iexact=commune.strip()) if commune else Q()
    if siren:
        wanted |= Q(siren=siren) | Q(siret__startswith=siren)
    if rna:
        wanted |= Q(rna=rna)
    return wanted


def _duplicate_numbers(*, siren: str, siret: str, rna: str) -> tuple[str, str]:
    """(SIREN, RNA) as compared, the SIREN read from the SIRET when only that is given."""
    return compact_identifier(siren) or compact_identifier(siret)[:9], compact_identifier(rna)


_CANDIDATE_FIELDS = ("pk", "title", "commune", "siren", "siret", "rna")
_Candidate = tuple[int, str, str, str, str, str]  # as _CANDIDATE_FIELDS


class DuplicateCandidates:
    """The organisations that may duplicate any of many rows (an import's batch), read in one query; `find`
    answers for one row as `organisation_find_duplicate` does. `reread` follows an organisation the caller
    changed meanwhile (an import's update). Each is kept as the tuple the query gives: a batch may meet
    thousands."""

    def __init__(self, searches: Iterable[dict[str, str]] = (), *, exclude_pk: int | None = None):
        self._queryset = OrganisationPage.objects.exclude(pk=exclude_pk) if exclude_pk else OrganisationPage.objects
        self._by_pk: dict[int, _Candidate] = {}
        self._by_key: dict[tuple[str, str], list[int]] = {}
        self._read: set[tuple[str, str]] = set()  # the keys whose organisations are all in
        self.read(searches)

    def read(self, searches: Iterable[dict[str, str]]) -> None:
        """Read the candidates of rows not read yet (each with a name, commune, siren, rna or siret), in one
        query at most."""
        wanted, keys = Q(), set()
        for search in searches:
            siren, rna = _duplicate_numbers(
                siren=search.get("siren") or "", siret=search.get("siret") or "", rna=search.get("rna") or ""
            )
            commune = (search.get("commune") or "").strip()
            values = {"commune": commune, "siren": siren, "rna": rna}
            new = {name: value for name, value in values.items() if value and (name, value.lower()) not in self._read}
            if new:
                wanted |= _duplicate_wanted(**{**dict.fromkeys(values, ""), **new})
                keys |= {(name, value.lower()) for name, value in new.items()}
        self._read |= keys
        if wanted:
            for candidate in self._queryset.filter(wanted).values_list(*_CANDIDATE_FIELDS):
                if candidate[0] not in self._by_pk:
                    self._add(candidate)

    @staticmethod
    def _keys(candidate: _Candidate) -> list[tuple[str, str]]:
        _pk, _title, commune, siren, siret, rna = candidate
        keys = [("commune", commune.lower()), ("siret", siret[:9]), ("siren", siren), ("rna", rna)]
        return [key for key in keys if key[1]]

    def _add(self, candidate: _Candidate) -> None:
        self._by_pk[candidate[0]] = candidate
        for key in self._keys(candidate):
            self._by_key.setdefault(key, []).append(candidate[0])

    def reread(self, pk: int) -> None:
        old = self._by_pk.pop(pk, None)
        for key in self._keys(old) if old else ():
            self._by_key[key].remove(pk)
        candidate = self._queryset.filter(pk=pk).values_list(*_CANDIDATE_FIELDS).first()
        if candidate is not None:
            self._add(candidate)

    def find(self, *, name: str, commune: str = "", siren: str = "", rna: str = "", siret: str = "") -> int | None:
        """The pk of the organisation with the same SIREN (or SIRET's SIREN) or RNA, the first made if several,
        or else of a close name in the same commune."""
        self.read([{"commune": commune, "siren": siren, "rna": rna, "siret": siret}])
        siren, rna = _duplicate_numbers(siren=siren, siret=siret, rna=rna)
        same_commune = commune.strip().lower()
        by_number: set[int] = set()
        if siren:
            by_number.update(self._by_key.get(("siren", siren), ()))
            if len(siren) == 9:
                by_number.update(self._by_key.get(("siret", siren), ()))
            else:
                by_number |= {
                    pk for pk, *_values, their_siret, _rna in self._by_pk.values() if their_siret.startswith(siren)
                }
        if rna:
            by_number.update(self._by_key.get(("rna", rna), ()))
        if by_number:
            return min(by_number)
        if not same_commune:
            return None
        in_commune = sorted(self._by_key.get(("commune", same_commune), ()))
        return next((pk for pk in in_commune if names_are_close(self._by_pk[pk][1], name)), None)

    def get(self, pk: int | None) -> OrganisationPage | None:
        return self._queryset.get(pk=pk) if pk else None


def organisation_find_duplicate(
    *, name: str, commune: str = "", siren: str = "", rna: str = "", siret: str = "", exclude_pk: int | None = None
) -> OrganisationPage | None:
    """An existing organisation with the same SIREN (or SIRET's SIREN) or RNA, the first made if several, or else
    a close name in the same commune, in two queries at most (`DuplicateCandidates` for many rows at once)."""
    candidates = DuplicateCandidates(exclude_pk=exclude_pk)
    return candidates.get(candidates.find(name=name, commune=commune, siren=siren, rna=rna, siret=siret))


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
