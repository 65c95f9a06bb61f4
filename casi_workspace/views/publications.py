"""The network's publication indexes: listing, filters and pagination."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.response import TemplateResponse


def publication_index(index, request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(request, index.get_template(request), index.get_context(request))
