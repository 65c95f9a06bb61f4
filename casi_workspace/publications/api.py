"""Wagtail API v2 for the public site: pages only, and only what a visitor may read.

Wagtail's `PagesAPIViewSet` lists live pages and hides restricted ones unless the request passes the
restriction (a signed-in user passes a "login" one, a session that gave the password passes a
"password" one). The site's API is a public syndication channel, so this viewset hides every restricted
page whoever asks, the pages past their expiry date that `publish_scheduled` has not unpublished yet,
and the live pages under an unpublished one (an organisation taken offline).
Documents and images have no endpoint: a private document's title or file must not be listed.

Wire it in the site's urls: `path("api/v2/", api_router.urls)`.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from casi_workspace.conf import host_setting
from casi_workspace.core.search import clean_query
from casi_workspace.core.visibility import pages_public
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.publications.models.publications import PublicationPage

SEARCH_OPERATORS = frozenset({"and", "or"})
# Integers past this reach the database as overflows (SQLite) or out-of-range errors: refused with a 400.
MAX_INTEGER = 2**31 - 1


def _is_bounded_integer(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) <= MAX_INTEGER


class BoundedPagination(WagtailPagination):
    """Wagtail's limit/offset pagination; an offset no database can hold is a 400, not a 500."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        if offset.isascii() and offset.isdigit() and int(offset) > MAX_INTEGER:
            raise BadRequestError("offset is too large")
        return super().paginate_queryset(queryset, request, view)


class BoundedFieldsFilter(FieldsFilter):
    """Wagtail's `?field=value` filters; a number too large for an integer column is a 400, not a 500."""

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        for name, value in request.GET.items():
            if name not in fields:
                continue
            try:
                field = queryset.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            integer = isinstance(field, (models.IntegerField, models.AutoField, models.ForeignKey))
            if integer and value.isascii() and value.isdigit() and not _is_bounded_integer(value):
                raise BadRequestError(f"{name} is too large")
        return super().filter_queryset(request, queryset, view)


class CleanSearchFilter(SearchFilter):
    """Wagtail's `?search=`, with the query bounded like the site's search box (no control characters,
    20 words, 200 characters): the database backend builds one expression per word, and an unbounded
    query recurses until it fails."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not host_setting("WAGTAILAPI_SEARCH_ENABLED"):
            raise BadRequestError("search is disabled")
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        operator = request.GET.get("search_operator") or None
        if operator is not None and operator not in SEARCH_OPERATORS:
            raise BadRequestError("search_operator must be 'and' or 'or'")
        try:
            return get_search_backend().search(
                clean_query(request.GET["search"]),
                queryset,
                operator=operator,
                order_by_relevance="order" not in request.GET,
            )
        except FilterFieldError as error:
            raise BadRequestError(f"cannot filter by '{error.field_name}' while searching") from error
        except OrderByFieldError as error:
            raise BadRequestError(f"cannot order by '{error.field_name}' while searching") from error


_FILTERS = {SearchFilter: CleanSearchFilter, FieldsFilter: BoundedFieldsFilter}


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Live, public, unexpired pages; a publication's organisation and tags come with the listing's query."""

    filter_backends = [_FILTERS.get(backend, backend) for backend in PagesAPIViewSet.filter_backends]
    pagination_class = BoundedPagination

    def initial(self, request, *args, **kwargs) -> None:
        # No query-string value may carry a NUL byte: PostgreSQL refuses them in text parameters (a 500).
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequestError("null characters are not allowed")
        super().initial(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet:
        """Wagtail's (live pages of the requested site, none under a view restriction), with the restrictions
        left out by `pages_public`: Wagtail's adds a clause per restriction, too many for SQLite once working
        groups have many folders. Signed in or not, the API answers as it would to a visitor."""
        try:
            site = SiteFilterValidator(site=self.request.GET.get("site"), request=self.request).site_obj
        except ValueError as error:
            raise BadRequestError(str(error)) from error
        if site is None:
            return Page.objects.none()
        visible = pages_public(Page.objects.live().descendant_of(site.root_page, inclusive=True))
        visible = visible.filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))
        # Nor a live page under an unpublished one (an organisation taken offline keeps its items live).
        unpublished_ancestor = Page.objects.filter(
            live=False, depth__lt=OuterRef("depth"), path=Substr(OuterRef("path"), 1, Length("path"))
        )
        visible = visible.exclude(Exists(unpublished_ancestor))
        # By primary key: the search backends accept filters on index.FilterFields only (not expire_at).
        return Page.objects.filter(pk__in=visible.values("pk"))

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if issubclass(queryset.model, PublicationPage):
            queryset = queryset.select_related("organisation").prefetch_related("tags")
        elif issubclass(queryset.model, OrganisationPage):
            queryset = queryset.select_related("parent_collective").prefetch_related("tags")
        return queryset

    def find_object(self, queryset, request):
        if "id" in request.GET and not _is_bounded_integer(request.GET["id"]):
            raise BadRequestError("id must be a positive integer")
        return super().find_object(queryset, request)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
