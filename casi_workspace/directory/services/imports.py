"""Import organisations into a directory from a CSV file or an Excel workbook: the directory's own export, or
another network's spreadsheet, whose headers, labels and lists import_vocabulary reads by meaning.

Each row is read, checked against the model's own validators and choices, then created, updated or left as
it is in its own transaction: a bad row is reported and skipped, never half-imported. A dry run takes exactly
the same path inside one transaction that is rolled back at the end, so its report is what a real run would do.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import itertools
import json
import logging
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override
from django_countries import countries as all_countries
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry

from casi_workspace.core.errors import CasiError
from casi_workspace.core.page_cache import page_cache_invalidate
from casi_workspace.core.validators import compact_identifier
from casi_workspace.directory.exports import COLUMNS, VALUE_FIELDS
from casi_workspace.directory.services.import_creation import (
    ImportRow,
    PendingRows,
    import_row_assign,
    organisations_insert,
)
from casi_workspace.directory.services.import_vocabulary import (
    LIST_SEPARATORS,
    choice_code,
    closest,
    column_names,
    list_separator,
    normalised,
)
from casi_workspace.directory.services.possible_duplicates import possible_duplicate_record
from casi_workspace.organisations.models import (
    ActorType,
    DirectoryPage,
    MembershipStatus,
    OrganisationPage,
    Sector,
    SustainableDevelopmentGoal,
    Zone,
)
from casi_workspace.organisations.selectors import DuplicateCandidates
from casi_workspace.workspaces.provisioning import organisation_provision, organisations_provision_new
from casi_workspace.workspaces.services.live_fields import page_live_fields_change

logger = logging.getLogger(__name__)

Report = Callable[[str], None]
RowsSource = bytes | IO[bytes] | IO[str]

REQUIRED_COLUMNS = ("nom", "commune")
LIST_COLUMNS = ("zones", "pays", "secteurs", "odd", "mots_cles")
DELIMITERS = (";", ",", "\t")
XLSX_SIGNATURE = b"PK\x03\x04"
# A directory has a few thousand organisations: a file past these limits is a mistake or an attack (a small
# workbook can unzip to gigabytes), refused before it is read any further.
MAX_ROWS = 20_000
MAX_XLSX_UNZIPPED_MB = 200
PROGRESS_EVERY = 100

# The export's plain columns, less the collective (a relation here); the same names both ways.
FIELD_COLUMNS = {column: field for column, field in VALUE_FIELDS.items() if column not in {"pays", "collectif"}}
RELATION_COLUMNS = {"zones": "zones", "secteurs": "sectors", "odd": "sdgs"}
COLUMN_OF_FIELD = {
    **{name: column for column, name in FIELD_COLUMNS.items()},
    **{name: column for column, name in RELATION_COLUMNS.items()},
    "countries": "pays",
    "parent_collective": "collectif",
    "tags": "mots_cles",
}
# These cannot be blank: an empty cell keeps the current value, or the model's default for a new organisation.
KEEP_WHEN_EMPTY = ("actor_type", "membership_status")
NULL_WHEN_EMPTY = ("latitude", "longitude", "year_founded")
COORDINATE_LIMITS = {"latitude": 90, "longitude": 180}
COORDINATE_STEP = Decimal("0.000001")

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# The columns a file's header may be mapped to (the export's page address is not imported).
IMPORT_COLUMNS = [column for column in COLUMNS if column != "url"]
JSON_LIST_SEPARATOR = "|"


@dataclass
class ImportMapping:
    """How a file is read beyond what the vocabulary recognises: a profile's, or the mapping step's choices.

    `columns`: a header as written in the file -> the export's column, or "" to ignore the column. A header
    it does not name is recognised by its name or synonyms, as without a mapping. `values`: per export column,
    a value of the file -> the code the directory uses, read before the thesaurus and the choices; "" records
    the coordinator's choice to leave the value in error (the mapping step then proposes nothing for it). Both
    are compared accents and case ignored (`normalised`).
    """

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._columns = {normalised(header): column for header, column in self.columns.items()}
        self._values = {
            column: {normalised(value): code for value, code in values.items()}
            for column, values in self.values.items()
        }

    @classmethod
    def from_json(cls, data: Any) -> ImportMapping:
        """A stored mapping, keeping only what it may say: known columns, text values."""
        data = data if isinstance(data, dict) else {}
        values = data.get("values")
        values = values if isinstance(values, dict) else {}
        return cls(
            columns={
                header: column
                for header, column in column_pairs(data.get("columns"))
                if column in IMPORT_COLUMNS or column == ""
            },
            values={
                column: {value: str(code) for value, code in pairs(mapped)}
                for column, mapped in values.items()
                if column in IMPORT_COLUMNS
            },
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": [[header, column] for header, column in self.columns.items()],
            "values": {column: [[value, code] for value, code in v.items()] for column, v in self.values.items() if v},
        }

    def column_for(self, header: str) -> str | None:
        """The column the mapping gives the header ("" to ignore it), or None when it says nothing of it."""
        return self._columns.get(normalised(header))

    def value_for(self, column: str, value: str) -> str | None:
        """The code the mapping gives a value of the column, or None (also when it is left in error)."""
        mapped = self._values.get(column)
        return (mapped.get(normalised(value)) or None) if mapped else None

    def value_decided(self, column: str, value: str) -> bool:
        """Whether the mapping says anything of the value, a code or "left in error"."""
        return normalised(value) in self._values.get(column, {})


NO_MAPPING = ImportMapping()


def pairs(stored: Any) -> list[tuple[str, Any]]:
    """A stored mapping as (key, value) pairs in its order. Mappings are stored as lists of pairs, not as
    objects: PostgreSQL's jsonb does not keep an object's key order, and the export with a profile writes its
    headers, and for each code its first value, in the profile's order. An object (written by hand) is read too.
    """
    items = stored.items() if isinstance(stored, dict) else stored if isinstance(stored, list) else []
    return [
        (str(pair[0]), pair[1])
        for pair in items
        if isinstance(pair, list | tuple) and len(pair) == 2 and isinstance(pair[1], str | int)
    ]


def column_pairs(columns: Any) -> list[tuple[str, str]]:
    """A stored column mapping as (header, column) pairs in its order."""
    return [(header, column) for header, column in pairs(columns) if isinstance(column, str)]


class ImportFileError(CasiError):
    """The whole file is unusable: nothing is imported."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # "" when the error is about the whole row
    message: str


