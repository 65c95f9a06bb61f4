"""No overbooking: 50 people register at the same instant for the last 10 places of an event.

Against a real server (gunicorn, 50 threads) on a database of its own, of the engine under test: a copy of
the run's seeded demo network (tests/seeded.py), in PostgreSQL when the suite runs on PostgreSQL
(`make test-postgres`), where only the row lock (`select_for_update`) keeps two transactions from both
taking the last place; in an SQLite file otherwise, where the write lock taken when each transaction begins
serialises them. Exactly 10 of the race's event are confirmed and 40 wait, whatever the order the database
let them through.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import _free_port, _wait_until_up
from tests.seeded import postgres_copy, postgres_drop, postgres_server, shared_folder, sqlite_copy

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 50
CAPACITY = 10
SEED = f"""
import datetime
from django.utils import timezone
from wagtail.models import Site
from casi_workspace.models import EventPage, EventRegistrationSettings
home = Site.objects.get(is_default_site=True).root_page
event = EventPage(title="Course", slug="course", commune="Brest", start=timezone.now() + datetime.timedelta(days=3))
home.add_child(instance=event)
event.save_revision().publish()
EventRegistrationSettings.objects.create(event=event, is_open=True, capacity={CAPACITY})
print(event.url)
"""
COUNT = """
from django.db.models import Sum
from casi_workspace.models import EventRegistration
for status in ("confirmed", "waiting"):
    rows = EventRegistration.objects.filter(event__slug="course", status=status)
    print(status, rows.count(), rows.aggregate(places=Sum("places"))["places"] or 0)
"""


@pytest.fixture
def database_url(tmp_path, tmp_path_factory) -> Iterator[str]:
    """A copy of the run's seeded demo network, of the engine under test (its pictures in tmp_path/media),
    dropped afterwards."""
    folder, media = shared_folder(tmp_path_factory), tmp_path / "media"
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sqlite_copy(folder, tmp_path / "race.sqlite3", media)
        yield f"sqlite:///{tmp_path / 'race.sqlite3'}"
        return
    server, name = postgres_server(settings.DATABASES["default"]), f"casi_race_{uuid.uuid4().hex[:12]}"
    postgres_copy(folder, server, name, media)
    try:
        yield f"{server}/{name}"
    finally:
        postgres_drop(server, name)


@pytest.fixture
def site(database_url, tmp_path) -> Iterator[tuple[str, dict[str, str]]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.registrations.race_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "site")]),
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def manage(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout.strip()

    path = manage("shell", "--no-imports", "-c", SEED).splitlines()[-1]
    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--chdir", "site", "casi_site.wsgi:application", "-b", f"127.0.0.1:{port}"]
    command += ["--worker-class", "gthread", "-w", "5", "--threads", "10", "--control-socket", str(tmp_path / "ctl")]
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{url}/casi/sante/", process)
        yield f"{url}{path}inscription/", manage
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _person(form_url: str, number: int, start: threading.Barrier, answers: list, workshop: bool) -> None:
    """One visitor: opens the form (cookie and CSRF token), chooses the workshop if asked, waits for the others,
    then submits."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    html = opener.open(form_url, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    fields = {"csrfmiddlewaretoken": token, "name": f"Personne {number}", "email": f"p{number}@example.org"}
    fields["places"] = "1"
    if workshop:
        field, session = re.search(r'name="(creneau_\d+)" value="(\d+)"', html).groups()
        fields[field] = session
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(form_url, data=data, headers={"Referer": form_url})
    start.wait(timeout=120)
    try:
        with opener.open(request, timeout=120) as response:
            answers.append(response.status)
    except urllib.error.HTTPError as error:
        answers.append(error.code)


def _crowd(form_url: str, count: int, *, workshop: bool = False) -> list[int]:
    """`count` visitors submitting the form at the same moment; the status of each answer."""
    start, answers = threading.Barrier(count), []
    people = [threading.Thread(target=_person, args=(form_url, n, start, answers, workshop)) for n in range(count)]
    for person in people:
        person.start()
    for person in people:
        person.join(timeout=300)
    return answers


def test_fifty_simultaneous_registrations_for_ten_places(site):
    form_url, manage = site
    answers = _crowd(form_url, PEOPLE)
    assert answers == [200] * PEOPLE  # each followed the redirect to its confirmation
    counts = dict(line.split(" ", 1) for line in manage("shell", "--no-imports", "-c", COUNT).splitlines())
    assert counts == {"confirmed": f"{CAPACITY} {CAPACITY}", "waiting": f"{PEOPLE - CAPACITY} {PEOPLE - CAPACITY}"}


WORKSHOP_PEOPLE = 30
WORKSHOP_CAPACITY = 5
WORKSHOP = f"""
import datetime
from casi_workspace.models import EventPage, EventRegistrationSettings, EventSession, EventSlot
event = EventPage.objects.get(slug="course")
EventRegistrationSettings.objects.filter(event=event).update(capacity=100)
end = event.start + datetime.timedelta(hours=2)
slot = EventSlot.objects.create(event=event, title="Matin", start=event.start, end=end)
EventSession.objects.create(slot=slot, title="Atelier", capacity={WORKSHOP_CAPACITY})
"""
WORKSHOP_COUNT = """
from casi_workspace.models import EventRegistration, RegistrationChoice
registrations = EventRegistration.objects.filter(event__slug="course")
choices = RegistrationChoice.objects.filter(registration__event__slug="course")
print(registrations.filter(status="confirmed").count(), choices.count())
"""


def test_thirty_simultaneous_registrations_for_a_workshop_of_five_places(site):
    """The event has room for all; its workshop holds 5: 5 are confirmed, 25 refused (a full workshop is not
    waited for), never a sixth in the workshop."""
    form_url, manage = site
    manage("shell", "--no-imports", "-c", WORKSHOP)
    answers = _crowd(form_url, WORKSHOP_PEOPLE, workshop=True)
    assert sorted(answers) == [200] * WORKSHOP_CAPACITY + [400] * (WORKSHOP_PEOPLE - WORKSHOP_CAPACITY)
    confirmed, choices = manage("shell", "--no-imports", "-c", WORKSHOP_COUNT).split()
    assert int(confirmed) == int(choices) == WORKSHOP_CAPACITY
