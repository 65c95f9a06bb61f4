"""The load run's own work on the site through Django (bench/load.py), beside the visitors' HTTP requests:
the database made ready, the catalogue of pages the visitors ask, the editor publishing, the network's size.

Its imports need the models: bench/load.py imports it once the database is seeded and Django set up.
"""

from __future__ import annotations

import random
import time
from urllib.parse import quote

from django.core.cache import cache
from django.db import close_old_connections, connection

from casi_workspace.core.database import OUTAGE_ERRORS
from casi_workspace.models import OrganisationPage, PublicationIndexPage, PublicationPage, WorkingGroupIndexPage

SEARCH_WORDS = ["solidarité", "éducation", "santé", "eau", "climat", "jeunesse", "Sénégal", "Brest", "formation"]


def prepare() -> None:
    """Refresh the planner's statistics after the bulk seeding, as autovacuum would, and empty the cache."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cache.clear()


def _ranked(urls: list[str]) -> tuple[list[str], list[float]]:
    """The URLs and their weights, 1/rank: a few popular pages, a long tail."""
    return urls, [1 / rank for rank in range(1, len(urls) + 1)]


def catalogue() -> dict[str, tuple[list[str], list[float]]]:
    """What visitors ask, by kind of page, read from the database."""
    chance = random.Random(7)  # noqa: S311 (the same traffic at every run)
    organisations = list(OrganisationPage.objects.live().public().values_list("url_path", flat=True))
    publications = list(PublicationPage.objects.live().public().values_list("url_path", flat=True))
    chance.shuffle(organisations)
    chance.shuffle(publications)

    def path(url_path: str) -> str:
        return "/" + url_path.strip("/").split("/", 1)[1] + "/"

    directory = ["/annuaire/", "/annuaire/?departement=29", "/annuaire/?secteur=sante"]
    directory += [f"/annuaire/?page={number}" for number in range(2, 30)]
    indexes = [*PublicationIndexPage.objects.live(), *WorkingGroupIndexPage.objects.live()]
    lists = [
        path(index.url_path) + (f"?page={number}" if number > 1 else "") for number in range(1, 8) for index in indexes
    ]
    return {
        "home": (["/"], [1.0]),
        "directory": _ranked(directory),
        "organisation": _ranked([path(url) for url in organisations]),
        "publication": _ranked([path(url) for url in publications]),
        "list": _ranked(lists),
        "search": _ranked([f"/recherche/?q={quote(word)}" for word in SEARCH_WORDS]),
        "feed": _ranked(["/actualites/flux/rss/", "/agenda/flux/atom/", "/agenda/calendrier/"]),
        "map": (["/annuaire/carte/"], [1.0]),
    }


def editor(stop: float, published: list[str], every: float, refused: list[float]) -> None:
    """Publish a new revision of a news item every `every` seconds, until `stop`; their URLs go to `published`.
    A publication the database refuses (while it restarts, see FAULTS) is noted in `refused` (when, by
    time.monotonic()) and tried again at the next turn, on a new connection."""
    pages = list(PublicationPage.objects.live().filter(kind="news").order_by("-pk")[:50])
    number = 0
    while time.monotonic() + every < stop:
        time.sleep(every)
        try:
            page = pages[number % len(pages)].specific
            page.title = f"{page.title.split(' — ')[0]} — mise à jour {number + 1}"
            page.save_revision().publish()
        except OUTAGE_ERRORS:
            refused.append(time.monotonic())
            close_old_connections()
            continue
        published.append(page.url)
        number += 1
    close_old_connections()


def network() -> dict[str, int]:
    """The live organisations and publications."""
    return {
        "organisations": OrganisationPage.objects.live().count(),
        "publications": PublicationPage.objects.live().count(),
    }
