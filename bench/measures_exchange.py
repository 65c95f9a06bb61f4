"""The benchmark's exchange measure (bench/run.py): following a partner site of this product that holds
PARTNER_ITEMS events (5,000, the most a source may hold), served on 127.0.0.1 by the partner server of the tests
(tests/exchange/partner.py), in pages of 500.

The first sync reads and stores them all, in under SYNC_SECONDS_MAX (60 s); the second, with nothing changed
upstream, must cost one conditional request (the catalogue, answered 304) and write no item.

Its imports need the models: bench/run.py imports it once the database is seeded and Django set up.
"""

from __future__ import annotations

import os
import time

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from casi_workspace.exchange.models import PartnerItem, PartnerSource
from casi_workspace.exchange.services import source_sync
from tests.exchange.partner import partner_server, partner_site_serve

PARTNER_ITEMS = int(os.environ.get("PARTNER_ITEMS", "5000"))
SYNC_SECONDS_MAX = 60
NAME = "Réseau partenaire (banc d'essai)"


def exchange() -> dict:
    """The first sync of PARTNER_ITEMS items (time, queries), then a second with nothing changed (requests,
    writes)."""
    PartnerSource.objects.filter(name=NAME).delete()  # a previous run's
    with (
        partner_server() as (base, routes, seen),
        override_settings(CASI_WORKSPACE_PARTNER_ALLOWED_HOSTS=["127.0.0.1"]),
    ):
        partner_site_serve(routes, base, events=PARTNER_ITEMS, page_size=500)
        source = PartnerSource.objects.create(name=NAME, url=f"{base}/donnees/", kind="casi")
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as first_queries:
            first = source_sync(source)
        seconds = time.perf_counter() - started
        requests = len(seen)
        seen.clear()
        with CaptureQueriesContext(connection) as second_queries:
            second = source_sync(source)
        conditional = [path for path, headers in seen if headers.get("If-None-Match")]
        writes = [
            query["sql"]
            for query in second_queries
            if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        stored = PartnerItem.objects.filter(source=source, withdrawn_at__isnull=True).count()
        second_requests = len(seen)
    PartnerSource.objects.filter(pk=source.pk).delete()
    item_writes = [sql for sql in writes if "partneritem" in sql.lower()]
    return {
        "items": PARTNER_ITEMS,
        "first_sync": {
            "error": first.error,
            "created": first.created,
            "stored": stored,
            "requests": requests,
            "queries": len(first_queries),
            "seconds": round(seconds, 2),
            "within_limit": seconds < SYNC_SECONDS_MAX and first.created == stored == PARTNER_ITEMS,
        },
        "second_sync": {
            "unchanged": second.unchanged,
            "requests": second_requests,
            "conditional_requests": len(conditional),
            "writes": len(writes),
            "item_writes": len(item_writes),
            "as_promised": second.unchanged and second_requests == len(conditional) == 1 and not item_writes,
        },
    }
