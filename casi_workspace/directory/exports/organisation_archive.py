"""An organisation takes its data away: one ZIP of everything it owns, for its managers (and its coordinators).

organisation.json/.csv (its page, with the directory export's columns and the fields only it and the
coordinators see), publications.json/.csv (every page under its page), documents/ and images/ (the original
files of its collection, under their own names), fichiers.csv (what each file is), team.json/.csv, and a
README.txt in French. The ZIP is written to a temporary file that stays in memory while small and moves to
disk past SPOOL_BYTES; each file is copied in chunks, never read whole. A file missing from the storage is
left out and named in the README. The number of queries does not depend on how much the organisation owns:
one per kind of page, one per kind of file, a few for the page and the team.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape, unescape
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from casi_workspace.core.spreadsheets import spreadsheet_safe
from casi_workspace.directory.exports import COLUMNS, directory_records
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.publications.models.publications import PublicationPage, PublicationTag
from casi_workspace.workspaces.models import OrganisationWorkspace
from casi_workspace.workspaces.services.teams import team_members

SPOOL_BYTES = 8 * 1024 * 1024
COPY_CHUNK = 1024 * 1024

# Besides the directory's public columns: what the organisation itself (and the coordinators) see of its page.
OWN_COLUMNS = [
    "description_html",
    "description_texte",
    "contact",
    "courriel_prive",
    "telephone_prive",
    "de_confiance",
    "en_ligne",
    "premiere_publication",
    "derniere_publication",
]
ORGANISATION_COLUMNS = [*COLUMNS, *OWN_COLUMNS]
PUBLICATION_COLUMNS = [
    "id",
    "type",
    "titre",
    "resume",
    "en_ligne",
    "modifications_non_publiees",
    "premiere_publication",
    "derniere_publication",
    "derniere_modification",
    "url",
    "mots_cles",
    "texte",
    "html",
    "details",
]
TEAM_COLUMNS = ["prenom", "nom", "identifiant", "courriel", "role", "role_libelle", "depuis"]
FILE_COLUMNS = ["dossier", "fichier", "titre", "taille_octets", "ajoute_le", "present"]


@dataclass
class _Archive:
    """The ZIP being written, the names already given in each folder, and the files that could not be read."""

    zip: zipfile.ZipFile
    names: dict[str, set[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def unique_name(self, folder: str, name: str) -> str:
        """`name` in `folder`, or "name (2).ext"… when another file has it (compared without regard to case)."""
        taken = self.names.setdefault(folder, set())
        stem, dot, extension = name.rpartition(".")
        if not stem:
            stem, dot, extension = name, "", ""
        candidate, number = name, 1
        while candidate.casefold() in taken:
            number += 1
            candidate = f"{stem} ({number}){dot}{extension}"
        taken.add(candidate.casefold())
        return f"{folder}/{candidate}"

    def write_text(self, name: str, write: Callable[[IO[str]], object]) -> None:
        with self.zip.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
            write(text)

    def write_json(self, name: str, value: Any) -> None:
        self.write_text(name, lambda out: json.dump(value, out, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))

    def write_csv(self, name: str, columns: list[str], records: Iterable[dict[str, Any]]) -> None:
        def write(out: IO[str]) -> None:
            out.write("\ufeff")
            writer = csv.writer(out)
            writer.writerow(columns)
            for record in records:
                writer.writerow([_csv_cell(record[column]) for column in columns])

        self.write_text(name, write)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        value = "|".join(map(str, value))
    elif isinstance(value, dict):
        value = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    return spreadsheet_safe(value)


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _plain(html: str) -> str:
    return unescape(strip_tags(html)).strip()


def _body_html(raw_blocks: Iterable[dict[str, Any]]) -> str:
    """A StreamField body as HTML, from its stored data: no query for its images, documents or links.

    Rich text keeps Wagtail's stored form (links to pages and documents by id); images and documents are
    named by their id, whose file is in the archive's images/ or documents/ (see fichiers.csv).
    """
    parts = []
    for block in raw_blocks or []:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph" and isinstance(value, str):
            parts.append(value)
        elif kind == "heading":
            parts.append(f"<h2>{escape(str(value))}</h2>")
        elif kind == "quote":
            parts.append(f"<blockquote>{escape(str(value))}</blockquote>")
        elif kind == "embed" and value:
            parts.append(f'<p><a href="{escape(str(value))}">{escape(str(value))}</a></p>')
        elif kind == "image" and value:
            image = value.get("image") if isinstance(value, dict) else value
            alt = value.get("alt_text", "") if isinstance(value, dict) else ""
            parts.append(f'<p data-image="{escape(str(image))}">[image {escape(str(image))}] {escape(alt or "")}</p>')
        elif kind == "document" and value:
            parts.append(f'<p data-document="{escape(str(value))}">[document {escape(str(value))}]</p>')
    return "\n".join(parts)


def _jsonable(model_field, page: Model) -> Any:
    value = model_field.value_from_object(page)
    if value is None or isinstance(value, str | int | float | bool | Decimal | date):
        return value
    return model_field.value_to_string(page)


def _details(page: Model, shared: set[str]) -> dict[str, Any]:
    """The kind's own columns (an event's dates and place, an offer's deadline…), as stored."""
    return {
        model_field.name: _jsonable(model_field, page)
        for model_field in page._meta.concrete_fields
        if model_field.attname not in shared and not model_field.primary_key
    }


