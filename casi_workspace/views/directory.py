"""The directory page's views: listing with filters, map markers, exports and statistics."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

from ..conf import get_setting
from ..exports import directory_csv_response, directory_json_response
from ..forms import DirectoryFilterForm
from ..pagination import paginate
from ..selectors import (
    DirectoryFilters,
    directory_statistics,
    organisation_markers,
    organisations_filter,
    organisations_public,
    organisations_with_relations,
)


def _departments(directory) -> list[str]:
    return list(
        organisations_public(directory)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )


def _filtered(directory, request: HttpRequest) -> tuple[DirectoryFilterForm, DirectoryFilters, QuerySet]:
    form = DirectoryFilterForm(request.GET or None, departments=_departments(directory))
    filters = form.filters()
    base = organisations_public(directory).order_by("title")
    return form, filters, organisations_filter(base, filters)


def _ids_queryset(directory, results):
    """A queryset for search results, so that exports and markers keep using the ORM."""
    if isinstance(results, QuerySet):
        return results
    return organisations_public(directory).filter(pk__in=[page.pk for page in results]).order_by("title")


def directory_index(directory, request: HttpRequest) -> TemplateResponse:
    form, filters, results = _filtered(directory, request)
    if isinstance(results, QuerySet):
        results = organisations_with_relations(results)
    page_obj = paginate(request, results)
    if not isinstance(results, QuerySet):
        page_obj.object_list = list(
            organisations_with_relations(
                organisations_public(directory).filter(pk__in=[o.pk for o in page_obj])
            ).order_by("title")
        )
    context = directory.get_context(request)
    context.update(
        {
            "filter_form": form,
            "filters": filters,
            "organisations": page_obj,
            "links": _links(directory, request),
            "form_action": directory.get_url(request),
            "map_tile_url": get_setting("MAP_TILE_URL"),
            "map_tile_attribution": get_setting("MAP_TILE_ATTRIBUTION"),
        }
    )
    return TemplateResponse(request, directory.get_template(request), context)


def _links(directory, request: HttpRequest) -> dict[str, str]:
    """The directory's sub-addresses, each carrying the current filters."""
    query = request.GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    base = directory.get_url(request)
    return {
        "index": f"{base}{suffix}",
        "markers": f"{base}{directory.reverse_subpage('markers')}{suffix}",
        "csv": f"{base}{directory.reverse_subpage('export', kwargs={'fmt': 'csv'})}{suffix}",
        "json": f"{base}{directory.reverse_subpage('export', kwargs={'fmt': 'json'})}{suffix}",
        "statistics": f"{base}{directory.reverse_subpage('statistics')}{suffix}",
    }


def directory_markers(directory, request: HttpRequest) -> JsonResponse:
    _form, _filters, results = _filtered(directory, request)
    base_url = directory.get_url(request)
    markers = organisation_markers(_ids_queryset(directory, results))
    for marker in markers:
        marker["url"] = f"{base_url}{marker.pop('slug')}/"
    return JsonResponse({"count": len(markers), "markers": markers})


def directory_export(directory, request: HttpRequest, fmt: str) -> HttpResponse:
    _form, _filters, results = _filtered(directory, request)
    queryset = _ids_queryset(directory, results)
    base_url = directory.get_full_url(request)
    if fmt == "csv":
        return directory_csv_response(queryset, base_url)
    return directory_json_response(queryset, base_url)


def directory_statistics_view(directory, request: HttpRequest) -> TemplateResponse:
    form, filters, results = _filtered(directory, request)
    queryset = _ids_queryset(directory, results)
    context = directory.get_context(request)
    context.update(
        {
            "filter_form": form,
            "filters": filters,
            "links": _links(directory, request),
            "form_action": f"{directory.get_url(request)}{directory.reverse_subpage('statistics')}",
            "statistics": directory_statistics(queryset),
            "total": queryset.count(),
        }
    )
    return TemplateResponse(request, "casi_workspace/pages/directory_statistics.html", context)
