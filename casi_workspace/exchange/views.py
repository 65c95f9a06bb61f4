"""The exchange's public addresses: the data catalogue (a page and its DCAT document) and each dataset's JSON.

Everything here is public and read-only, open to other sites' scripts (CORS). A dataset answers conditional
requests (ETag, Last-Modified): a partner polling an unchanged dataset gets a 304 with no body. A malformed
parameter is a 400 whose JSON names the problem in French.
"""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, urlencode
from django.views.decorators.http import require_safe
from wagtail.models import Site

from casi_workspace.conf import get_setting
from casi_workspace.core.pagination import paginate
from casi_workspace.exchange.exports import catalogue_document, dataset_document
from casi_workspace.exchange.models import PartnerItemKind
from casi_workspace.exchange.selectors import (
    CALENDAR_KINDS,
    DATASETS,
    DIRECTORY_DESCRIPTION,
    FEED_DESCRIPTION,
    FORMAT_VERSION,
    Cursor,
    Dataset,
    ExchangeQueryError,
    catalogue_sources,
    dataset_last_modified,
    dataset_page,
    dataset_withdrawn,
    parse_since,
    parse_size,
    partner_items_public,
)

JSON_LD = "application/ld+json"
CACHE_SECONDS = 300


def _json(
    request: HttpRequest, data: dict, *, content_type: str = "application/json", status: int = 200, last_modified=None
) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    timestamp = last_modified.timestamp() if last_modified else None
    if status == 200:
        conditional = get_conditional_response(request, etag=etag, last_modified=timestamp)
        if conditional is not None:
            conditional["Access-Control-Allow-Origin"] = "*"
            return conditional
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8", status=status)
    response["Access-Control-Allow-Origin"] = "*"
    if status == 200:
        response["ETag"] = etag
        if timestamp:
            response["Last-Modified"] = http_date(timestamp)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _site_name(request: HttpRequest) -> str:
    site = Site.find_for_request(request)
    return (site.site_name if site else "") or request.get_host()


def _dataset_url(request: HttpRequest, dataset: Dataset, **query: str) -> str:
    path = reverse("casi_exchange:dataset", kwargs={"version": f"v{FORMAT_VERSION}", "slug": dataset.slug})
    return request.build_absolute_uri(f"{path}?{urlencode(query)}" if query else path)


@require_safe
def dataset_view(request: HttpRequest, version: str, slug: str) -> HttpResponse:
    """One page of a dataset: `?modifie_depuis=` keeps what changed since then (and lists what was withdrawn),
    `?apres=` is the cursor of the `next` link."""
    dataset = DATASETS.get(slug)
    if dataset is None or version != f"v{FORMAT_VERSION}":
        raise Http404
    try:
        since = parse_since(request.GET.get("modifie_depuis", ""))
        after = Cursor.decode(request.GET["apres"]) if request.GET.get("apres") else None
        size = parse_size(request.GET.get("taille", ""))
    except ExchangeQueryError as exc:
        return _json(request, {"error": exc.message}, status=400)
    found = dataset_page(dataset, since=since, after=after, size=size)
    next_url = None
    if found.next_cursor is not None:
        query = {name: request.GET[name] for name in ("modifie_depuis", "taille") if request.GET.get(name)}
        next_url = _dataset_url(request, dataset, **query, apres=found.next_cursor.encode())
    withdrawn = dataset_withdrawn(dataset, since) if since is not None and after is None else None
    document = dataset_document(
        dataset,
        found.items,
        request,
        withdrawn=withdrawn,
        next_url=next_url,
        licence=get_setting("OPEN_DATA_LICENCE"),
    )
    return _json(request, document, last_modified=dataset_last_modified(dataset))


def _catalogue_entries(request: HttpRequest) -> list[dict]:
    """The catalogue's datasets: the exchange's, then the feeds of each publication index and the directory's
    exports, with their addresses."""
    sources = catalogue_sources()
    entries = [
        {
            "slug": dataset.slug,
            "title": str(dataset.title),
            "description": str(dataset.description),
            "modified": sources.modified.get(dataset.slug),
            "count": sources.counts.get(dataset.slug, 0),
            "distributions": [
                {"title": "JSON (schema.org)", "url": _dataset_url(request, dataset), "format": "application/ld+json"}
            ],
        }
        for dataset in DATASETS.values()
    ]
    for index in sources.indexes:
        base = index.get_full_url(request)
        distributions = [
            {
                "title": "RSS",
                "url": base + index.reverse_subpage("feed", kwargs={"fmt": "rss"}),
                "format": "application/rss+xml",
            },
            {
                "title": "Atom",
                "url": base + index.reverse_subpage("feed", kwargs={"fmt": "atom"}),
                "format": "application/atom+xml",
            },
        ]
        if index.kind in CALENDAR_KINDS:
            distributions.append(
                {"title": "iCalendar", "url": base + index.reverse_subpage("ical"), "format": "text/calendar"}
            )
        entries.append(
            {
                "slug": f"flux-{index.kind}",
                "title": index.title,
                "description": str(FEED_DESCRIPTION),
                "modified": index.last_published_at,
                "count": None,
                "distributions": distributions,
            }
        )
    for directory in sources.directories:
        base = directory.get_full_url(request)
        entries.append(
            {
                "slug": f"annuaire-{directory.pk}",
                "title": directory.title,
                "description": str(DIRECTORY_DESCRIPTION),
                "modified": sources.modified.get("annuaire"),
                "count": None,
                "distributions": [
                    {
                        "title": label,
                        "url": base + directory.reverse_subpage("export", kwargs={"fmt": fmt}),
                        "format": media,
                    }
                    for fmt, label, media in (
                        ("csv", "CSV", "text/csv"),
                        ("json", "JSON", "application/json"),
                        ("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                    )
                ],
            }
        )
    return entries


@require_safe
def catalogue_view(request: HttpRequest) -> TemplateResponse:
    """ "Données ouvertes": what the site publishes, under which licence, and how a partner fetches it."""
    context = {
        "entries": _catalogue_entries(request),
        "licence": get_setting("OPEN_DATA_LICENCE"),
        "catalogue_json_url": reverse("casi_exchange:catalogue_json"),
        "version": FORMAT_VERSION,
        "example_url": _dataset_url(request, DATASETS["evenements"], modifie_depuis="2026-01-31"),
    }
    return TemplateResponse(request, "casi_workspace/pages/data_catalogue.html", context)


@require_safe
def catalogue_json(request: HttpRequest) -> HttpResponse:
    """The catalogue in DCAT, as JSON-LD, for data portals and partners."""
    document = catalogue_document(
        title=_site_name(request),
        home_url=request.build_absolute_uri("/"),
        catalogue_url=request.build_absolute_uri(reverse("casi_exchange:catalogue")),
        licence=get_setting("OPEN_DATA_LICENCE"),
        datasets=_catalogue_entries(request),
    )
    return _json(request, document, content_type=JSON_LD)


@require_safe
def partner_agenda(request: HttpRequest) -> TemplateResponse:
    """ "Agenda des réseaux": the coming events of the partner networks this site follows, each with its source."""
    context = {"items": paginate(request, partner_items_public(PartnerItemKind.EVENT))}
    return TemplateResponse(request, "casi_workspace/pages/partner_agenda.html", context)
