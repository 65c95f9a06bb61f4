"""The upload policy in one place: which files are accepted, how large, and which are only ever downloaded.

Every upload passes through it: the working groups' documents (services/library.py) and the directory's
CSV import (views/imports.py) call `upload_check`; the admin's documents and images are Wagtail's forms,
bounded by the settings that `upload_settings_check` inspects (`manage.py check --deploy`): file types
(`WAGTAILDOCS_EXTENSIONS`), sizes (`WAGTAILDOCS_MAX_UPLOAD_SIZE`, `WAGTAILIMAGES_MAX_UPLOAD_SIZE`), and how
documents are served (`WAGTAILDOCS_SERVE_METHOD`, `WAGTAILDOCS_INLINE_CONTENT_TYPES`). A file a browser would
run (HTML, SVG, XML, scripts) is never accepted as a document and, should one be stored anyway, is only ever
sent as a download (`served_as_download`).
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterable
from typing import IO

from django.core import checks
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from casi_workspace.conf import host_setting

ACTIVE_CONTENT_EXTENSIONS = frozenset({"html", "htm", "xhtml", "svg", "svgz", "xml", "xsl", "js", "mjs"})
ACTIVE_CONTENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/javascript"}
)


def file_extension(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def document_extensions() -> list[str]:
    """The file types a document may have (the site's `WAGTAILDOCS_EXTENSIONS`)."""
    return sorted(host_setting("WAGTAILDOCS_EXTENSIONS") or [])


def served_as_download(name: str) -> bool:
    """Whether a stored file must be sent as a download of unknown type, never shown by the browser."""
    return file_extension(name) in ACTIVE_CONTENT_EXTENSIONS


def download_response(handle: IO[bytes], filename: str) -> FileResponse:
    """A private file sent as a download: its type guessed from its name (never for active content), not
    sniffed, and sandboxed should a browser open it anyway."""
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if served_as_download(filename):
        content_type = "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def stored_file_download(file: FieldFile, filename: str) -> FileResponse:
    """A model's private file as a download (`download_response`), kept in no cache; a 404 if it is gone."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = download_response(handle, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def upload_check(upload: UploadedFile, *, extensions: Iterable[str], limit: int) -> str | None:
    """What is wrong with `upload`, in a sentence for the person who sent it; None when it is accepted:
    a listed extension (never active content), not empty, at most `limit` bytes."""
    name = os.path.basename(upload.name or "")
    accepted = sorted(set(extensions) - ACTIVE_CONTENT_EXTENSIONS)
    if not name or file_extension(name) not in accepted:
        return _("“%(name)s”: files of this type are not accepted. Accepted types: %(types)s.") % {
            "name": name or "?",
            "types": ", ".join(accepted),
        }
    if not upload.size:
        return _("“%(name)s” is empty.") % {"name": name}
    if upload.size > limit:
        return _("“%(name)s” is too large (%(size)s): the limit is %(limit)s.") % {
            "name": name,
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(limit),
        }
    return None


def upload_settings_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The settings behind Wagtail's own upload forms and document serving follow the policy."""
    problems = []
    active = ACTIVE_CONTENT_EXTENSIONS.intersection(e.lower() for e in document_extensions())
    if not document_extensions():
        problems.append(
            checks.Warning(
                "WAGTAILDOCS_EXTENSIONS is not set: documents of any type are accepted.",
                hint="List the accepted extensions, e.g. pdf, odt, docx, xlsx, csv, zip.",
                id="casi_workspace.W101",
            )
        )
    if active:
        problems.append(
            checks.Warning(
                f"WAGTAILDOCS_EXTENSIONS accepts files a browser would run: {', '.join(sorted(active))}.",
                hint="Remove them: a document is shared, and its scripts would run on the site's address.",
                id="casi_workspace.W103",
            )
        )
    if host_setting("WAGTAILDOCS_SERVE_METHOD") != "serve_view":
        problems.append(
            checks.Warning(
                "WAGTAILDOCS_SERVE_METHOD must be 'serve_view': private documents are served by the "
                "permission-checked view only.",
                id="casi_workspace.W104",
            )
        )
    inline = set(host_setting("WAGTAILDOCS_INLINE_CONTENT_TYPES"))
    if inline & ACTIVE_CONTENT_TYPES:
        shown = ", ".join(sorted(inline & ACTIVE_CONTENT_TYPES))
        problems.append(
            checks.Warning(
                f"WAGTAILDOCS_INLINE_CONTENT_TYPES shows active content inline: {shown}.", id="casi_workspace.W105"
            )
        )
    if host_setting("WAGTAILDOCS_MAX_UPLOAD_SIZE") is None:  # images have Wagtail's 10 MB default
        problems.append(
            checks.Warning(
                "WAGTAILDOCS_MAX_UPLOAD_SIZE is not set: documents of any size are accepted.",
                id="casi_workspace.W102",
            )
        )
    return problems
