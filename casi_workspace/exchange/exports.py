"""The exchange format's documents: a dataset's page of items (schema.org) and the catalogue (DCAT).

Items are each page's own schema.org description (the one search engines read), plus what a partner needs to
keep a copy up to date: a stable identifier, the dates of publication and of the last change, and the
organisation that published it, named by its page and, for the directory, by its SIREN and RNA numbers.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from wagtail.models import Page

from casi_workspace.exchange.selectors import FORMAT_VERSION, Dataset
from casi_workspace.organisations.models import OrganisationPage

SCHEMA_CONTEXT = "https://schema.org"


def _date(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def organisation_reference(organisation: OrganisationPage, request: HttpRequest) -> dict:
    data = {"@type": "Organization", "@id": organisation.get_full_url(request), "name": organisation.title}
    identifiers = [
        {"@type": "PropertyValue", "propertyID": name, "value": value}
        for name, value in (("SIREN", organisation.siren), ("RNA", organisation.rna))
        if value
    ]
    if identifiers:
        data["identifier"] = identifiers
    return data


def exchange_item(page: Page, request: HttpRequest) -> dict:
    """One item: its schema.org description, identified, dated and attributed."""
    data = page.structured_data()
    data.pop("@context", None)
    url = page.get_full_url(request)
    data.update(
        {
            "@id": url,
            "url": url,
            "identifier": str(page.pk),
            "datePublished": _date(page.first_published_at),
            "dateModified": _date(page.last_published_at),
        }
    )
    if isinstance(page, OrganisationPage):
        data.update(organisation_reference(page, request) | {"@id": url, "name": page.title})
        if page.countries:
            data["areaServed"] = [{"@type": "Country", "identifier": str(code)} for code in page.countries]
        sectors = [sector.name for sector in page.sectors.all()]
        if sectors:
            data["knowsAbout"] = sectors
        if page.department:
            data["address"] = data.get("address", {"@type": "PostalAddress", "addressCountry": "FR"}) | {
                "addressRegion": page.department
            }
    elif page.organisation_id:
        data["publisher"] = organisation_reference(page.organisation, request)
    return data


def dataset_document(
    dataset: Dataset,
    items: list[Page],
    request: HttpRequest,
    *,
    withdrawn: list[dict] | None,
    next_url: str | None,
    licence: dict,
) -> dict:
    """A page of a dataset, as served at its address."""
    document = {
        "@context": SCHEMA_CONTEXT,
        "version": FORMAT_VERSION,
        "dataset": dataset.slug,
        "license": licence["url"],
        "items": [exchange_item(page, request) for page in items],
        "next": next_url,
    }
    if withdrawn is not None:
        document["withdrawn"] = [
            {"identifier": str(row["page_id"]), "dateWithdrawn": _date(row["at"])} for row in withdrawn
        ]
    return document


def catalogue_document(
    *,
    title: str,
    home_url: str,
    catalogue_url: str,
    licence: dict,
    datasets: list[dict],
) -> dict:
    """The catalogue in DCAT (JSON-LD): one dataset per entry of `datasets`, each with its distributions.

    `datasets` entries hold `title`, `description`, `modified` and `distributions` (each `title`, `url`,
    `format`, the media type).
    """
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@id": catalogue_url,
        "@type": "dcat:Catalog",
        "dct:title": title,
        "dct:publisher": {"@id": home_url, "@type": "foaf:Organization", "foaf:name": title},
        "dct:license": {"@id": licence["url"]},
        "dcat:dataset": [
            {
                "@type": "dcat:Dataset",
                "dct:title": entry["title"],
                "dct:description": entry["description"],
                "dct:modified": _date(entry["modified"]),
                "dct:license": {"@id": licence["url"]},
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dct:title": distribution["title"],
                        "dcat:accessURL": {"@id": distribution["url"]},
                        "dcat:mediaType": distribution["format"],
                    }
                    for distribution in entry["distributions"]
                ],
            }
            for entry in datasets
        ],
    }
