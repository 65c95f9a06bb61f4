"""Open data: the public directory as CSV or JSON, streamed row by row in constant memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from .models import OrganisationPage

CHUNK_SIZE = 500
COLUMNS = [
    "nom",
    "sigle",
    "type",
    "adhesion",
    "rna",
    "siren",
    "siret",
    "adresse",
    "code_postal",
    "commune",
    "departement",
    "latitude",
    "longitude",
    "zones",
    "pays",
    "secteurs",
    "odd",
    "mots_cles",
    "site_web",
    "courriel",
    "telephone",
    "annee_creation",
    "collectif",
    "url",
]


def organisation_record(organisation: OrganisationPage, base_url: str) -> dict[str, Any]:
    """The public fields of an organisation (never its private contact details)."""
    return {
        "nom": organisation.title,
        "sigle": organisation.acronym,
        "type": organisation.actor_type,
        "adhesion": organisation.membership_status,
        "rna": organisation.rna,
        "siren": organisation.siren,
        "siret": organisation.siret,
        "adresse": organisation.address,
        "code_postal": organisation.postcode,
        "commune": organisation.commune,
        "departement": organisation.department,
        "latitude": float(organisation.latitude) if organisation.latitude is not None else None,
        "longitude": float(organisation.longitude) if organisation.longitude is not None else None,
        "zones": [zone.code for zone in organisation.zones.all()],
        "pays": [country.code for country in organisation.countries],
        "secteurs": [sector.slug for sector in organisation.sectors.all()],
        "odd": [goal.number for goal in organisation.sdgs.all()],
        "mots_cles": sorted(tag.name for tag in organisation.tags.all()),
        "site_web": organisation.website,
        "courriel": organisation.public_email,
        "telephone": organisation.public_phone,
        "annee_creation": organisation.year_founded,
        "collectif": organisation.parent_collective.title if organisation.parent_collective else "",
        "url": f"{base_url}{organisation.slug}/",
    }


def _records(queryset: QuerySet[OrganisationPage], base_url: str) -> Iterator[dict[str, Any]]:
    for organisation in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield organisation_record(organisation, base_url)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for record in records:
        yield writer.writerow(
            [
                "|".join(map(str, value)) if isinstance(value, list) else ("" if value is None else value)
                for value in (record[column] for column in COLUMNS)
            ]
        )


def _json_rows(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield "["
    for index, record in enumerate(records):
        yield ("," if index else "") + json.dumps(record, ensure_ascii=False)
    yield "]"


def directory_csv_response(queryset: QuerySet[OrganisationPage], base_url: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_rows(_records(queryset, base_url)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="annuaire.csv"'
    return response


def directory_json_response(queryset: QuerySet[OrganisationPage], base_url: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _json_rows(_records(queryset, base_url)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="annuaire.json"'
    return response
