"""Site search at /recherche/: live, public pages only, whatever the query."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.response import TemplateResponse
from wagtail.models import Page

from casi_workspace.pagination import paginate
from casi_workspace.search import clean_query


def search(request: HttpRequest) -> TemplateResponse:
    query = clean_query(request.GET.get("q", ""))
    results = Page.objects.live().public().search(query) if query else Page.objects.none()
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "search_results": paginate(request, results, per_page=10)},
    )
