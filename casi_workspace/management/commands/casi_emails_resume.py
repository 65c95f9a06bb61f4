from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from casi_workspace.conf import get_setting
from casi_workspace.core.delivery import outgoing_emails_interrupt, outgoing_emails_pending
from casi_workspace.core.tasks import outgoing_email_enqueue
from casi_workspace.management.lease import lease_argument_add


class Command(BaseCommand):
    help = (
        "After the task worker stopped (run it before starting the worker again): an email a stopped worker "
        "was sending is marked interrupted and reported, never sent again, since the mail server may have "
        "accepted it; every email still waiting is queued again. Nothing is sent twice."
    )

    def add_arguments(self, parser):
        lease_argument_add(parser, setting="EMAIL_SEND_LEASE")

    def handle(self, *args, lease: float | None = None, **options):
        interrupted = outgoing_emails_interrupt(lease=get_setting("EMAIL_SEND_LEASE") if lease is None else lease)
        now = timezone.now()
        pending = outgoing_emails_pending()
        for email_id, due in pending:
            outgoing_email_enqueue(email_id, run_after=due if due > now else None)
        if interrupted:
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "%(count)s email was being sent when the worker stopped: it may not have left, and is "
                        "not sent again (Settings › Outgoing emails).",
                        "%(count)s emails were being sent when the worker stopped: they may not have left, and "
                        "are not sent again (Settings › Outgoing emails).",
                        interrupted,
                    )
                    % {"count": interrupted}
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext("%(count)s waiting email queued.", "%(count)s waiting emails queued.", len(pending))
                % {"count": len(pending)}
            )
        )
