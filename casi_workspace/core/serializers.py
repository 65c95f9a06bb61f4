"""Fields of the Wagtail API v2 representation of our page types (`api_fields`).

Kept apart from `api.py`: the models import these at class-definition time, before the app registry
is ready, so this module imports Django REST framework only, never Wagtail's API views.
"""

from __future__ import annotations

from typing import Any

from rest_framework.fields import Field


class OrganisationSummaryField(Field):
    """An organisation as `{"id", "title", "slug", "html_url"}`; the row is joined by the viewset, not fetched.

    `null` when the organisation is not live (a collective still in draft).
    """

    def to_representation(self, organisation) -> dict[str, Any] | None:
        if not organisation.live:
            return None
        request = self.context.get("request")
        return {
            "id": organisation.pk,
            "title": organisation.title,
            "slug": organisation.slug,
            "html_url": organisation.get_full_url(request),
        }


class CountryCodesField(Field):
    """One country (`"FR"`) or several (`["SN", "ML"]`) as ISO codes."""

    def to_representation(self, value) -> str | list[str]:
        if hasattr(value, "code"):  # a single Country
            return str(value.code or "")
        return [str(country.code) for country in value]


class NamesField(Field):
    """A many-to-many relation as the list of its names (zones, sectors, goals)."""

    def to_representation(self, manager) -> list[str]:
        return [str(item) for item in manager.all()]


class DocumentsField(Field):
    """A stream of documents as `{"id", "title", "url"}`; the file is served by Wagtail's permission-checked view."""

    def to_representation(self, stream) -> list[dict[str, Any]]:
        documents = []
        for block in stream:
            document = block.value
            if document is not None:
                documents.append({"id": document.pk, "title": document.title, "url": document.url})
        return documents
