from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from casi_workspace.core.services.health import scheduled_run_record
from casi_workspace.support.services import support_reminders_send


class Command(BaseCommand):
    help = (
        "Remind the coordinators of the support requests left without a first answer past their need's target "
        "(CASI_WORKSPACE_SUPPORT_FIRST_ANSWER_DAYS): one email per coordinator. Run it once a day; each request "
        "is reminded once, so running it again sends nothing new."
    )

    def handle(self, *args, **options):
        count = support_reminders_send()
        scheduled_run_record("casi_support_reminders")
        self.stdout.write(self.style.SUCCESS(_("%(count)s late support requests reminded.") % {"count": count}))
