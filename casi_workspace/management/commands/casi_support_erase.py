from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from casi_workspace.conf import get_setting
from casi_workspace.core.services.health import scheduled_run_record
from casi_workspace.support.services import support_requests_erase_expired


class Command(BaseCommand):
    help = (
        "Erase the support requests closed longer ago than CASI_WORKSPACE_SUPPORT_RETENTION_DAYS, with their "
        "messages and documents; their anonymous figures are kept. Run it daily; a stopped run goes on at the next."
    )

    def handle(self, *args, **options):
        days = get_setting("SUPPORT_RETENTION_DAYS")
        self.stdout.write(_("Erasing the support requests closed more than %(days)s days ago…") % {"days": days})
        erased = support_requests_erase_expired(report=self.stdout.write)
        scheduled_run_record("casi_support_erase")
        self.stdout.write(self.style.SUCCESS(_("%(count)s support requests erased.") % {"count": erased}))