def _organisation_record(organisation: OrganisationPage, base_url: str) -> dict[str, Any]:
    record = next(directory_records(OrganisationPage.objects.filter(pk=organisation.pk), base_url))
    record.update(
        {
            "description_html": organisation.description,
            "description_texte": _plain(organisation.description),
            "contact": organisation.contact_name,
            "courriel_prive": organisation.private_email,
            "telephone_prive": organisation.private_phone,
            "de_confiance": organisation.is_trusted,
            "en_ligne": organisation.live,
            "premiere_publication": _when(organisation.first_published_at),
            "derniere_publication": _when(organisation.last_published_at),
        }
    )
    return record


def _publication_records(organisation: OrganisationPage, request: HttpRequest | None) -> list[dict[str, Any]]:
    """Every page under the organisation's page, draft or live: one query per kind of page, one for the tags.

    Each kind is read from its own table (rather than Wagtail's `.specific()`, which reads in chunks of 100
    pages and so grows with their number).
    """
    subtree = Page.objects.descendant_of(organisation)
    tags: dict[int, list[str]] = {}
    for page_id, name in (
        PublicationTag.objects.filter(content_object__in=subtree.values("pk"))
        .order_by("tag__name")
        .values_list("content_object_id", "tag__name")
    ):
        tags.setdefault(page_id, []).append(name)
    shared = {model_field.attname for model_field in PublicationPage._meta.concrete_fields}
    records = []
    kinds = subtree.order_by().values_list("content_type", flat=True).distinct()
    content_types = [ContentType.objects.get_for_id(kind) for kind in kinds]
    for content_type in sorted(content_types, key=lambda kind: kind.model):
        model = content_type.model_class()
        if model is None:
            continue
        for page in model.objects.descendant_of(organisation).order_by("path").iterator(chunk_size=200):
            body = getattr(page, "body", None)
            html = _body_html(body.raw_data if body is not None else [])
            records.append(
                {
                    "id": page.pk,
                    "type": getattr(page, "kind", "") or content_type.model,
                    "titre": page.title,
                    "resume": getattr(page, "summary", ""),
                    "en_ligne": page.live,
                    "modifications_non_publiees": page.has_unpublished_changes,
                    "premiere_publication": _when(page.first_published_at),
                    "derniere_publication": _when(page.last_published_at),
                    "derniere_modification": _when(page.latest_revision_created_at),
                    "url": page.get_full_url(request) or "",
                    "mots_cles": tags.get(page.pk, []),
                    "texte": _plain(html),
                    "html": html,
                    "details": _details(page, shared),
                }
            )
    return records


def _team_records(organisation: OrganisationPage) -> list[dict[str, Any]]:
    return [
        {
            "prenom": membership.user.first_name,
            "nom": membership.user.last_name,
            "identifiant": membership.user.get_username(),
            "courriel": membership.user.email,
            "role": membership.role,
            "role_libelle": str(membership.get_role_display()),
            "depuis": _when(membership.created_at),
        }
        for membership in team_members(organisation)
    ]


