from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casi_workspace.exchange.models import PartnerSource
from casi_workspace.exchange.selectors import partner_duplicate_candidates
from casi_workspace.exchange.services import source_sync, sources_due


class Command(BaseCommand):
    help = (
        "Fetch the partner sources whose time has come (run it every few minutes) and bring their items up to "
        "date. Each source is claimed before it is fetched: several machines may run it at the same time."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--source", type=int, help="Fetch this source now, whatever its schedule.")
        parser.add_argument("--complete", action="store_true", help="Fetch everything, not only what changed.")

    def handle(self, *args, **options):
        if options["source"]:
            sources = list(PartnerSource.objects.filter(pk=options["source"]))
            if not sources:
                raise CommandError(_("No partner source has the number %(pk)s.") % {"pk": options["source"]})
        else:
            sources = sources_due()
        failed, changed = 0, False
        for number, source in enumerate(sources, start=1):
            report = source_sync(source, complete=True if options["complete"] else None)
            counts = {"number": number, "total": len(sources), "name": source.name}
            if report.error:
                failed += 1
                self.stdout.write(
                    self.style.WARNING(
                        _("%(number)s/%(total)s %(name)s: %(error)s") % (counts | {"error": report.error})
                    )
                )
            elif report.unchanged:
                self.stdout.write(_("%(number)s/%(total)s %(name)s: nothing new.") % counts)
            else:
                changed = True
                self.stdout.write(
                    _("%(number)s/%(total)s %(name)s: %(created)s new, %(updated)s updated, %(withdrawn)s withdrawn.")
                    % (counts | {"created": report.created, "updated": report.updated, "withdrawn": report.withdrawn})
                )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s sources fetched, %(failed)s failed.") % {"count": len(sources), "failed": failed}
            )
        )
        if changed:
            # What changed may have brought likely duplicates: said here, decided in the admin's review list.
            count = len(partner_duplicate_candidates())
            if count:
                self.stdout.write(
                    ngettext(
                        "%(count)s likely duplicate waits for a coordinator's decision "
                        "(Partner networks › Possible duplicates).",
                        "%(count)s likely duplicates wait for a coordinator's decision "
                        "(Partner networks › Possible duplicates).",
                        count,
                    )
                    % {"count": count}
                )
