"""System checks about what the database holds (run by `check --deploy`)."""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError
from wagtail.models import Site

LOCAL_HOSTNAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def default_site_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The default Site names the public address: Wagtail builds every absolute link from it.

    Feeds, iCalendar files, the sitemap and the pages' structured data give `http://<hostname>/…`; a fresh
    install's Site is `localhost`, so all of them would point at the reader's own machine.
    """
    try:
        site = Site.objects.filter(is_default_site=True).only("hostname").first()
    except DatabaseError:  # no tables yet (a check before `migrate`): nothing to tell
        return []
    if site is None or site.hostname not in LOCAL_HOSTNAMES:
        return []
    return [
        checks.Warning(
            f"The default Wagtail site still names {site.hostname}: feeds, iCalendar files, the sitemap and "
            "structured data would link to the reader's own machine.",
            hint="Set the site's public hostname and port in the admin (Settings › Sites).",
            id="casi_workspace.W110",
        )
    ]
