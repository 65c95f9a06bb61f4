from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from casi_workspace.core.services.health import scheduled_run_record
from casi_workspace.workgroups.services.notifications import group_digests_send


class Command(BaseCommand):
    help = (
        "Send the working groups' daily digests to the members who chose them (run it once a day). A digest "
        "already sent in the last hours is not sent again: an interrupted run is resumed by running it again."
    )

    def handle(self, *args, **options):
        count = group_digests_send(
            report=lambda done, total: self.stdout.write(
                _("Digest members: %(done)s/%(total)s") % {"done": done, "total": total}
            )
        )
        scheduled_run_record("casi_group_digest")
        self.stdout.write(self.style.SUCCESS(_("%(count)s digests sent.") % {"count": count}))
