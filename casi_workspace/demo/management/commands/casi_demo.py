from __future__ import annotations

import os
import re

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Site

from casi_workspace.conf import get_setting
from casi_workspace.demo import partner
from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.demo.scale import (
    group_documents_scale,
    organisations_scale,
    publications_scale,
    working_groups_scale,
)
from casi_workspace.demo.seed import demo_seed, demo_site_address
from casi_workspace.models import DirectoryPage, WorkingGroupPage

NETWORK_NAME = "CASI Bretagne"

# The demo group that --group-documents fills: public, so that its page is measured as everybody sees it.
SCALE_GROUP = "ecsi"
SCALE_GROUP_COORDINATOR = "animation-gt"


ADDRESS = re.compile(r"(?P<host>[A-Za-z0-9.-]+):(?P<port>\d{1,5})")


def _address(value: str) -> tuple[str, int]:
    match = ADDRESS.fullmatch(value.strip())
    if match is None or not 0 < int(match["port"]) < 65536:
        raise CommandError(_("--address takes HOST:PORT, for example 127.0.0.1:8000."))
    return match["host"], int(match["port"])


class Command(BaseCommand):
    help = "Seed the demo network (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--network",
            choices=["casi-bretagne", partner.SLUG],
            default="casi-bretagne",
            help=f"The demo network to seed: CASI Bretagne (the default) or “{partner.NAME}”, the partner network "
            "CASI Bretagne follows (make demo-partner seeds it in a database of its own).",
        )
        parser.add_argument(
            "--follow",
            metavar="URL",
            help=f"CASI Bretagne follows “{partner.NAME}” served at this address (make demo gives "
            f"{partner.DEFAULT_URL}).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even where the settings forbid demo data (production)."
        )
        parser.add_argument(
            "--address",
            metavar="HOST:PORT",
            help="The address the demo is served at (make demo gives 127.0.0.1:8000): the default site takes it, "
            "so that absolute links (feeds, iCalendar files, the sitemap, structured data) reach the demo.",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also make sure N synthetic organisations exist (benchmarks); resumable.",
        )
        parser.add_argument(
            "--publications",
            type=int,
            default=0,
            metavar="N",
            help="Also make sure N synthetic publications exist, spread over the seven kinds (benchmarks); resumable.",
        )
        parser.add_argument(
            "--group-documents",
            type=int,
            default=0,
            metavar="N",
            help=f"Also make sure N synthetic documents exist in the “{SCALE_GROUP}” working group (benchmarks); "
            "resumable.",
        )
        parser.add_argument(
            "--groups",
            type=int,
            default=0,
            metavar="N",
            help=f"Also make sure the network has N working groups in all, adding synthetic ones coordinated by the "
            f"“{SCALE_GROUP}” group's coordinator; each gets as many synthetic documents as “{SCALE_GROUP}”.",
        )
        parser.add_argument(
            "--group-folders",
            type=int,
            default=50,
            metavar="N",
            help="The synthetic folders those documents are spread over (50 by default).",
        )

    def handle(
        self,
        *args,
        force: bool = False,
        network: str = "casi-bretagne",
        follow: str | None = None,
        address: str | None = None,
        scale: int = 0,
        publications: int = 0,
        group_documents: int = 0,
        groups: int = 0,
        group_folders: int = 50,
        **options,
    ):
        if not get_setting("DEMO_ALLOWED") and not force:
            raise CommandError(
                _("Demo data is not allowed with these settings (production?). Use --force if you really mean it.")
            )
        password = os.environ.get("CASI_DEMO_PASSWORD") or DEFAULT_PASSWORD
        if scale < 0 or scale > 100_000:
            raise CommandError(_("--scale takes a number between 0 and 100000."))
        if publications < 0 or publications > 1_000_000:
            raise CommandError(_("--publications takes a number between 0 and 1000000."))
        if group_documents < 0 or group_documents > 1_000_000:
            raise CommandError(_("--group-documents takes a number between 0 and 1000000."))
        if groups < 0 or groups > 1_000:
            raise CommandError(_("--groups takes a number between 0 and 1000."))
        if group_folders < 1 or group_folders > 10_000:
            raise CommandError(_("--group-folders takes a number between 1 and 10000."))
        served_at = _address(address) if address is not None else None
        site_name = Site.objects.get(is_default_site=True).site_name
        if network == partner.SLUG:
            if site_name == NETWORK_NAME:
                raise CommandError(
                    _("This database holds CASI Bretagne: give the partner network a database of its own.")
                )
            partner.partner_network_seed(password=password, report=lambda line: self.stdout.write(f"  {line}"))
            if served_at:
                demo_site_address(hostname=served_at[0], port=served_at[1])
            self.stdout.write(self.style.SUCCESS(_("Demo network ready.")))
            return
        if site_name == partner.NAME:
            raise CommandError(_("This database holds the partner network: CASI Bretagne needs a database of its own."))
        demo_seed(password=password, report=lambda line: self.stdout.write(f"  {line}"))
        if served_at:
            demo_site_address(hostname=served_at[0], port=served_at[1])
            self.stdout.write(
                _("The site's address: http://%(host)s:%(port)s/") % {"host": served_at[0], "port": served_at[1]}
            )
        if follow:
            source = partner.partner_source_follow(url=follow)
            self.stdout.write(
                _("Follows “%(name)s” at %(url)s (partner source %(pk)s).")
                % {"name": source.name, "url": source.url, "pk": source.pk}
            )
        if scale:
            directory = DirectoryPage.objects.get(slug="annuaire")
            self.stdout.write(_("Synthetic organisations:"))
            organisations_scale(directory=directory, count=scale, report=lambda line: self.stdout.write(f"  {line}"))
        if publications:
            self.stdout.write(_("Synthetic publications:"))
            publications_scale(count=publications, report=lambda line: self.stdout.write(f"  {line}"))
        scale_group = WorkingGroupPage.objects.get(slug=SCALE_GROUP)
        synthetic_groups = []
        if groups:
            self.stdout.write(_("Synthetic working groups:"))
            synthetic_groups = working_groups_scale(
                index=scale_group.get_parent(),
                total=groups,
                coordinator=get_user_model().objects.filter(username=SCALE_GROUP_COORDINATOR).first(),
                report=lambda line: self.stdout.write(f"  {line}"),
            )
        if group_documents:
            for group in [scale_group, *synthetic_groups]:
                self.stdout.write(_("Synthetic documents of the working group “%(group)s”:") % {"group": group.title})
                group_documents_scale(
                    group=group,
                    documents=group_documents,
                    folders=min(group_folders, group_documents),
                    report=lambda line: self.stdout.write(f"  {line}"),
                )
        self.stdout.write(self.style.SUCCESS(_("Demo network ready.")))
