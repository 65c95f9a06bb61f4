"""The import's mapping step and its profiles: which column of the directory each header of a file fills,
which code each unknown value stands for, a preview of the first rows read that way, and the named profiles
that keep a mapping for the next file from the same source.

The uploaded file waits as a DRAFT OrganisationImport between the steps (import_jobs.import_job_queue turns it
into the import). Nothing here writes an organisation: the preview checks the rows with the import's own
reading (`rows_checked`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_countries import countries as all_countries

from casi_workspace.core.errors import CasiError
from casi_workspace.directory.models import ImportProfile, ImportStatus, OrganisationImport
from casi_workspace.directory.services.import_vocabulary import closest
from casi_workspace.directory.services.imports import (
    FIELD_COLUMNS,
    IMPORT_COLUMNS,
    NO_MAPPING,
    RELATION_COLUMNS,
    ImportFileError,
    ImportMapping,
    Thesaurus,
    header_columns,
    organisations_csv_read,
    organisations_file_header,
    rows_checked,
    unknown_values,
)
from casi_workspace.organisations.models import (
    ActorType,
    DirectoryPage,
    MembershipStatus,
    OrganisationPage,
    Sector,
    SustainableDevelopmentGoal,
    Zone,
)

PREVIEW_ROWS = 20
# Unknown values are looked for in the file's first rows only: the step stays quick on a large file, and a
# value first met further down is reported by the import, line by line.
SCAN_ROWS = 2000
UNKNOWN_SHOWN = 30  # per column; the values still in error come first, so each update shows the next ones
UNKNOWN_FOUND = 1000  # per column, the most looked at
DRAFT_DAYS = 7


class ImportProfileError(CasiError):
    pass


@dataclass
class UnknownValue:
    column: str
    value: str
    code: str  # the code the mapping gives it; "" leaves the value in error


@dataclass
class PreviewRow:
    line: int
    cells: list[str]  # the cells of MappingPreview.columns, in that order
    errors: list[tuple[str, str]]  # (the file's header, message)


@dataclass
class MappingPreview:
    """What the mapping step shows of a file read with a mapping."""

    headers: list[tuple[str, str]]  # each header as written, and the column the mapping gives it ("" ignored)
    columns: list[tuple[str, str]] = field(default_factory=list)  # the preview's columns: (column, header)
    rows: list[PreviewRow] = field(default_factory=list)
    unknown: dict[str, list[UnknownValue]] = field(default_factory=dict)
    unknown_more: dict[str, int] = field(default_factory=dict)
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    file_error: str = ""
    warnings: list[str] = field(default_factory=list)
    rows_read: int = 0

    @property
    def rows_in_error(self) -> int:
        return sum(1 for row in self.rows if row.errors)


def value_options() -> dict[str, list[tuple[str, str]]]:
    """For each list or choice column, the codes a value may be mapped to, with their French names."""
    with override("fr"):
        options = {
            "type": [(code, str(label)) for code, label in ActorType.choices],
            "adhesion": [(code, str(label)) for code, label in MembershipStatus.choices],
            "pays": [(code, str(name)) for code, name in all_countries],
        }
    options["zones"] = list(Zone.objects.order_by("sort_order", "name").values_list("code", "name"))
    options["secteurs"] = list(Sector.objects.order_by("sort_order", "name").values_list("slug", "name"))
    options["odd"] = [
        (str(number), f"{number}. {name}")
        for number, name in SustainableDevelopmentGoal.objects.order_by("number").values_list("number", "name")
    ]
    return options


def column_choices() -> list[tuple[str, str]]:
    """The columns a header may be mapped to, each named as the organisation's form names its field, with the
    export's header after it: "Commune (commune)"."""
    labels = {"nom": _("Organisation's name"), "mots_cles": _("Keywords")}
    fields = {**FIELD_COLUMNS, **RELATION_COLUMNS, "pays": "countries", "collectif": "parent_collective"}
    for column, name in fields.items():
        labels.setdefault(column, capfirst(str(OrganisationPage._meta.get_field(name).verbose_name)))
    return [(column, f"{labels[column]} ({column})") for column in IMPORT_COLUMNS]


def _suggestion(value: str, options: list[tuple[str, str]]) -> str:
    """The code of the entry whose name is closest to `value`, or ""."""
    by_name = {name: code for code, name in options}
    name = closest(value, by_name)
    return by_name.get(name, "")


def profile_mapping(profile: ImportProfile | None) -> ImportMapping:
    if profile is None:
        return NO_MAPPING
    return ImportMapping.from_json({"columns": profile.columns, "values": profile.values})


def import_mapping_initial(*, data: bytes, profile: ImportProfile | None = None) -> ImportMapping:
    """The mapping the step starts from: the profile's choices, and each other header's column recognised by
    name. (The closest entry for each unknown value is proposed by the preview, once its column is known.)"""
    start = profile_mapping(profile)
    header = organisations_file_header(rows_source=data)
    columns = {cell: column for cell, column in zip(header, header_columns(header, start), strict=True) if cell}
    return ImportMapping(columns=columns, values={column: dict(mapped) for column, mapped in start.values.items()})