@dataclass(frozen=True)
class RowChange:
    line: int
    outcome: str  # CREATED or UPDATED
    title: str


@dataclass
class ImportReport:
    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[RowChange] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Rows skipped because of an error."""
        return len({error.line for error in self.row_errors})


@dataclass
class CsvTable:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line where the row starts, cell of each known column)
    broken: list[RowError]
    warnings: list[str]
    list_separator: str = "|"
    headers: list[tuple[str, str]] = field(default_factory=list)  # each header cell as written, and its column
    rows_not_kept: int = 0  # rows read and counted, not kept (`organisations_csv_read(keep_rows=False)`)

    @property
    def total(self) -> int:
        return len(self.rows) + self.rows_not_kept + len(self.broken)


class _RowFailure(Exception):
    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


def _decoded(data: bytes) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file is neither UTF-8 nor Windows-1252 text. Save it as “CSV UTF-8” and try again.")
        ) from exc
    return text, [_("The file is not UTF-8: it was read as Windows-1252 (Latin-1). Check the accented letters.")]


def _text(data: bytes | str) -> tuple[str, list[str]]:
    text, warnings = (data.removeprefix("\ufeff"), []) if isinstance(data, str) else _decoded(bytes(data))
    if "\x00" in text:  # UTF-16, a spreadsheet or any binary file
        raise ImportFileError(_("This is not a CSV text file. Save it as “CSV UTF-8” and try again."))
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    return text, warnings


def header_columns(cells: list[str], mapping: ImportMapping = NO_MAPPING) -> list[str]:
    """The export's column each header names ("" for an unknown or ignored one): the mapping's choice first,
    then the column's name or synonym, accents ignored."""
    names = column_names(COLUMNS)
    columns = []
    for cell in cells:
        explicit = mapping.column_for(cell)
        columns.append(explicit if explicit is not None else names.get(normalised(cell), ""))
    return columns


def header_check(columns: list[str]) -> None:
    """Raise ImportFileError when a required column is missing or a column appears twice."""
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ImportFileError(
            _(
                "Required columns missing: %(missing)s. The first line must name the columns, "
                "as the export does: %(columns)s."
            )
            % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
        )
    repeated = sorted({column for column in columns if column and columns.count(column) > 1})
    if repeated:
        raise ImportFileError(_("Columns appearing more than once: %(columns)s.") % {"columns": ", ".join(repeated)})


def _header(cells: list[str], mapping: ImportMapping = NO_MAPPING) -> tuple[list[str], list[str]]:
    """The export's column each header names, checked; a warning lists the unknown ones (not those the
    mapping ignores)."""
    columns = header_columns(cells, mapping)
    header_check(columns)
    unknown = [
        cell.strip()
        for cell, column in zip(cells, columns, strict=True)
        if cell.strip() and not column and mapping.column_for(cell) is None
    ]
    warnings = [_("Unknown columns, ignored: %(columns)s.") % {"columns": ", ".join(unknown)}] if unknown else []
    return columns, warnings


