from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from casi_workspace.management.lease import lease_argument_add
from casi_workspace.newsletter.services.sending import issues_send_resume


class Command(BaseCommand):
    help = (
        "Resume the newsletter issues being sent, after the task worker stopped or crashed (run it before "
        "starting the worker again). Emails still to send are queued again, as one chain of batches; an email "
        "a killed worker was sending is marked failed, since it may have left, for a coordinator to retry, and "
        "the task it left running is closed. On PostgreSQL a batch another worker is sending is left alone. "
        "Nothing is sent twice."
    )

    def add_arguments(self, parser):
        lease_argument_add(parser, setting="NEWSLETTER_SEND_LEASE")

    def handle(self, *args, lease: float | None = None, **options):
        resumed = issues_send_resume(lease=lease)
        for issue, interrupted in resumed:
            self.stdout.write(
                ngettext(
                    "%(title)s: resumed, %(count)s interrupted email marked failed.",
                    "%(title)s: resumed, %(count)s interrupted emails marked failed.",
                    interrupted,
                )
                % {"title": issue.title, "count": interrupted}
            )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext("%(count)s issue resumed.", "%(count)s issues resumed.", len(resumed))
                % {"count": len(resumed)}
            )
        )
