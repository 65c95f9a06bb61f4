"""Pagination that survives any `?page=` a visitor or a robot can type."""

from __future__ import annotations

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from casi_workspace.conf import get_setting


def paginate(
    request: HttpRequest, queryset: QuerySet, per_page: int | None = None, *, param: str = "page"
) -> PaginatorPage:
    """Return the requested page; a malformed number gives page 1, one past the end the last page.

    `param` names the query parameter, for pages that show several lists.
    """
    paginator = Paginator(queryset, per_page or get_setting("PAGE_SIZE"))
    page = paginator.get_page(request.GET.get(param, "1")[:12])
    page.param = param
    return page
