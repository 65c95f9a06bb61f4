"""Pagination that survives any `?page=` a visitor or a robot can type."""

from __future__ import annotations

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from .conf import get_setting


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int | None = None) -> PaginatorPage:
    """Return the requested page; a malformed number gives page 1, one past the end the last page."""
    paginator = Paginator(queryset, per_page or get_setting("PAGE_SIZE"))
    return paginator.get_page(request.GET.get("page", "1")[:12])
