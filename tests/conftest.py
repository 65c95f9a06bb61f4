"""Shared fixtures: the demo network, seeded once for the run, is each test process's database; every test runs
on it, in a transaction rolled back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory

from casi_workspace.demo.data import DEFAULT_PASSWORD
from tests.seeded import (
    postgres_copy,
    postgres_drop,
    postgres_server,
    postgres_templates_drop,
    shared_folder,
    sqlite_copy,
)


@pytest.fixture(scope="session")
def django_db_keepdb() -> bool:
    """Django opens the test database made below as it is, instead of creating an empty one."""
    return True


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory) -> Iterator[None]:
    """Each test process's database is a copy of the demo network seeded once for the run (tests/seeded.py)."""
    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    folder = shared_folder(tmp_path_factory)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")
        # Every test's transaction is rolled back: nothing needs to survive a crash of the test process.
        database.setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY"
        sqlite_copy(folder, Path(test["NAME"]), Path(settings.MEDIA_ROOT))
        yield
        return
    test.setdefault("NAME", f"test_{database['NAME']}")
    server = postgres_server(database)
    postgres_copy(folder, server, test["NAME"], Path(settings.MEDIA_ROOT))
    yield
    from django.db import connections

    connections.close_all()
    postgres_drop(server, test["NAME"])


@pytest.fixture(scope="session", autouse=True)
def _sign_in_with_a_request():
    """The site throttles sign-ins (django-axes), which needs the sign-in's request; the test client's
    `login()` passes none. Every test client signs in as the login form would, from 127.0.0.1."""
    with pytest.MonkeyPatch.context() as patch:
        login = Client.login

        def login_with_request(self, **credentials):
            credentials.setdefault("request", RequestFactory().post("/admin/login/"))
            return login(self, **credentials)

        patch.setattr(Client, "login", login_with_request)
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache outlives each test's rolled-back transaction: every test starts with an empty one, so that no
    page cached by another test, and no rate-limit count, is seen."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_cache_off(settings):
    """For tests that count a view's queries: every request reaches the view."""
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """What `manage.py db_worker --batch` does with the database task backend, until no task is due: claim
    each due task and run it with the worker's own code (the command itself would close the connection, and
    with it the test's database). Returns how many tasks ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    db_worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run() -> int:
        for ran in range(100):
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                return ran
            result.claim(db_worker.worker_id)
            with django_capture_on_commit_callbacks(execute=True):  # a task queues the next one when it commits
                db_worker.run_task(result)
        raise AssertionError("the worker never ran out of tasks")

    return run


@pytest.fixture
def login(db, client: Client):
    """Log the test client in as one of the demo accounts, with its real password."""

    def _login(username: str) -> Client:
        assert client.login(username=username, password=DEFAULT_PASSWORD), f"{username} cannot log in"
        return client

    return _login


def _start_order(item) -> int:
    """The order in which tests are handed out, each kind in its collected order: the browser tests (one unit
    of work, whose worker seeds the run's database for the site it serves); then the tests with processes and
    databases of their own, which need nothing of it and keep the other worker busy meanwhile; the Lighthouse
    audits; the other slow tests; the rest."""
    if item.get_closest_marker("lighthouse"):
        return 2
    if item.get_closest_marker("browser"):
        return 0
    if item.get_closest_marker("standalone") or item.get_closest_marker("worker"):
        return 1
    return 3 if item.get_closest_marker("slow") else 4


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Run in parallel (pytest-xdist, `--dist loadgroup`), the browser tests stay in one worker, so that the
    site they serve is started once (the group is marked before xdist reads it). The Lighthouse audits, long
    and self-contained, form a group of their own that runs beside them on its own site."""
    for item in items:
        if item.get_closest_marker("lighthouse"):
            item.add_marker(pytest.mark.xdist_group("lighthouse"))
        elif item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


class LongestFirst:
    """The longest units of work are handed out first, so that they run beside the rest, not alone at the end.

    Sorted last of all (pytest-django puts the tests without a database at the end, and the browser and
    subprocess tests have none); the order among database tests is kept. xdist hands the units out in this
    order: by default it would put its groups first, largest first (`--loadscope-reorder`), which leaves the
    second worker waiting for the run's seeded database behind the Lighthouse group.
    """

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        items.sort(key=_start_order)


def pytest_configure(config):
    config.pluginmanager.register(LongestFirst(), "casi-longest-first")
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_sessionfinish(session, exitstatus):
    """A skipped test is a test that did not run: the suite fails rather than pass without it. The run's
    seeded PostgreSQL databases go with the run (its processes have closed their copies)."""
    if not hasattr(session.config, "workerinput"):
        postgres_templates_drop(shared_folder(session.config._tmp_path_factory))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line("Some tests were skipped: every test must run.", red=True)
        session.exitstatus = 1
