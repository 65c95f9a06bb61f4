from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casi_workspace.directory.selectors import import_profile_find
from casi_workspace.directory.services.import_mapping import profile_mapping
from casi_workspace.directory.services.imports import ImportReport, organisations_import
from casi_workspace.organisations.models import DirectoryPage


def _directory(slug: str | None) -> DirectoryPage:
    directories = DirectoryPage.objects.filter(slug=slug) if slug else DirectoryPage.objects.all()
    found = list(directories[:2])
    if len(found) == 1:
        return found[0]
    if slug and not found:
        raise CommandError(_("No directory of actors has the slug “%(slug)s”.") % {"slug": slug})
    if not found:
        raise CommandError(_("There is no directory of actors to import into."))
    raise CommandError(_("There are several directories of actors: choose one with --directory SLUG."))


def _summary(result: ImportReport) -> str:
    return _("Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, errors: %(errors)s.") % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": result.errors,
    }


class Command(BaseCommand):
    help = (
        "Create or update the directory's organisations from a CSV file in the format of the directory's "
        "CSV export. Rows matching an existing organisation update it; a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8 or Windows-1252, comma or semicolon).")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing.")
        parser.add_argument("--directory", metavar="SLUG", help="The directory's slug, when there are several.")
        parser.add_argument("--profile", metavar="NAME", help="Read the file with this import profile (e.g. RRMA).")

    def handle(
        self,
        *args,
        file: str,
        dry_run: bool = False,
        directory: str | None = None,
        profile: str | None = None,
        **options,
    ):
        target = _directory(directory)
        found = import_profile_find(profile) if profile else None
        if profile and found is None:
            raise CommandError(_("No import profile is named “%(name)s”.") % {"name": profile})
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}) from exc
        result = organisations_import(
            rows_source=data,
            directory=target,
            dry_run=dry_run,
            report=lambda line: self.stdout.write(f"  {line}"),
            mapping=profile_mapping(found),
        )
        if result.file_errors:
            raise CommandError(" ".join(result.file_errors))
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for error in result.row_errors:
            where = _("Line %(line)s, %(column)s") if error.column else _("Line %(line)s")
            line = where % {"line": error.line, "column": error.column}
            self.stderr.write(self.style.ERROR(f"{line}: {error.message}"))
        style = self.style.WARNING if result.errors else self.style.SUCCESS
        self.stdout.write(style(_summary(result)))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