def _copy_files(archive: _Archive, folder: str, files: Iterator[Model]) -> list[dict[str, Any]]:
    """Each file under its own name (made unique) in `folder`; one the storage cannot open is listed as missing."""
    records = []
    for item in files:
        original = posixpath.basename(item.file.name or "") or f"{folder}-{item.pk}"
        path = archive.unique_name(folder, original)
        present = True
        try:
            source = item.file.storage.open(item.file.name, "rb")
        except (OSError, ValueError):
            present = False
            archive.missing.append(f"{path} ({item.title})")
        else:
            with source, archive.zip.open(path, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, COPY_CHUNK)
        records.append(
            {
                "dossier": folder,
                "fichier": path if present else "",
                "titre": item.title,
                "taille_octets": getattr(item, "file_size", None),
                "ajoute_le": _when(item.created_at),
                "present": present,
            }
        )
    return records


def _readme(organisation: OrganisationPage, archive: _Archive, counts: dict[str, int]) -> str:
    lines = [
        _("Data of %(organisation)s, downloaded on %(date)s.")
        % {"organisation": organisation.title, "date": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
        "",
        _("organisation.json, organisation.csv: the organisation's page, with the directory's columns."),
        _("publications.json, publications.csv: every page under the organisation's page (%(count)s), drafts included.")
        % {"count": counts["publications"]},
        _("documents/, images/: the original files of the organisation's collection (%(documents)s, %(images)s).")
        % {"documents": counts["documents"], "images": counts["images"]},
        _("fichiers.csv: the title, size and date of each file, and its name in this archive."),
        _("team.json, team.csv: the team's members, with their role and email address."),
        "",
        _("The CSV files are UTF-8 with a byte-order mark, for spreadsheets; lists are separated by |."),
    ]
    if archive.missing:
        lines += ["", _("These files could not be found on the server, and are not in the archive:")]
        lines += [f"- {name}" for name in archive.missing]
    return "\r\n".join(lines) + "\r\n"


def organisation_archive(organisation: OrganisationPage, *, request: HttpRequest | None = None) -> IO[bytes]:
    """The organisation's ZIP, in a temporary file positioned at its start (in memory up to SPOOL_BYTES)."""
    workspace = OrganisationWorkspace.objects.filter(organisation=organisation).select_related("collection").first()
    directory = organisation.get_parent()
    base_url = (directory.get_full_url(request) or "") if directory is not None else ""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 -- returned to the caller
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        archive = _Archive(zip=zip_file)
        record = _organisation_record(organisation, base_url)
        archive.write_json("organisation.json", record)
        archive.write_csv("organisation.csv", ORGANISATION_COLUMNS, [record])
        publications = _publication_records(organisation, request)
        archive.write_json("publications.json", publications)
        archive.write_csv("publications.csv", PUBLICATION_COLUMNS, publications)
        files: dict[str, list[dict[str, Any]]] = {"documents": [], "images": []}
        if workspace is not None:
            for folder, model in (("documents", get_document_model()), ("images", get_image_model())):
                queryset = model.objects.filter(collection=workspace.collection).order_by("pk")
                files[folder] = _copy_files(archive, folder, queryset.iterator(chunk_size=200))
        archive.write_csv("fichiers.csv", FILE_COLUMNS, [*files["documents"], *files["images"]])
        team = _team_records(organisation)
        archive.write_json("team.json", team)
        archive.write_csv("team.csv", TEAM_COLUMNS, team)
        counts = {"publications": len(publications), **{name: len(rows) for name, rows in files.items()}}
        zip_file.writestr("README.txt", _readme(organisation, archive, counts).encode("utf-8"))
    spool.seek(0)
    return spool


def organisation_archive_response(organisation: OrganisationPage, request: HttpRequest) -> FileResponse:
    filename = f"donnees-{organisation.slug}-{timezone.localdate().isoformat()}.zip"
    return FileResponse(
        organisation_archive(organisation, request=request),
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )
