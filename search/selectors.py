"""The site search's read queries: organisations and publications, with facets, in a fixed number of queries.

Everything starts from `publications_public()` and `organisations_public()` (live, public, not expired).
The search backend (modelsearch's database backend: FTS5 on SQLite, tsvector on PostgreSQL) counts the
facets itself with `SearchResults.facet(field)`, one GROUP BY query per facet, on `index.FilterField`s only.
Facets are disjunctive: each one counts with the other facets' filters applied but not its own, so that a
visitor sees the other choices of the facet already chosen.

Query plan, whatever the number of matches: the private-pages lookup of each selector (2), the chosen
organisation (1, when one is chosen), 5 facet queries, the organisations' names for the facet (1), the
page of results ranked across both models, its rows joined (1).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import QueryDict
from wagtail.models import Page

from casi_workspace.core.search import clean_query
from casi_workspace.models import PUBLICATION_MODELS, OrganisationPage, PublicationPage
from casi_workspace.organisations.models import DEPARTMENT_CHOICES
from casi_workspace.organisations.selectors import organisations_public
from casi_workspace.publications.selectors.listings import publications_public

ORGANISATION_TYPE = "organisation"
SEARCH_OPERATOR = "and"
ORGANISATION_FACET_SIZE = 12
# Beyond this many matches (setting SEARCH_RELEVANCE_LIMIT), results come newest first: ranking scores
# every match for every row of the page (SQLite's backend takes seconds at a few thousand matches, 25 s
# at 15,000); a visitor narrows such a search with the facets anyway.
RELEVANCE_LIMIT = 1000

_SLUG = re.compile(r"^[-\w]{1,255}$")
_DEPARTMENTS = dict(DEPARTMENT_CHOICES)


@dataclass(frozen=True)
class SearchFilters:
    """Validated search filters; an empty value means "no filter"."""

    type: str = ""  # ORGANISATION_TYPE or a publication kind
    organisation: str = ""  # an organisation's slug
    department: str = ""


def search_types() -> list[tuple[str, Any]]:
    """The values of the type facet, in display order, with their (plural) labels."""
    return [(ORGANISATION_TYPE, OrganisationPage._meta.verbose_name_plural)] + [
        (kind, model._meta.verbose_name_plural) for kind, model in PUBLICATION_MODELS.items()
    ]


def search_filters_from(params: QueryDict) -> SearchFilters:
    """Read the filters from a query string; a value that is not a known type, slug or département is dropped."""
    kind = params.get("type", "")
    organisation = params.get("organisation", "")
    department = params.get("department", "")
    return SearchFilters(
        type=kind if kind in dict(search_types()) else "",
        organisation=organisation if _SLUG.match(organisation) else "",
        department=department if department in _DEPARTMENTS else "",
    )


@dataclass
class FacetOption:
    value: str
    label: Any
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    """One row of the results, with what the template shows; `page` is the specific page (no query on access)."""

    page: Page
    kind: str
    kind_label: Any
    organisation: OrganisationPage | None
    summary: str
    date: Any


class RankedResults:
    """The results of both models ranked together, for Django's paginator.

    Its length is known from the facet counts (no COUNT query); slicing runs the search for that page
    only, its rows joined to their own table (and a publication's organisation) in the same query.
    """

    def __init__(self, search_results, total: int) -> None:
        self._search_results = search_results
        self._total = total

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, item: slice) -> list[SearchResult]:
        if not isinstance(item, slice):
            raise TypeError("RankedResults supports slices only")
        if self._search_results is None:
            return []
        return [row for row in map(search_row, self._search_results[item]) if row is not None]


def search_row(page: Page) -> SearchResult | None:
    """What a result shows, read from the page's joined rows (`select_related`): no query."""
    try:
        item = page.publicationpage
    except ObjectDoesNotExist:
        item = None
    if item is not None:
        model = PUBLICATION_MODELS.get(item.kind, PublicationPage)
        return SearchResult(
            page=item,
            kind=item.kind,
            kind_label=model._meta.verbose_name,
            organisation=item.organisation,
            summary=item.summary,
            date=item.listing_date,
        )
    try:
        organisation = page.organisationpage
    except ObjectDoesNotExist:
        return None
    return SearchResult(
        page=organisation,
        kind=ORGANISATION_TYPE,
        kind_label=OrganisationPage._meta.verbose_name,
        organisation=None,
        summary=organisation.description,
        date=None,
    )


@dataclass
class SiteSearch:
    query: str
    filters: SearchFilters
    total: int = 0
    results: RankedResults | list = field(default_factory=list)
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    ranked_by_relevance: bool = True


def _facet_options(counts: Counter, labels: dict, selected: str, *, order: list | None = None) -> list[FacetOption]:
    """Options with at least one match (the selected one always), in `order` or by count then label."""
    keys = list(order if order is not None else counts)
    if selected and selected not in keys:
        keys.append(selected)
    keys = [key for key in keys if counts.get(key) or key == selected]
    if order is None:
        keys.sort(key=lambda key: (-counts[key], str(labels.get(key, key)).casefold()))
    return [
        FacetOption(value=key, label=labels.get(key, key), count=counts.get(key, 0), selected=key == selected)
        for key in keys
        if key in labels
    ]


def site_search(raw_query: str, filters: SearchFilters) -> SiteSearch:
    """Search live public organisations and publications; facets by type, organisation and département."""
    query = clean_query(raw_query)
    outcome = SiteSearch(query=query, filters=filters)
    if not query:
        return outcome

    # Restrict by primary key rather than filter the selectors' querysets directly: the search backends
    # accept filters on index.FilterFields only, and the expiry date is not one.
    # A live item of an unpublished organisation is left out too: its organisation's page is a 404.
    publications = PublicationPage.objects.filter(
        pk__in=publications_public().filter(organisation__live=True).values("pk")
    )
    organisations = OrganisationPage.objects.filter(pk__in=organisations_public().values("pk"))

    organisation_id = None
    if filters.organisation:
        organisation_id = organisations.filter(slug=filters.organisation).values_list("pk", flat=True).first()
        if organisation_id is None:
            filters = SearchFilters(type=filters.type, department=filters.department)
            outcome.filters = filters
    kind = filters.type if filters.type in PUBLICATION_MODELS else ""
    with_organisations = filters.type in ("", ORGANISATION_TYPE)
    with_publications = filters.type != ORGANISATION_TYPE

    def publications_where(*, by_kind: bool = True, by_organisation: bool = True, by_department: bool = True):
        queryset = publications
        if by_kind and kind:
            queryset = queryset.filter(kind=kind)
        if by_organisation and organisation_id is not None:
            queryset = queryset.filter(organisation=organisation_id)
        if by_department and filters.department:
            queryset = queryset.filter(department=filters.department)
        return queryset

    def organisations_where(*, by_organisation: bool = True, by_department: bool = True):
        queryset = organisations
        if by_organisation and organisation_id is not None:
            queryset = queryset.filter(pk=organisation_id)
        if by_department and filters.department:
            queryset = queryset.filter(department=filters.department)
        return queryset

    def facet(queryset: QuerySet, name: str) -> Counter:
        return Counter(queryset.search(query, operator=SEARCH_OPERATOR, order_by_relevance=False).facet(name))

    # Type: publications by kind, and the organisations, each with the organisation and département filters.
    kinds = facet(publications_where(by_kind=False), "kind")
    organisations_found = facet(organisations_where(by_organisation=False), "id")
    if organisation_id is not None:
        organisations_count = organisations_found.get(organisation_id, 0)
    else:
        organisations_count = sum(organisations_found.values())
    types = Counter(kinds)
    types[ORGANISATION_TYPE] = organisations_count

    # Organisation: its publications, and itself when it matches, with the type and département filters.
    by_organisation: Counter = Counter()
    if with_publications:
        by_organisation.update(
            {pk: count for pk, count in facet(publications_where(by_organisation=False), "organisation_id").items()}
        )
    if with_organisations:
        by_organisation.update(organisations_found)
    by_organisation.pop(None, None)

    # Département: publications' and organisations', with the type and organisation filters.
    departments: Counter = Counter()
    if with_publications:
        departments.update(facet(publications_where(by_department=False), "department"))
    if with_organisations:
        departments.update(facet(organisations_where(by_department=False), "department"))
    departments.pop("", None)

    shown = sorted(by_organisation, key=lambda pk: -by_organisation[pk])[: ORGANISATION_FACET_SIZE * 2]
    if organisation_id is not None and organisation_id not in shown:
        shown.append(organisation_id)
    names = {
        pk: (slug, title)
        for pk, slug, title in OrganisationPage.objects.filter(pk__in=shown).values_list("pk", "slug", "title")
    }
    organisation_counts = Counter({names[pk][0]: by_organisation[pk] for pk in shown if pk in names})
    organisation_options = _facet_options(
        organisation_counts, {slug: title for slug, title in names.values()}, filters.organisation
    )
    selected = [option for option in organisation_options if option.selected]
    organisation_options = organisation_options[:ORGANISATION_FACET_SIZE]
    if selected and selected[0] not in organisation_options:
        organisation_options.append(selected[0])

    outcome.facets = {
        "type": _facet_options(types, dict(search_types()), filters.type, order=[key for key, _ in search_types()]),
        "organisation": organisation_options,
        "department": _facet_options(departments, _DEPARTMENTS, filters.department),
    }

    total = 0
    if with_publications:
        total += kinds.get(kind, 0) if kind else sum(kinds.values())
    if with_organisations:
        total += organisations_count
    outcome.total = total

    # The results of both models ranked together by the backend's relevance score, or newest first.
    ranked = None
    if total:
        selection = Q()
        if with_publications:
            selection |= Q(pk__in=publications_where().values("pk"))
        if with_organisations:
            selection |= Q(pk__in=organisations_where().values("pk"))
        pages = (
            Page.objects.filter(selection)
            .select_related("publicationpage__organisation", "organisationpage")
            .defer("publicationpage__body")
        )
        relevance_limit = getattr(settings, "SEARCH_RELEVANCE_LIMIT", RELEVANCE_LIMIT)
        outcome.ranked_by_relevance = total <= relevance_limit
        if outcome.ranked_by_relevance:
            ranked = pages.search(query, operator=SEARCH_OPERATOR)
        else:
            ranked = pages.order_by("-first_published_at").search(
                query, operator=SEARCH_OPERATOR, order_by_relevance=False
            )
    outcome.results = RankedResults(ranked, total)
    return outcome
