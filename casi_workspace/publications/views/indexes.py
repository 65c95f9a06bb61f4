"""The network's publication indexes: listing, filters and pagination."""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.template.response import TemplateResponse

from casi_workspace.core.images import CARD_IMAGE_SPECS, images_attach
from casi_workspace.core.pagination import paginate
from casi_workspace.publications.forms.filters import PublicationFilterForm
from casi_workspace.publications.models.publications import PUBLICATION_MODELS
from casi_workspace.publications.selectors.listings import (
    DATED_KINDS,
    publication_filter_choices,
    publications_for_index,
    publications_public,
)

SLUG = re.compile(r"[-\w]{1,100}")


def publication_index(index, request: HttpRequest) -> TemplateResponse:
    """One kind's live public items from every organisation, filtered by the query string.

    The kind's public queryset is built once (`.public()` costs a query) and shared by the filter
    choices and the listing.
    """
    base = publications_public(PUBLICATION_MODELS[index.kind])
    choices = publication_filter_choices(base, organisation=_slug(request, "organisation"), tag=_slug(request, "tag"))
    form = PublicationFilterForm(request.GET or None, kind=index.kind, choices=choices)
    filters = form.filters()
    page_obj = paginate(request, publications_for_index(index.kind, filters, base=base))
    page_obj.object_list = list(page_obj.object_list)
    images_attach([(page_obj.object_list, "image")], *CARD_IMAGE_SPECS)
    context = index.get_context(request)
    context.update(
        {
            "filter_form": form,
            "filters": filters,
            "publications": page_obj,
            "is_agenda": index.kind in DATED_KINDS,
            "links": _links(index, request),
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
