"""The benchmark's support-desk measures (bench/run.py): the desk's queue, a request's page, and the figures
(page, CSV, Excel) as the network's coordinator sees them, with SMALL_REQUESTS (25) then SUPPORT_REQUESTS
(10,000) requests in the year: the same queries at both sizes.

Its imports need the models: bench/run.py imports it once the database is seeded and Django set up.
"""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from bench.measures import view_measure
from casi_workspace.demo.scale import SUPPORT_TITLE_PREFIX, support_requests_scale
from casi_workspace.models import SupportRecord, SupportRequest

SMALL_REQUESTS = 25
SUPPORT_REQUESTS = int(os.environ.get("SUPPORT_REQUESTS", "10000"))
DESK = "/admin/casi_workspace/accompagnements/"
COORDINATOR = "coordination"


def _views(client: Client) -> dict[str, dict]:
    first = SupportRequest.objects.filter(project_title__startswith=SUPPORT_TITLE_PREFIX).order_by("pk").first()
    urls = {
        "desk queue": DESK,
        "desk queue page 5": f"{DESK}?page=5",
        "desk request": f"{DESK}{first.pk}/",
        "figures": f"{DESK}chiffres/",
        "figures quarter": f"{DESK}chiffres/?trimestre=2",
        "figures CSV": f"{DESK}chiffres/export.csv",
        "figures Excel": f"{DESK}chiffres/export.xlsx",
    }
    for url in urls.values():
        client.get(url)  # the session and Wagtail's caches warmed up
    return {name: view_measure(client, url) for name, url in urls.items()}


def support() -> dict:
    """The desk's and the figures' views at SMALL_REQUESTS then SUPPORT_REQUESTS requests."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=COORDINATOR))
    year = timezone.localdate().year
    synthetic = SupportRequest.objects.filter(project_title__startswith=SUPPORT_TITLE_PREFIX)
    SupportRecord.objects.filter(request__in=synthetic).delete()  # a previous run's: start small again
    synthetic.delete()
    support_requests_scale(count=SMALL_REQUESTS, year=year, report=lambda _line: None)
    small = _views(client)
    support_requests_scale(count=SUPPORT_REQUESTS, year=year, report=lambda _line: None)
    large = _views(client)
    return {
        "requests": {"small": SMALL_REQUESTS, "large": SUPPORT_REQUESTS},
        "views": {name: {"small": small[name], "large": large[name]} for name in small},
        "constant_queries": all(small[name]["queries"] == large[name]["queries"] for name in small),
    }
