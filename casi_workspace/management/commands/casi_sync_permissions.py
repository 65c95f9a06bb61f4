from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from wagtail.models import Site

from casi_workspace.workspaces.provisioning import coordinators_provision, organisations_sync


class Command(BaseCommand):
    help = "Provision (or re-sync) the coordinators and every organisation's groups, rights and workflows."

    def handle(self, *args, **options):
        for site in Site.objects.select_related("root_page"):
            coordinators_provision(site_root=site.root_page)
        count = organisations_sync(
            report=lambda done, total: self.stdout.write(
                _("Organisations: %(done)s/%(total)s") % {"done": done, "total": total}
            )
        )
        self.stdout.write(self.style.SUCCESS(_("%(count)s organisations in step.") % {"count": count}))
