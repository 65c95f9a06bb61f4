"""PostgreSQL restarts under the running site: gunicorn and the task worker come through it by themselves.

The test makes a PostgreSQL cluster of its own (bench/private_services.py, never the machine's shared one),
migrates a small site there with the production settings, serves it with gunicorn (2 workers) and runs the
task worker as the README's unit does (`manage.py casi_worker`), then stops PostgreSQL as an operator
restarting it does (`pg_ctl stop -m fast`) and starts it again:
- meanwhile, every page that needs the database answers a French 503 page with `Retry-After` (never a
  traceback, never the 500 page), and the health check a 503 in JSON;
- the very next requests after the restart succeed, served by the same gunicorn workers (no process was
  replaced: their persistent connections are checked and opened again);
- the worker outlives the restart, idle or running a task; the task the restart interrupted runs again,
  the task queued behind it and a task queued after the restart run too.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from bench.private_services import PostgresCluster, free_port
from tests.production import HOST, ROOT, gunicorn_start, manage, production_env, shell

pytestmark = [pytest.mark.slow, pytest.mark.standalone, pytest.mark.xdist_group("database_restart")]

PASSWORD = f"r3d3marrage-{uuid.uuid4().hex}"
SEED = f"""
from django.contrib.auth import get_user_model
from wagtail.models import Site
from casi_workspace.models import PublicationIndexPage
home = Site.objects.get(is_default_site=True).root_page
news = PublicationIndexPage(title="Actualités", slug="actualites", kind="news")
home.add_child(instance=news)
news.save_revision().publish()
get_user_model().objects.create_superuser("coordination", "coordination@example.org", "{PASSWORD}")
print(news.url)
"""
UNAVAILABLE = "Service momentanément indisponible"
ENQUEUE = """
from tests.core.fault_tasks import probe
for name, hold in {names}:
    probe.enqueue("{folder}", name, hold)
print("queued")
"""


@pytest.fixture(scope="module")
def private_cluster() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.remove()


@pytest.fixture
def cluster(private_cluster: PostgresCluster) -> PostgresCluster:
    """The cluster, running at the start of each test whatever the previous one left."""
    if not private_cluster.running():
        private_cluster.start()
    return private_cluster


@pytest.fixture(scope="module")
def site(private_cluster: PostgresCluster, tmp_path_factory) -> dict[str, str]:
    """A small site (a home page, a news page, a coordinator) on the cluster, with the production settings
    (tests/production_settings.py: static files not collected)."""
    folder = tmp_path_factory.mktemp("database-restart")
    env = production_env(
        private_cluster.create_database("casi"), folder, DJANGO_SETTINGS_MODULE="tests.production_settings"
    )
    manage(env, "migrate", "--noinput")
    shell(env, SEED)
    return env


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Visitor:
    """A browser reduced to what the test needs: its cookies, one request at a time, no redirect followed."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, path: str, form: dict[str, str] | None = None) -> Answer:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"Accept-Language": "fr"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        connection.request("GET" if form is None else "POST", path, urlencode(form or {}), headers)
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, {name.lower(): value for name, value in response.getheaders()}, body)

    def login_form(self) -> str:
        """Open the sign-in page; return the form's CSRF token."""
        form = self.request("/admin/login/")
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)

    def sign_in(self, token: str) -> Answer:
        form = {"username": "coordination", "password": PASSWORD, "csrfmiddlewaretoken": token}
        return self.request("/admin/login/", form)


