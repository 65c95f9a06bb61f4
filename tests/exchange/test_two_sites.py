"""Two networks' sites, live on 127.0.0.1, each with its own database: site A follows site B.

An event published on B (through Wagtail's publish, as its admin does) appears in A's "Agenda des réseaux"
after A's `casi_partner_sync`, with B named; edited on B, A shows its new title; unpublished on B, A shows it
no more; syncing again and again makes no duplicate. Both sites are copies of the run's seeded demo network
(tests/seeded.py), served by gunicorn (tests/production.py) and changed through a `manage.py shell` kept open
(publishing as Wagtail's admin does: a revision, then its publication); B goes by the partner demo's name.
"""

from __future__ import annotations

import html
import os
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.private_services import free_port
from tests.production import HOST, Console, gunicorn_start
from tests.seeded import shared_folder, sqlite_copy

pytestmark = [pytest.mark.slow, pytest.mark.standalone, pytest.mark.xdist_group("two_sites")]

PARTNER = "Réseau Pays de la Loire"
AGENDA = "/casi/agenda-des-reseaux/"
PUBLISH = """
import datetime
from django.utils import timezone
from casi_workspace.models import EventPage, OrganisationPage
organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
# The first of the day: the agenda's first page lists it whatever B's other events.
start = timezone.localtime().replace(hour=0, minute=0, second=1, microsecond=0)
end = timezone.now() + datetime.timedelta(hours=3)
event = EventPage(title="Forum des jumelages ligériens", slug="forum-jumelages", start=start, end=end, commune="Nantes")
organisation.add_child(instance=event)
event.save_revision().publish()
print(event.pk)
"""
EDIT = """
from casi_workspace.models import EventPage
event = EventPage.objects.get(slug="forum-jumelages")
event.title = "Forum des jumelages ligériens et bretons"
event.save_revision().publish()
print("edited")
"""
UNPUBLISH = """
from casi_workspace.models import EventPage
EventPage.objects.get(slug="forum-jumelages").unpublish()
print("unpublished")
"""
FOLLOW = """
from casi_workspace.exchange.models import PartnerSource
source = PartnerSource.objects.create(name="{name}", url="{url}", kind="casi", datasets=["evenements"])
print(source.pk)
"""
COUNT = """
from casi_workspace.exchange.models import PartnerItem
items = PartnerItem.objects.filter(source_id={source})
print(items.count(), items.filter(external_id="{event}").count(), items.filter(withdrawn_at__isnull=False).count())
"""


SYNC = """
from django.core.management import call_command
call_command("casi_partner_sync", "--source", "{source}", *{options})
"""


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return html.unescape(response.read().decode())


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            _get(url)
            return
        except OSError:
            assert time.monotonic() < deadline, f"{url} does not answer"
            time.sleep(0.2)


class Site:
    """A copy of the seeded demo network, its gunicorn and its open `manage.py shell`."""

    def __init__(self, folder: Path, run_folder: Path) -> None:
        folder.mkdir()
        sqlite_copy(run_folder, folder / "site.sqlite3", folder / "media")
        self.folder, self.port = folder, free_port()
        self.url = f"http://{HOST}:{self.port}"
        inherited = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
        self.env = inherited | {
            "DJANGO_SETTINGS_MODULE": "tests.exchange.two_sites_settings",
            "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "CACHE_DIR": str(folder / "cache"),  # shared by the server and the console: publishing empties it
        }
        self.server = gunicorn_start(self.env, folder, self.port, workers=1)
        self.console = Console(self.env)

    def shell(self, code: str) -> str:
        return self.console.run(code).strip()

    def sync(self, source: str, *options: str) -> str:
        return self.console.run(SYNC.format(source=source, options=list(options)))

    def stop(self) -> None:
        self.server.terminate()
        self.console.close()
        self.server.wait(timeout=20)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[tuple[Site, Site]]:
    run_folder, folder = shared_folder(tmp_path_factory), tmp_path_factory.mktemp("two-sites")
    a = Site(folder / "a", run_folder)
    b = Site(folder / "b", run_folder)
    try:
        b.shell(f"from wagtail.models import Site\nSite.objects.update(site_name='{PARTNER}')")
        for site in (a, b):
            _wait_until_up(f"{site.url}/casi/sante/")
        yield a, b
    finally:
        a.stop()
        b.stop()


def test_an_event_published_edited_and_unpublished_on_one_site_follows_on_the_other(sites):
    a, b = sites
    source = a.shell(FOLLOW.format(name=PARTNER, url=f"{b.url}/donnees/"))
    event = b.shell(PUBLISH)

    a.sync(source)
    agenda = _get(f"{a.url}{AGENDA}")
    assert "Forum des jumelages ligériens" in agenda and PARTNER in agenda
    received, _forum, _withdrawn = a.shell(COUNT.format(source=source, event=event)).split()

    b.shell(EDIT)
    a.sync(source)
    assert "Forum des jumelages ligériens et bretons" in _get(f"{a.url}{AGENDA}")

    b.shell(UNPUBLISH)
    a.sync(source)
    assert "Forum des jumelages" not in _get(f"{a.url}{AGENDA}")

    assert "rien de nouveau" in a.sync(source)
    a.sync(source, "--complete")
    # Nothing added twice: the unpublished event is one item, kept withdrawn.
    assert a.shell(COUNT.format(source=source, event=event)).split() == [received, "1", "1"]
