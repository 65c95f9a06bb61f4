"""Site search at /recherche/: live, public organisations and publications only, whatever the query."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from casi_workspace.core.pagination import paginate

from .selectors import FacetOption, search_filters_from, site_search

PER_PAGE = 10
# The query-string parameter of each facet, and its heading.
FACETS = (("type", _("Type")), ("organisation", _("Organisation")), ("department", _("Département")))


def _facet_links(request: HttpRequest, name: str, options: list[FacetOption]) -> list[dict]:
    """Each option with the address that chooses it (or, when chosen, removes it), other filters kept."""
    links = []
    for option in options:
        query = request.GET.copy()
        query.pop("page", None)
        if option.selected:
            query.pop(name, None)
        else:
            query[name] = option.value
        links.append({"option": option, "url": f"?{query.urlencode()}"})
    return links


def search(request: HttpRequest) -> TemplateResponse:
    outcome = site_search(request.GET.get("q", ""), search_filters_from(request.GET))
    page_obj = paginate(request, outcome.results, per_page=PER_PAGE)
    facets = [(name, label, _facet_links(request, name, outcome.facets.get(name, []))) for name, label in FACETS]
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": outcome.query,
            "search_filters": outcome.filters,
            "search_total": outcome.total,
            "ranked_by_relevance": outcome.ranked_by_relevance,
            "search_results": page_obj,
            "facets": [facet for facet in facets if facet[2]],
            "meta_title": _("Search"),
            "meta_description": _("Search the organisations, news, events and resources of the network."),
        },
    )