def _workers(server: subprocess.Popen) -> set[int]:
    """The gunicorn master's worker processes."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
    return {int(pid) for pid in children.split()}


def _until(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds:g} s"
        time.sleep(0.1)


@pytest.fixture
def server(site: dict[str, str], tmp_path) -> Iterator[tuple[subprocess.Popen, int]]:
    port = free_port()
    process = gunicorn_start(site, tmp_path, port, workers=2)

    def up() -> bool:
        assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
        try:
            return Visitor(port).request("/casi/sante/").status == 200 and len(_workers(process)) == 2
        except OSError:
            return False

    _until(up, "gunicorn answering")
    yield process, port
    process.terminate()
    process.wait(timeout=30)


def _assert_unavailable(answer: Answer) -> None:
    assert answer.status == 503, (answer.status, answer.body[:500])
    assert UNAVAILABLE in answer.body and '<html lang="fr">' in answer.body
    assert "Traceback" not in answer.body and "Erreur du serveur" not in answer.body
    assert int(answer.headers["retry-after"]) > 0


def test_pages_answer_503_while_postgresql_restarts_then_the_same_workers_serve_again(cluster, server, site):
    process, port = server
    news = "/actualites/"
    coordinator, late = Visitor(port), Visitor(port)
    assert coordinator.sign_in(coordinator.login_form()).status == 302
    assert coordinator.request("/admin/").status == 200
    token = late.login_form()
    workers = _workers(process)

    cluster.stop()
    visitor = Visitor(port)
    _assert_unavailable(visitor.request("/"))
    _assert_unavailable(visitor.request(news))
    _assert_unavailable(late.sign_in(token))
    _assert_unavailable(coordinator.request("/admin/"))  # the signed-in person's session is in the database
    health = visitor.request("/casi/sante/")
    assert health.status == 503 and json.loads(health.body)["database"] == "unreachable"
    assert process.poll() is None and _workers(process) == workers

    cluster.start()
    answers = [visitor.request(path).status for path in ("/", news, "/", news, "/casi/sante/", "/casi/sante/")]
    answers += [coordinator.request("/admin/").status for _ in range(4)]
    assert answers == [200] * 10
    assert news in visitor.request("/").body
    assert _workers(process) == workers  # the same processes: none died, none was replaced


def _task_states(database_url: str) -> dict[str, list[str]]:
    """Each probe's name and the states of its task results."""
    states: dict[str, list[str]] = {}
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT args_kwargs, status FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'tests.core.fault_tasks.probe'"
        )
        for arguments, status in rows:
            states.setdefault(arguments["args"][1], []).append(status)
    return states


def _runs(folder: Path, name: str) -> int:
    path = folder / f"{name}.runs"
    return len(path.read_text().splitlines()) if path.exists() else 0


@pytest.mark.worker
def test_the_worker_waits_for_postgresql_and_loses_no_task(cluster, site, tmp_path):
    database_url = site["DATABASE_URL"]
    command = [sys.executable, "manage.py", "casi_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1"]
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(command, cwd=ROOT, env=site, stdout=log, stderr=subprocess.STDOUT)

    def waits() -> int:
        assert worker.poll() is None, f"the worker stopped: {log_path.read_text()[-3000:]}"
        return log_path.read_text().count("The database does not answer")

    def enqueue(*names: tuple[str, bool]) -> None:
        shell(site, ENQUEUE.format(names=list(names), folder=tmp_path))

    try:
        # Idle, looking for tasks every 0.1 s, when PostgreSQL stops.
        _until(lambda: "Starting worker" in log_path.read_text(), "the worker started")
        time.sleep(0.5)  # a few looks at the queue, on its connection
        cluster.stop()
        _until(lambda: waits() == 1, "the idle worker waiting for the database")
        cluster.start()

        # Running a task when PostgreSQL stops: the task's next query fails; the worker waits for the database,
        # then runs the task again. The task queued behind it waits in the queue.
        enqueue(("interrupted", True), ("queued", False))
        _until(lambda: _runs(tmp_path, "interrupted") == 1, "the worker running the held task")
        cluster.stop()
        (tmp_path / "go").touch()
        _until(lambda: waits() == 2, "the busy worker waiting for the database")
        cluster.start()
        enqueue(("after", False))

        names = ("interrupted", "queued", "after")
        _until(lambda: _task_states(database_url) == {name: ["SUCCESSFUL"] for name in names}, "every task done")
        assert waits() == 2  # alive all along
        assert {name: _runs(tmp_path, name) for name in names} == {"interrupted": 2, "queued": 1, "after": 1}
        assert "queued again" in log_path.read_text()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
