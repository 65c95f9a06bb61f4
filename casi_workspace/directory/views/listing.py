"""The directory page's views: listing with filters, map markers, exports and statistics."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from casi_workspace.conf import get_setting
from casi_workspace.core.pagination import paginate
from casi_workspace.core.search import clean_query
from casi_workspace.directory.exports import (
    DEFAULT_LAYOUT,
    ExportLayout,
    directory_csv_response,
    directory_json_response,
    directory_xlsx_response,
)
from casi_workspace.directory.forms import DirectoryFilterForm
from casi_workspace.directory.selectors import (
    DirectoryFilters,
    directory_statistics,
    import_profile_find,
    organisation_markers,
    organisations_filter,
)
from casi_workspace.directory.services.imports import column_pairs, pairs
from casi_workspace.exchange.selectors import partner_networks_of, partner_organisations_matching
from casi_workspace.organisations.selectors import organisations_public


def _public(directory, request: HttpRequest) -> QuerySet:
    """The directory's visible organisations, built once per request (`.public()` costs a query)."""
    if not hasattr(request, "_casi_public_organisations"):
        request._casi_public_organisations = organisations_public(directory).order_by("title")
    return request._casi_public_organisations


def _departments(base: QuerySet) -> list[str]:
    return list(base.exclude(department="").order_by("department").values_list("department", flat=True).distinct())


def _filtered(directory, request: HttpRequest) -> tuple[DirectoryFilterForm, DirectoryFilters, QuerySet]:
    base = _public(directory, request)
    form = DirectoryFilterForm(request.GET or None, departments=_departments(base))
    filters = form.filters()
    return form, filters, organisations_filter(base, filters)


def _ids_queryset(directory, request: HttpRequest, results):
    """A queryset for search results, so that exports and markers keep using the ORM."""
    if isinstance(results, QuerySet):
        return results
    return _public(directory, request).filter(pk__in=[page.pk for page in results])


def _for_listing(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("parent_collective").prefetch_related("sectors")


def directory_index(directory, request: HttpRequest) -> TemplateResponse:
    form, filters, results = _filtered(directory, request)
    if isinstance(results, QuerySet):
        results = _for_listing(results)
    page_obj = paginate(request, results)
    if not isinstance(results, QuerySet):
        page_obj.object_list = list(_for_listing(_ids_queryset(directory, request, page_obj.object_list)))
    page_obj.object_list = list(page_obj.object_list)
    networks = partner_networks_of(page_obj.object_list)
    for organisation in page_obj.object_list:
        organisation.partner_networks = networks.get(organisation.pk, [])
    context = directory.get_context(request)
    context.update(
        {
            "filter_form": form,
            "filters": filters,
            "organisations": page_obj,
            "partner_organisations": _partner_organisations(directory, request, filters),
            "links": _links(directory, request),
            "form_action": directory.get_url(request),
            "map_tile_url": get_setting("MAP_TILE_URL"),
            "map_tile_attribution": get_setting("MAP_TILE_ATTRIBUTION"),
        }
    )
    return TemplateResponse(request, directory.get_template(request), context)


def _partner_organisations(directory, request: HttpRequest, filters):
    """The search's separate part for the partner networks' organisations, or None without a search.

    Partner organisations carry none of our directory's classification (type, département, sector…): with
    such a filter chosen, the part is left out rather than listing what the filter cannot judge.
    """
    query = clean_query(filters.q)
    others = {name: value for name, value in vars(filters).items() if name != "q"}
    if not query or any(others.values()):
        return None
    found = partner_organisations_matching(query, known=_public(directory, request))
    return paginate(request, found, param="page_partenaires")


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
        "xlsx": f"{base}{directory.reverse_subpage('export', kwargs={'fmt': 'xlsx'})}{suffix}",
        "statistics": f"{base}{directory.reverse_subpage('statistics')}{suffix}",
    }


def directory_markers(directory, request: HttpRequest) -> JsonResponse:
    _form, _filters, results = _filtered(directory, request)
    base_url = directory.get_url(request)
    markers = organisation_markers(_ids_queryset(directory, request, results))
    for marker in markers:
        marker["url"] = f"{base_url}{marker.pop('slug')}/"
    return JsonResponse({"count": len(markers), "markers": markers})


def _export_layout(request: HttpRequest) -> ExportLayout:
    """The export's own columns, or, with `?profil=<id or name>`, an import profile's headers and values."""
    key = request.GET.get("profil", "")
    if not key:
        return DEFAULT_LAYOUT
    profile = import_profile_find(key)
    if profile is None:
        raise Http404(_("No import profile is named “%(name)s”.") % {"name": key[:100]})
    values = profile.values if isinstance(profile.values, dict) else {}
    return ExportLayout.from_profile(
        column_pairs(profile.columns), {column: pairs(mapped) for column, mapped in values.items()}
    )


def directory_export(directory, request: HttpRequest, fmt: str) -> HttpResponse:
    layout = _export_layout(request)
    _form, _filters, results = _filtered(directory, request)
    queryset = _ids_queryset(directory, request, results)
    base_url = directory.get_full_url(request)
    if fmt == "csv":
        return directory_csv_response(queryset, base_url, layout)
    if fmt == "xlsx":
        return directory_xlsx_response(queryset, base_url, layout)
    return directory_json_response(queryset, base_url, layout)


def directory_statistics_view(directory, request: HttpRequest) -> TemplateResponse:
    form, filters, results = _filtered(directory, request)
    queryset = _ids_queryset(directory, request, results)
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
