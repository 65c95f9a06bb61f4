from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from casi_workspace.core.services.health import scheduled_run_record
from casi_workspace.registrations.services import registration_offers_expire, registrations_erase
from casi_workspace.registrations.tasks import registration_reminders_send


class Command(BaseCommand):
    help = (
        "Registrations' periodic work (run it every hour): expire the offers not confirmed in time and offer "
        "their places to the next people in line, queue the reminders of tomorrow's events for the task "
        "worker (each sent once), and erase the registrations of events past the retention period."
    )

    def handle(self, *args, **options):
        expired = registration_offers_expire()
        registration_reminders_send.enqueue()
        erased = registrations_erase()
        scheduled_run_record("casi_registrations")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(expired)s offers expired, %(erased)s registrations erased; reminders queued.")
                % {"expired": expired, "erased": erased}
            )
        )
