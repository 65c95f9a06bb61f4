"""Open data: the public directory as CSV or JSON, streamed row by row in constant memory, or as an Excel
workbook written row by row to a temporary file. Each re-imports without loss (directory/services/imports.py).

An organisation's own data, as the ZIP its managers take away, is `organisation_archive.py`: it reuses these
rows for the organisation's page."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import FileResponse, StreamingHttpResponse

from casi_workspace.core.spreadsheets import spreadsheet_safe
from casi_workspace.organisations.models import OrganisationPage, OrganisationTag

CHUNK_SIZE = 200
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


VALUE_FIELDS = {
    "nom": "title",
    "sigle": "acronym",
    "type": "actor_type",
    "adhesion": "membership_status",
    "rna": "rna",
    "siren": "siren",
    "siret": "siret",
    "adresse": "address",
    "code_postal": "postcode",
    "commune": "commune",
    "departement": "department",
    "latitude": "latitude",
    "longitude": "longitude",
    "pays": "countries",
    "site_web": "website",
    "courriel": "public_email",
    "telephone": "public_phone",
    "annee_creation": "year_founded",
    "collectif": "parent_collective__title",
}
_MANY = {
    "zones": (OrganisationPage.zones.through, "organisationpage_id", "zone__code"),
    "secteurs": (OrganisationPage.sectors.through, "organisationpage_id", "sector__slug"),
    "odd": (OrganisationPage.sdgs.through, "organisationpage_id", "sustainabledevelopmentgoal__number"),
    "mots_cles": (OrganisationTag, "content_object_id", "tag__name"),
}


@dataclass(frozen=True)
class ExportLayout:
    """The export's headers, and the column each writes: the export's own, or an import profile's in reverse.

    With a profile, each column goes under the profile's first header for it, and each code becomes the
    profile's first value for it, so that the file re-imports with the profile unchanged; a header the
    profile ignores is written empty (the file keeps the shape the profile's source expects), and a column
    the profile does not name keeps its own name, which any import recognises.
    """

    headers: tuple[str, ...] = tuple(COLUMNS)
    sources: tuple[str, ...] = tuple(COLUMNS)  # "" for an empty column
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> code -> value written

    @classmethod
    def from_profile(cls, columns: list[tuple[str, str]], values: dict[str, list[tuple[str, str]]]) -> ExportLayout:
        """`columns`: the profile's (header, column) pairs; `values`: per column, its (value, code) pairs; each in
        the profile's order."""
        headers: list[str] = []
        sources: list[str] = []
        for header, column in columns:
            if column == "" or (column in COLUMNS and column not in sources):
                headers.append(header)
                sources.append(column)
        for column in COLUMNS:
            if column not in sources:
                headers.append(column)
                sources.append(column)
        reverse: dict[str, dict[str, str]] = {}
        for column, mapped in values.items():
            for value, code in (pair for pair in mapped if str(pair[1])):  # not the values left in error
                reverse.setdefault(column, {}).setdefault(str(code), value)
        return cls(headers=tuple(headers), sources=tuple(sources), values=reverse)

    def _value(self, column: str, value: Any) -> Any:
        mapped = self.values.get(column)
        if not mapped:
            return value
        if isinstance(value, list):
            return [mapped.get(str(item), item) for item in value]
        return mapped.get(str(value), value) if value is not None else None

    def row(self, record: dict[str, Any]) -> list[Any]:
        """The record's cells under the layout's headers."""
        return [self._value(column, record[column]) if column else "" for column in self.sources]


DEFAULT_LAYOUT = ExportLayout()


def _related_values(column: str, ids: list[int]) -> dict[int, list]:
    model, owner, value = _MANY[column]
    grouped: dict[int, list] = {pk: [] for pk in ids}
    for pk, item in model.objects.filter(**{f"{owner}__in": ids}).order_by(value).values_list(owner, value):
        grouped[pk].append(item)
    return grouped


def _record(row: dict[str, Any], related: dict[str, dict[int, list]], base_url: str) -> dict[str, Any]:
    """The public fields of an organisation (never its private contact details)."""
    record = {column: row[field] for column, field in VALUE_FIELDS.items()}
    for column in ("latitude", "longitude"):
        record[column] = float(record[column]) if record[column] is not None else None
    record["pays"] = [code for code in (record["pays"] or "").split(",") if code]
    record["collectif"] = record["collectif"] or ""
    for column, values in related.items():
        record[column] = values[row["pk"]]
    record["url"] = f"{base_url}{row['slug']}/"
    return {column: record[column] for column in COLUMNS}


def directory_records(queryset: QuerySet[OrganisationPage], base_url: str) -> Iterator[dict[str, Any]]:
    """Walk the queryset by (title, pk), one chunk of plain rows at a time.

    Plain values rather than model instances: page instances with prefetched relations form reference
    cycles that the garbage collector frees late, so memory would grow with the row count.
    """
    queryset = queryset.order_by("title", "pk").values("pk", "slug", *VALUE_FIELDS.values())
    last: tuple[str, int] | None = None
    while True:
        chunk = queryset
        if last is not None:
            chunk = chunk.filter(Q(title__gt=last[0]) | Q(title=last[0], pk__gt=last[1]))
        rows = list(chunk[:CHUNK_SIZE])
        ids = [row["pk"] for row in rows]
        related = {column: _related_values(column, ids) for column in _MANY} if ids else {}
        for row in rows:
            yield _record(row, related, base_url)
        if len(rows) < CHUNK_SIZE:
            return
        last = (rows[-1]["title"], rows[-1]["pk"])


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(records: Iterable[dict[str, Any]], layout: ExportLayout = DEFAULT_LAYOUT) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(layout.headers)
    for record in records:
        yield writer.writerow(
            [
                spreadsheet_safe("|".join(map(str, value)) if isinstance(value, list) else value)
                if value is not None
                else ""
                for value in layout.row(record)
            ]
        )


def _json_rows(records: Iterable[dict[str, Any]], layout: ExportLayout = DEFAULT_LAYOUT) -> Iterator[str]:
    yield "["
    for index, record in enumerate(records):
        if layout is not DEFAULT_LAYOUT:
            record = dict(zip(layout.headers, layout.row(record), strict=True))
        yield ("," if index else "") + json.dumps(record, ensure_ascii=False)
    yield "]"


def directory_csv_response(
    queryset: QuerySet[OrganisationPage], base_url: str, layout: ExportLayout = DEFAULT_LAYOUT
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_rows(directory_records(queryset, base_url), layout), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="annuaire.csv"'
    return response


def directory_json_response(
    queryset: QuerySet[OrganisationPage], base_url: str, layout: ExportLayout = DEFAULT_LAYOUT
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _json_rows(directory_records(queryset, base_url), layout), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="annuaire.json"'
    return response


# A workbook in memory would grow with the directory: openpyxl's write-only mode writes the rows to disk as they
# come, and the finished file is sent from there.
SPOOL_BYTES = 8 * 1024 * 1024


def _xlsx_cell(sheet, value: Any):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, list):
        value = "|".join(map(str, value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text as text: "=…" is never taken for a formula, "01" keeps its zero
    return cell


def directory_xlsx_response(
    queryset: QuerySet[OrganisationPage], base_url: str, layout: ExportLayout = DEFAULT_LAYOUT
) -> FileResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("annuaire")
    sheet.append(list(layout.headers))
    for record in directory_records(queryset, base_url):
        sheet.append([_xlsx_cell(sheet, value) for value in layout.row(record)])
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 -- closed by the response
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename="annuaire.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