# A line with its end, as a file opened with newline="" gives it ("\r\n", "\r" or "\n"): read from the text
# itself, where a StringIO would hold a second copy of it at four bytes a character.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _csv_records(data: bytes | str) -> tuple[Iterator[tuple[int, list[str]]], list[str]]:
    """The CSV file's records with the line each starts on. The delimiter is the one the header line uses
    most (";" from a French spreadsheet, "," in the export, or a tab): column names contain none of them,
    which makes this steadier than csv.Sniffer on short files."""
    text, warnings = _text(data)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader((match.group() for match in _LINE.finditer(text)), delimiter=delimiter)

    def records() -> Iterator[tuple[int, list[str]]]:
        line = 1
        try:
            for cells in reader:
                yield line, cells
                line = reader.line_num + 1
        except csv.Error as exc:
            raise ImportFileError(
                _("The file is not valid CSV (line %(line)s): %(error)s") % {"line": reader.line_num, "error": exc}
            ) from exc

    return records(), warnings


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's numbers: 1998, 29, a SIREN
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _xlsx_size_check(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError(_("This spreadsheet cannot be read: save it again as .xlsx or as CSV UTF-8.")) from exc
    if unzipped > MAX_XLSX_UNZIPPED_MB * 1024 * 1024:
        raise ImportFileError(
            _(
                "This workbook holds more than %(size)s MB once unzipped: keep only the directory's sheet, "
                "or save it as CSV."
            )
            % {"size": MAX_XLSX_UNZIPPED_MB}
        )


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows with their row numbers, read in constant memory."""
    from openpyxl import load_workbook

    _xlsx_size_check(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(_("This spreadsheet cannot be read: save it again as .xlsx or as CSV UTF-8.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_xlsx_cell(value) for value in row]
    finally:
        workbook.close()


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return JSON_LIST_SEPARATOR.join(_json_cell(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """The directory's JSON export (a list of objects, lists as lists): the first object's keys are the
    header, each object a row, numbered from 2 as a spreadsheet's would be."""
    if re.search(r"\\u0000", text, re.IGNORECASE):  # a NUL character, which no text field accepts
        raise ImportFileError(_("This is not a CSV text file. Save it as “CSV UTF-8” and try again."))
    try:
        records = json.loads(text)
    except ValueError as exc:
        raise ImportFileError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise ImportFileError(_("A JSON file must hold a list of objects, as the directory's JSON export does."))
    if not records:
        raise ImportFileError(_("The file is empty."))
    header = [str(key) for key in records[0]]
    yield 1, header
    for number, record in enumerate(records, start=2):
        yield number, [_json_cell(record.get(key)) for key in header]


def _records(data: bytes | bytearray | str) -> tuple[Iterator[tuple[int, list[str]]], list[str], str]:
    """The file's records (CSV, an Excel workbook's first sheet, or the JSON export), its warnings, and the
    list separator its format imposes ("" when it is to be found from the cells)."""
    if isinstance(data, bytes | bytearray) and bytes(data[:4]) == XLSX_SIGNATURE:
        return _xlsx_records(bytes(data)), [], ""
    if data[:64].lstrip()[:1] in ("[", b"["):
        text, warnings = _text(data)
        return _json_records(text), warnings, JSON_LIST_SEPARATOR
    records, warnings = _csv_records(data)
    return records, warnings, ""


def organisations_file_header(*, rows_source: RowsSource) -> list[str]:
    """The file's header cells; raise ImportFileError when the file cannot be read at all."""
    data = rows_source if isinstance(rows_source, bytes | bytearray | str) else rows_source.read()
    records, _warnings, _separator = _records(data)
    header = next(records, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return header[1]


def _file_rows(
    records: Iterator[tuple[int, list[str]]], columns: list[str], max_rows: int | None
) -> Iterator[tuple[int, dict[str, str]] | RowError]:
    """Each row not blank: its line and cells by column, or the error of a line with too many values."""
    count = 0
    for line, cells in records:
        if max_rows is not None and count >= max_rows:
            return
        if not any(cell.strip() for cell in cells):
            continue
        if count >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(count)s rows: split it into several files.") % {"count": MAX_ROWS}
            )
        count += 1
        if any(cell.strip() for cell in cells[len(columns) :]):
            message = _("This line has %(count)s values; the header has %(expected)s.")
            yield RowError(line, "", message % {"count": len(cells), "expected": len(columns)})
            continue
        cells += [""] * (len(columns) - len(cells))
        yield line, {column: cell.strip() for column, cell in zip(columns, cells, strict=False) if column}


def _file_opened(
    rows_source: RowsSource, mapping: ImportMapping, max_rows: int | None = None
) -> tuple[Iterator[tuple[int, dict[str, str]] | RowError], list[str], str, list[str], list[str]]:
    """The file's rows (`_file_rows`), warnings, list separator imposed by its format ("" when none), header
    cells and the column of each."""
    data = rows_source if isinstance(rows_source, bytes | bytearray | str) else rows_source.read()
    records, warnings, separator = _records(data)
    header = next(records, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    columns, header_warnings = _header(header[1], mapping)
    return _file_rows(records, columns, max_rows), warnings + header_warnings, separator, header[1], columns


def organisations_csv_read(
    *,
    rows_source: RowsSource,
    mapping: ImportMapping = NO_MAPPING,
    max_rows: int | None = None,
    keep_rows: bool = True,
) -> CsvTable:
    """Decode and split the file (CSV, an Excel workbook's first sheet, or the JSON export), its header read
    with `mapping`; raise ImportFileError when the whole file is unusable. With `max_rows`, reading stops
    after that many rows (the mapping step's preview of a large file). Without `keep_rows`, the rows are
    counted and checked but not kept: a background import reads them a batch at a time (`organisations_rows`)."""
    rows_read, warnings, separator, header, columns = _file_opened(rows_source, mapping, max_rows)
    table = CsvTable(
        columns=[c for c in columns if c],
        rows=[],
        broken=[],
        warnings=warnings,
        headers=[(cell, column) for cell, column in zip(header, columns, strict=True)],
    )
    separators: set[str] = set()  # those the list cells hold, the file's being the first of LIST_SEPARATORS
    for row in rows_read:
        if isinstance(row, RowError):
            table.broken.append(row)
            continue
        cells = row[1]
        separators |= {mark for column in LIST_COLUMNS for mark in LIST_SEPARATORS if mark in cells.get(column, "")}
        if keep_rows:
            table.rows.append(row)
        else:
            table.rows_not_kept += 1
    table.list_separator = separator or list_separator(separators)
    return table


def organisations_rows(
    *, rows_source: RowsSource, mapping: ImportMapping = NO_MAPPING, start: int = 0
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows `organisations_csv_read` keeps, from the `start`-th, read as they are asked for."""
    rows_read = _file_opened(rows_source, mapping)[0]
    return itertools.islice((row for row in rows_read if not isinstance(row, RowError)), start, None)


def _split(cell: str, separator: str) -> list[str]:
    return list(dict.fromkeys(value.strip() for value in cell.split(separator) if value.strip()))


def _prepared(name: str, raw: str) -> Any:
    """The cell as the model field expects it, undoing what spreadsheets do to French data."""
    if name in ("rna", "siren", "siret"):
        return compact_identifier(raw)
    if name in KEEP_WHEN_EMPTY:
        return choice_code(name, raw)
    if name == "department":
        return raw.zfill(2).upper() if raw else raw  # "2a", or "01" that a spreadsheet turned into 1
    if name == "postcode" and raw.isdigit() and len(raw) == 4:
        return raw.zfill(5)
    if name == "website" and raw and "://" not in raw:
        return f"https://{raw}"
    if name in NULL_WHEN_EMPTY and not raw:
        return None
    if name in COORDINATE_LIMITS:
        try:
            return Decimal(raw.replace(",", ".")).quantize(COORDINATE_STEP)
        except InvalidOperation:
            return raw  # the field reports it
    return raw


def _field_value(name: str, raw: str, value: Any) -> tuple[Any, list[str]]:
    model_field = OrganisationPage._meta.get_field(name)
    try:
        value = model_field.clean(value, None)
    except ValidationError as exc:
        messages = list(exc.messages)
        if model_field.choices and name != "department":
            expected = ", ".join(str(key) for key, _label in model_field.choices)
            messages.append(_("Expected one of: %(values)s.") % {"values": expected})
        return raw, [" ".join(messages)]
    limit = COORDINATE_LIMITS.get(name)
    if limit and value is not None and abs(value) > limit:
        return raw, [_("Must be between %(min)s and %(max)s.") % {"min": -limit, "max": limit}]
    return value, []


def _unknown(values: list[str], known: list[str]) -> str:
    """ "Unknown value: Educaton (did you mean “Éducation et formation”?)." for each value, its closest known one."""
    described = []
    for value in values:
        suggestion = closest(value, known)
        described.append(
            _("%(value)s (did you mean “%(known)s”?)") % {"value": value, "known": suggestion} if suggestion else value
        )
    message = ngettext("Unknown value: %(values)s.", "Unknown values: %(values)s.", len(values))
    return message % {"values": ", ".join(described)}


@lru_cache(maxsize=1024)
def _country(value: str) -> str:
    """A country's code from its code or its French or English name (django-countries scans every name: a
    file naming "Sénégal" ten thousand times asks once)."""
    return (
        all_countries.alpha2(value)
        or all_countries.by_name(value, language="fr")
        or all_countries.by_name(value, language="en")
        or _country_by_plain_name().get(normalised(value), "")
    )


@cache
def _country_by_plain_name() -> dict[str, str]:
    """French and English country names without accents ("Senegal", "Benin") -> their code."""
    names = {}
    for language in ("en", "fr"):
        with override(language):
            names.update((normalised(str(name)), code) for code, name in all_countries)
    return names


def _country_names() -> list[str]:
    with override("fr"):
        return [str(name) for _code, name in all_countries]


@dataclass
class Thesaurus:
    """Every vocabulary a row may refer to, read once per import, keyed by `normalised` names and codes."""

    zones: dict[str, Zone]
    sectors: dict[str, Sector]
    sdgs: dict[str, SustainableDevelopmentGoal]
    collectives: dict[str, OrganisationPage] = field(default_factory=dict)  # each name found once, by its row

    @classmethod
    def load(cls) -> Thesaurus:
        zones, sectors = {}, {}
        for zone in Zone.objects.all():
            zones |= {normalised(zone.name): zone, normalised(zone.code): zone}
        for sector in Sector.objects.all():
            sectors |= {normalised(sector.name): sector, normalised(sector.slug): sector}
        sdgs = {str(goal.number): goal for goal in SustainableDevelopmentGoal.objects.all()}
        return cls(zones=zones, sectors=sectors, sdgs=sdgs)

    def collective(self, directory: DirectoryPage, name: str) -> tuple[OrganisationPage | None, str]:
        """`_collective`, remembered once found (a collective named by thousands of rows is read once); a name
        not found is looked up again, since a later row may create it."""
        if name not in self.collectives:
            found, message = _collective(directory, name)
            if found is None:
                return found, message
            self.collectives[name] = found
        return self.collectives[name], ""

    def names(self, vocabulary: str) -> list[str]:
        """The names to suggest for an unknown value."""
        if vocabulary == "sdgs":
            return []
        return sorted({str(entry) for entry in getattr(self, vocabulary).values()})


def _vocabulary_key(vocabulary: str, value: str) -> str:
    """ "ODD 2", "odd2" or "2" name the second goal; names and codes are read without accents or case."""
    key = normalised(value)
    return re.sub(r"^(odd|sdg)_?", "", key) if vocabulary == "sdgs" else key


def _collective(directory: DirectoryPage, name: str) -> tuple[OrganisationPage | None, str]:
    collectives = OrganisationPage.objects.child_of(directory).filter(actor_type=ActorType.COLLECTIVE)
    matches = list(collectives.filter(title__iexact=name)[:2]) or list(collectives.filter(acronym__iexact=name)[:2])
    if len(matches) == 1:
        return matches[0], ""
    if matches:
        return None, _("Several collectives are named “%(name)s”.") % {"name": name}
    return None, _("No departmental collective is named “%(name)s” in this directory.") % {"name": name}


def _mapped_items(column: str, cell: str, separator: str, mapping: ImportMapping) -> dict[str, str]:
    """The list cell's values, each with the value to look up: the mapping's code, or the value itself. A
    whole cell the mapping names is one value, whatever separator its label contains."""
    whole = mapping.value_for(column, cell) if cell else None
    values = [cell.strip()] if whole is not None else _split(cell, separator)
    return {value: mapping.value_for(column, value) or value for value in values}


def _row_cleaned(
    line: int,
    cells: dict[str, str],
    *,
    directory: DirectoryPage,
    thesaurus: Thesaurus,
    separator: str = "|",
    mapping: ImportMapping = NO_MAPPING,
) -> ImportRow:
    """The row's values, checked by the model's own fields; raise _RowFailure listing every bad cell. The
    mapping's values are read before the choices and the thesaurus."""
    errors: list[tuple[str, str]] = []
    row = ImportRow(line=line, values={}, relations={}, tags=None)
    for column, name in FIELD_COLUMNS.items():
        if column not in cells or (name in KEEP_WHEN_EMPTY and not cells[column]):
            continue
        raw = (mapping.value_for(column, cells[column]) if cells[column] else None) or cells[column]
        value, messages = _field_value(name, raw, _prepared(name, raw))
        row.values[name] = value
        errors += [(column, message) for message in messages]
    for column, name in RELATION_COLUMNS.items():
        if column in cells:
            vocabulary = getattr(thesaurus, name)
            items = _mapped_items(column, cells[column], separator, mapping)
            keys = {value: _vocabulary_key(name, looked_up) for value, looked_up in items.items()}
            row.relations[name] = list(dict.fromkeys(vocabulary[key] for key in keys.values() if key in vocabulary))
            unknown = [value for value, key in keys.items() if key not in vocabulary]
            errors += [(column, _unknown(unknown, thesaurus.names(name)))] if unknown else []
    if "pays" in cells:
        items = _mapped_items("pays", cells["pays"], separator, mapping)
        codes = {value: _country(looked_up) for value, looked_up in items.items()}
        row.values["countries"] = sorted(set(filter(None, codes.values())))
        unknown = [value for value, code in codes.items() if not code]
        errors += [("pays", _unknown(unknown, _country_names()))] if unknown else []
    if "mots_cles" in cells:
        row.tags = _split(cells["mots_cles"], separator)
        tag_field = Tag._meta.get_field("name")
        for tag in row.tags:
            try:
                tag_field.clean(tag, None)
            except ValidationError as exc:
                errors += [("mots_cles", f"{tag[:20]}…: {' '.join(exc.messages)}")]
    if "collectif" in cells:
        collective, message = thesaurus.collective(directory, cells["collectif"]) if cells["collectif"] else (None, "")
        row.values["parent_collective_id"] = collective.pk if collective else None
        errors += [("collectif", message)] if message else []
    if errors:
        raise _RowFailure(errors)
    return row


# The columns whose values are codes of a list or of the thesaurus, which a mapping may translate.
VALUE_COLUMNS = ("type", "adhesion", "zones", "pays", "secteurs", "odd")


def _value_known(column: str, value: str, thesaurus: Thesaurus) -> bool:
    if column == "type":
        return choice_code("actor_type", value) in ActorType.values
    if column == "adhesion":
        return choice_code("membership_status", value) in MembershipStatus.values
    if column == "pays":
        return bool(_country(value))
    name = RELATION_COLUMNS[column]
    return _vocabulary_key(name, value) in getattr(thesaurus, name)


def unknown_values(table: CsvTable, *, thesaurus: Thesaurus, limit: int) -> dict[str, tuple[list[str], int]]:
    """For each list or choice column of the file, the values neither the choices nor the thesaurus know
    (without any value mapping: the mapping step shows them all), each once in the order met, at most `limit`,
    and how many more there are."""
    found: dict[str, dict[str, str]] = {column: {} for column in VALUE_COLUMNS if column in table.columns}
    for _line, cells in table.rows:
        for column, values in found.items():
            cell = cells.get(column, "")
            if not cell:
                continue
            items = [cell] if column in ("type", "adhesion") else _split(cell, table.list_separator)
            for item in items:
                key = normalised(item)
                if key not in values and not _value_known(column, item, thesaurus):
                    values[key] = item
    return {
        column: (list(values.values())[:limit], max(len(values) - limit, 0))
        for column, values in found.items()
        if values
    }


def rows_checked(
    table: CsvTable, *, directory: DirectoryPage, thesaurus: Thesaurus, mapping: ImportMapping, count: int
) -> list[tuple[int, dict[str, str], list[tuple[str, str]]]]:
    """The first `count` rows with the errors reading them with `mapping` gives (column, message), writing
    nothing: what the import would refuse in each cell. (A row naming the same organisation as another, or
    one with unpublished changes, is found only by the import itself.)"""
    checked = []
    for line, cells in table.rows[:count]:
        try:
            _row_cleaned(
                line, cells, directory=directory, thesaurus=thesaurus, separator=table.list_separator, mapping=mapping
            )
            errors: list[tuple[str, str]] = []
        except _RowFailure as exc:
            errors = exc.errors
        checked.append((line, cells, errors))
    return checked


def _current_value(page: OrganisationPage, name: str) -> Any:
    if name == "countries":
        return sorted(country.code for country in page.countries)
    return getattr(page, name)


def _differences(page: OrganisationPage, row: ImportRow) -> list[str]:
    changed = [name for name, value in row.values.items() if _current_value(page, name) != value]
    changed += [
        name
        for name, objects in row.relations.items()
        if {obj.pk for obj in getattr(page, name).all()} != {obj.pk for obj in objects}
    ]
    if row.tags is not None and {tag.name for tag in page.tags.all()} != set(row.tags):
        changed.append("tags")
    return changed


def _identity_of(other: OrganisationPage | ImportRow) -> tuple[str, str]:
    if isinstance(other, ImportRow):
        return other.identity
    return compact_identifier(other.siren) or compact_identifier(other.siret)[:9], compact_identifier(other.rna)


def _title_of(other: OrganisationPage | ImportRow) -> str:
    return other.values["title"] if isinstance(other, ImportRow) else other.title


def _same_identifier(other: OrganisationPage | ImportRow, row: ImportRow) -> bool:
    return any(a and a == b for a, b in zip(_identity_of(other), row.identity, strict=True))


def _differing_identifier(other: OrganisationPage | ImportRow, row: ImportRow) -> str:
    """ "SIREN" or "RNA" when the other and the row both have that number and it differs (and no other matches):
    a close name in the same commune then names another organisation."""
    if _same_identifier(other, row):
        return ""
    for label, their, our in zip(("SIREN", "RNA"), _identity_of(other), row.identity, strict=True):
        if their and our and their != our:
            return label
    return ""


def _page_update(row: ImportRow, page: OrganisationPage, *, user) -> str:
    """UPDATED or UNCHANGED: the row written on an organisation the file names once."""
    if not _differences(page.get_latest_revision_as_object(), row):
        return UNCHANGED
    if page.has_unpublished_changes or not page.live:
        # Publishing would publish (or drop) a draft nobody has approved yet, or an unpublished page.
        message = _(
            "“%(title)s” is unpublished, or has changes awaiting publication or moderation: the import leaves it "
            "as it is. Update it in the admin."
        )
        raise _RowFailure([("", message % {"title": page.title})])
    with transaction.atomic():
        import_row_assign(page, row)
        page.save_revision(user=user, log_action=True).publish(user=user)
        page_live_fields_change(page=page, user=user, values=_live_values(row))
        organisation_provision(organisation=page)
    return UPDATED


def _live_values(row: ImportRow) -> dict[str, Any]:
    """The row's membership, collective and type: written on the live page, they travel in no revision."""
    values = {name: row.values[name] for name in ("membership_status", "actor_type") if name in row.values}
    if "parent_collective_id" in row.values:
        pk = row.values["parent_collective_id"]
        values["parent_collective"] = OrganisationPage.objects.get(pk=pk) if pk else None
    return values


def _failure_errors(exc: Exception) -> list[tuple[str, str]]:
    if isinstance(exc, _RowFailure):
        return exc.errors
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [
            (COLUMN_OF_FIELD.get(name, ""), message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    if isinstance(exc, ValidationError):
        return [("", message) for message in exc.messages]
    logger.exception("Organisation import: a row could not be saved")
    message = _("This line could not be saved; nothing of it was imported (database error: %(error)s).")
    return [("", message % {"error": str(exc)[:200]})]


@dataclass
class RowResult:
    """What importing one row did: an outcome (CREATED, UPDATED, UNCHANGED, or "" when it failed)."""

    line: int
    outcome: str
    title: str
    organisation_id: int | None = None
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class RowImporter:
    """Imports rows one by one into a directory; a bad row is reported and skipped, never half-imported.

    `batch_import` imports a batch of rows, in the caller's transaction: the organisations they may name are read
    for the batch at once (`DuplicateCandidates`); an update is written at once, in its own savepoint; new
    organisations wait for the end of the batch, when `flush` inserts them together (`organisations_insert`)
    and gives them their workspaces and history entries.
    A second row naming an organisation already imported from the file is an error naming the first: the import
    remembers those it imported (`claimed`, each with its line); a background import forgets them after each
    batch and asks `claimed_line` for those of the batches recorded, a resumed one for those of the rows done.
    """

    def __init__(
        self,
        *,
        directory: DirectoryPage,
        user=None,
        separator: str = "|",
        claimed_line: Callable[[int], int | None] | None = None,
        mapping: ImportMapping = NO_MAPPING,
    ):
        self.directory = directory
        self.user = user if user is not None and user.is_authenticated else None
        self.separator = separator
        self.mapping = mapping
        self.claimed: dict[int, int] = {}
        self._claimed_line = claimed_line
        self.thesaurus = Thesaurus.load()
        self._pending = PendingRows()
        self._new: list[tuple[RowResult, ImportRow]] = []
        self._resembling: dict[int, OrganisationPage | ImportRow] = {}  # a new row's line -> what it resembles
        self._candidates = DuplicateCandidates()

    def batch_import(self, rows: list[tuple[int, dict[str, str]]]) -> list[RowResult]:
        """Each row's result, the new organisations inserted."""
        self._candidates = DuplicateCandidates(cells for _line, cells in rows)
        if self._claimed_line is not None:
            self.claimed = {}
        results = [self.apply(line, cells) for line, cells in rows]
        self.flush()
        return results

    def apply(self, line: int, cells: dict[str, str]) -> RowResult:
        notes: list[str] = []
        title = cells.get("nom", "")
        try:
            row = _row_cleaned(
                line,
                cells,
                directory=self.directory,
                thesaurus=self.thesaurus,
                separator=self.separator,
                mapping=self.mapping,
            )
            title = row.values["title"]
            outcome, organisation_id = self._row_apply(row, notes)
        except (_RowFailure, ValidationError, DatabaseError) as exc:
            errors = [RowError(line, column, message) for column, message in _failure_errors(exc)]
            return RowResult(line, "", title, errors=errors, notes=notes)
        result = RowResult(line, outcome, title, organisation_id, notes=notes)
        if outcome == CREATED:
            self._new.append((result, row))
        return result

    def _row_apply(self, row: ImportRow, notes: list[str]) -> tuple[str, int | None]:
        """What the row does (CREATED, UPDATED or UNCHANGED), and to which organisation (none yet for a new one).

        The organisation it names is looked for in the directory and among the batch's new rows, one named by
        the same identifier first."""
        values = {name: row.values.get(name) or "" for name in ("commune", "siren", "rna", "siret")}
        in_directory = self._candidates.get(self._candidates.find(name=row.values["title"], **values))
        found = [other for other in (in_directory, self._pending.find(row)) if other is not None]
        other = next((other for other in found if _same_identifier(other, row)), found[0] if found else None)
        identifier = _differing_identifier(other, row) if other is not None else ""
        if other is None or identifier:
            self._pending.add(row)
            if other is not None:
                self._resembling[row.line] = other
                message = _(
                    "Line %(line)s: “%(title)s” is close to “%(other)s” in the same commune, but their "
                    "%(identifier)s numbers differ: imported as a separate organisation. Check whether they are "
                    "the same."
                )
                values = {"line": row.line, "title": row.values["title"], "identifier": identifier}
                notes.append(message % {**values, "other": _title_of(other)})
            return CREATED, None
        first_line = other.line if isinstance(other, ImportRow) else self._first_line(other.pk)
        if first_line is not None:
            message = _("Same organisation as line %(line)s (“%(title)s”).")
            raise _RowFailure([("", message % {"line": first_line, "title": _title_of(other)})])
        self.claimed[other.pk] = row.line
        outcome = _page_update(row, other, user=self.user)
        if outcome == UPDATED:
            self._candidates.reread(other.pk)
        return outcome, other.pk

    def _first_line(self, organisation_id: int) -> int | None:
        if organisation_id in self.claimed:
            return self.claimed[organisation_id]
        return self._claimed_line(organisation_id) if self._claimed_line is not None else None

    def flush(self) -> None:
        """Insert the organisations of the batch (one by one if the batch fails: a row that cannot be saved is
        then in error, the others imported), then their workspaces (the same way: an organisation whose
        workspace cannot be made is taken out again), history, the directory's child count and the public
        pages' cache."""
        new, self._new, resembling, self._resembling = self._new, [], self._resembling, {}
        self._pending.take()
        if not new:
            return
        created = self._insert(new)
        pages_by_line = {result.line: page for result, page in created}
        for result, page in created:
            result.organisation_id = page.pk
            self.claimed[page.pk] = result.line
            other = resembling.get(result.line)
            other = pages_by_line.get(other.line) if isinstance(other, ImportRow) else other
            if other is not None:
                possible_duplicate_record(organisation=page, other=other, user=self.user, line=result.line)
        try:
            with transaction.atomic():
                organisations_provision_new([page for _result, page in created])
        except DatabaseError:
            created = [(result, page) for result, page in created if self._provision_alone(result, page)]
        _history_write([page for _result, page in created], user=self.user)
        Page.objects.filter(pk=self.directory.pk).update(numchild=self.directory.get_children().count())
        page_cache_invalidate()

    def _insert(self, new: list[tuple[RowResult, ImportRow]]) -> list[tuple[RowResult, OrganisationPage]]:
        try:
            with transaction.atomic():
                pages = organisations_insert([row for _result, row in new], directory=self.directory, user=self.user)
            return list(zip([result for result, _row in new], pages, strict=True))
        except DatabaseError:
            pass
        created = []
        for result, row in new:
            try:
                with transaction.atomic():
                    created += [(result, *organisations_insert([row], directory=self.directory, user=self.user))]
            except DatabaseError as exc:
                result.outcome = ""
                result.errors = [RowError(result.line, column, message) for column, message in _failure_errors(exc)]
        return created

    def _provision_alone(self, result: RowResult, page: OrganisationPage) -> bool:
        try:
            with transaction.atomic():
                organisations_provision_new([page])
        except DatabaseError as exc:
            with transaction.atomic():
                page.delete()
            self.claimed.pop(page.pk, None)
            result.outcome, result.organisation_id = "", None
            result.errors = [RowError(result.line, column, message) for column, message in _failure_errors(exc)]
            return False
        return True


def _history_write(pages: list[OrganisationPage], *, user) -> None:
    """Each new organisation's "created" and "published" entries, as Wagtail writes them, in one query."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(OrganisationPage)
    PageLogEntry.objects.bulk_create(
        PageLogEntry(
            page=page,
            content_type=content_type,
            label=page.title,
            action=action,
            timestamp=now,
            user=user,
            revision=page.live_revision if action == "wagtail.publish" else None,
            content_changed=True,
            data={},
        )
        for page in pages
        for action in ("wagtail.create", "wagtail.publish")
    )


def organisations_import(
    *,
    rows_source: RowsSource,
    directory: DirectoryPage,
    dry_run: bool,
    report: Report | None = None,
    user=None,
    max_rows: int | None = None,
    mapping: ImportMapping = NO_MAPPING,
) -> ImportReport:
    """Create or update the directory's organisations from a CSV file in the export's format.

    A row matching an existing organisation (`organisation_find_duplicate`) updates it, publishing a
    new revision only when something differs; a second organisation matching the same one is an error, as is
    an organisation with unpublished changes the row would overwrite. Never raises for a bad file: file-level
    problems are in `file_errors`, and nothing is written then. With `max_rows`, only the first rows are read
    (a dry run in the admin checks a sample; the whole file is imported in the background). `mapping` is a
    profile's or the mapping step's reading of the file's columns and values.
    """
    result = ImportReport(dry_run=dry_run)
    try:
        table = organisations_csv_read(rows_source=rows_source, mapping=mapping)
    except ImportFileError as exc:
        result.file_errors.append(str(exc))
        return result
    if max_rows is not None and len(table.rows) > max_rows:
        message = _("Only the first %(count)s rows of %(total)s were checked; the import reads them all.")
        result.warnings.append(message % {"count": max_rows, "total": len(table.rows)})
        table.rows = table.rows[:max_rows]
    result.total = table.total
    result.warnings += table.warnings
    result.row_errors += table.broken
    with transaction.atomic() if dry_run else contextlib.nullcontext():
        importer = RowImporter(directory=directory, user=user, separator=table.list_separator, mapping=mapping)
        for start in range(0, len(table.rows), PROGRESS_EVERY):
            with transaction.atomic():
                rows = importer.batch_import(table.rows[start : start + PROGRESS_EVERY])
            for row in rows:
                result.warnings += row.notes
                result.row_errors += row.errors
                if row.outcome:
                    setattr(result, row.outcome, getattr(result, row.outcome) + 1)
                    if row.outcome != UNCHANGED:
                        result.changes.append(RowChange(row.line, row.outcome, row.title))
            if report:
                done = len(table.broken) + start + len(rows)
                report(_("Organisations: %(done)s/%(total)s") % {"done": done, "total": result.total})
        if dry_run:
            transaction.set_rollback(True)
    result.row_errors.sort(key=lambda error: error.line)
    return result