def import_preview(*, data: bytes, mapping: ImportMapping, directory: DirectoryPage) -> MappingPreview:
    """The file read with `mapping`: its headers, the unknown values of its list and choice columns with the
    code the mapping gives each, and its first rows with their errors. Reads at most SCAN_ROWS rows."""
    header = organisations_file_header(rows_source=data)
    preview = MappingPreview(headers=list(zip(header, header_columns(header, mapping), strict=True)))
    try:
        table = organisations_csv_read(rows_source=data, mapping=mapping, max_rows=SCAN_ROWS)
    except ImportFileError as exc:
        preview.file_error = str(exc)
        return preview
    thesaurus = Thesaurus.load()
    written = {column: cell for cell, column in table.headers if column}
    preview.columns = [(column, written[column]) for column in table.columns]
    preview.warnings = table.warnings
    preview.rows_read = table.total
    preview.options = value_options()
    proposed = {column: dict(mapped) for column, mapped in mapping.values.items()}
    for column, (found, more) in unknown_values(table, thesaurus=thesaurus, limit=UNKNOWN_FOUND).items():
        values = []
        for value in found:
            code = mapping.value_for(column, value) or ""
            if not mapping.value_decided(column, value):
                code = _suggestion(value, preview.options[column])
                proposed.setdefault(column, {})[value] = code
            values.append(UnknownValue(column=column, value=value, code=code))
        values.sort(key=lambda value: bool(value.code))  # those in error first, each group in the file's order
        preview.unknown[column] = values[:UNKNOWN_SHOWN]
        if more + len(values) > UNKNOWN_SHOWN:
            preview.unknown_more[column] = more + len(values) - UNKNOWN_SHOWN
    # The rows read as the page proposes: the mapping, and the closest entry for each value not decided yet.
    shown = ImportMapping(columns=mapping.columns, values=proposed)
    checked = rows_checked(table, directory=directory, thesaurus=thesaurus, mapping=shown, count=PREVIEW_ROWS)
    for line, cells, errors in checked:
        preview.rows.append(
            PreviewRow(
                line=line,
                cells=[cells.get(column, "") for column in table.columns],
                errors=[(written.get(column, column) if column else "", message) for column, message in errors],
            )
        )
    broken = [error for error in table.broken if error.line <= (checked[-1][0] if checked else error.line)]
    for error in broken:
        preview.rows.append(PreviewRow(line=error.line, cells=[], errors=[("", error.message)]))
    preview.rows.sort(key=lambda row: row.line)
    return preview


def import_draft_create(
    *, data: bytes, file_name: str, directory: DirectoryPage, user, profile: ImportProfile | None = None
) -> OrganisationImport:
    """Keep an uploaded file for the mapping step, with the mapping it starts from; raise ImportFileError when
    the file cannot be read at all. Drafts left for more than DRAFT_DAYS days are dropped meanwhile."""
    mapping = import_mapping_initial(data=data, profile=profile)
    OrganisationImport.objects.filter(
        status=ImportStatus.DRAFT, requested_at__lt=timezone.now() - datetime.timedelta(days=DRAFT_DAYS)
    ).delete()
    return OrganisationImport.objects.create(
        directory=directory,
        requested_by=user if user is not None and user.is_authenticated else None,
        file_name=file_name[:255],
        data=data,
        status=ImportStatus.DRAFT,
        mapping=mapping.to_json(),
    )


def import_draft_mapping_set(draft: OrganisationImport, *, mapping: ImportMapping) -> None:
    """Keep the mapping step's choices on the draft."""
    OrganisationImport.objects.filter(pk=draft.pk, status=ImportStatus.DRAFT).update(mapping=mapping.to_json())
    draft.mapping = mapping.to_json()


def import_profile_save(*, name: str, mapping: ImportMapping, user) -> tuple[ImportProfile, bool]:
    """Save the mapping under `name`; True when the profile is new. A profile of that name (accents kept,
    case ignored) is updated: its headers and values this mapping does not name are kept, so that one profile
    serves files whose columns differ a little."""
    name = " ".join(name.split())
    if not name:
        raise ImportProfileError(_("Give the profile a name."))
    if len(name) > ImportProfile._meta.get_field("name").max_length:
        raise ImportProfileError(_("A profile's name has at most 100 characters."))
    with transaction.atomic():
        profile = ImportProfile.objects.select_for_update().filter(name__iexact=name).first()
        if profile is None:
            profile = ImportProfile.objects.create(
                name=name,
                columns=mapping.to_json()["columns"],
                values=mapping.to_json()["values"],  # pairs, in order
                created_by=user if user is not None and user.is_authenticated else None,
            )
            return profile, True
        previous = profile_mapping(profile)
        columns = {header: column for header, column in previous.columns.items() if mapping.column_for(header) is None}
        values = {column: dict(mapped) for column, mapped in previous.values.items()}
        for column, mapped in mapping.values.items():
            values.setdefault(column, {}).update(mapped)
        profile.columns = ImportMapping(columns=columns | mapping.columns).to_json()["columns"]
        profile.values = ImportMapping(values=values).to_json()["values"]
        profile.save(update_fields=["columns", "values", "updated_at"])
        return profile, False
