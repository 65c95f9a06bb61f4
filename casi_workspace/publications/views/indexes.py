"""The network's publication indexes: listing, filters and pagination."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from casi_workspace.core.images import CARD_IMAGE_SPECS, images_attach
from casi_workspace.core.pagination import paginate
from casi_workspace.publications.forms.filters import PublicationFilterForm
from casi_workspace.publications.models.publications import PUBLICATION_MODELS, PublicationPage
from casi_workspace.publications.selectors.listings import (
    DATED_KINDS,
    MONTH_CHOICES_MAX,
    NETWORKS_ALL,
    NETWORKS_PARTNERS,
    PublicationFilters,
    publication_filter_choices,
    publications_for_index,
    publications_public,
)

SLUG = re.compile(r"[-\w]{1,100}")


@dataclass(frozen=True)
class PartnerListing:
    """What lists other networks' items beside ours (the exchange gives it, through `casi_workspace.page_views`).

    `kinds`: the index kinds it covers. `listing(kind, filters, ours)`: what to paginate, from our filtered
    publications. `months(kind)`: the months the partners' dated items take place in, for the month filter.
    """

    kinds: frozenset[str]
    listing: Callable[[str, PublicationFilters, QuerySet], Any]
    months: Callable[[str], list[datetime.date]]


def publication_index(index, request: HttpRequest, *, partners: PartnerListing | None = None) -> TemplateResponse:
    """One kind's live public items from every organisation, filtered by the query string.

    The kind's public queryset is built once (`.public()` costs a query) and shared by the filter
    choices and the listing. With `partners` covering the index's kind, the visitor may also choose to list
    the partner networks' items, or both (`?reseaux=`).
    """
    base = publications_public(PUBLICATION_MODELS[index.kind])
    choices = publication_filter_choices(base, organisation=_slug(request, "organisation"), tag=_slug(request, "tag"))
    networks = partners is not None and index.kind in partners.kinds
    chosen = request.GET.get("reseaux")
    if networks and index.kind in DATED_KINDS and chosen in (NETWORKS_PARTNERS, NETWORKS_ALL):
        ours = choices["months"] if chosen == NETWORKS_ALL else []
        choices["months"] = sorted({*ours, *partners.months(index.kind)})[:MONTH_CHOICES_MAX]
    form = PublicationFilterForm(request.GET or None, kind=index.kind, choices=choices, networks=networks)
    filters = form.filters()
    listing = publications_for_index(index.kind, filters, base=base)
    if networks:
        listing = partners.listing(index.kind, filters, listing)
    page_obj = paginate(request, listing)
    page_obj.object_list = list(page_obj.object_list)
    own = [item for item in page_obj.object_list if isinstance(item, PublicationPage)]
    images_attach([(own, "image")], *CARD_IMAGE_SPECS)
    context = index.get_context(request)
    context.update(
        {
            "filter_form": form,
            "filters": filters,
            "publications": page_obj,
            "is_agenda": index.kind in DATED_KINDS,
            "links": _links(index, request),
            "networks_offered": networks,
            "form_action": index.get_url(request),
        }
    )
    return TemplateResponse(request, index.get_template(request), context)


def _slug(request: HttpRequest, name: str) -> str:
    """A slug from the query string, or "" for anything else (the form drops unknown values anyway)."""
    value = request.GET.get(name, "")
    return value if SLUG.fullmatch(value) else ""


def _links(index, request: HttpRequest) -> dict[str, str]:
    """The index's sub-addresses: feeds, and on the agenda its iCalendar file and the proposal form."""
    base = index.get_url(request) or ""
    links = {
        "rss": f"{base}{index.reverse_subpage('feed', kwargs={'fmt': 'rss'})}",
        "atom": f"{base}{index.reverse_subpage('feed', kwargs={'fmt': 'atom'})}",
    }
    if index.kind == "event":
        links["ical"] = f"{base}{index.reverse_subpage('ical')}"
        links["propose"] = f"{base}{index.reverse_subpage('propose')}"
    return links
