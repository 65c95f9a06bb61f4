"""The demo network, migrated and seeded once per test run, then copied wherever a test needs it.

Migrating and seeding take about a minute; a parallel run used to do it four times at once on SQLite (each
test process's database, the browser tests' served site and the Lighthouse audits' one) and twice on
PostgreSQL. The first process that asks builds the seeded database under a lock in the folder the run's
processes share; the others wait for it, then copy the file (SQLite) or create their database from it as a
template (PostgreSQL), with the pictures of its media folder. Each seeded database has a lock of its own:
a run on SQLite may also build a PostgreSQL one (for the task worker's test) at the same time.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DONE = "seeded"


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run: each xdist worker's own is a child of it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(folder: Path, name: str) -> Iterator[None]:
    with (folder / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _seed(database_url: str, media: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casi_site.settings.test",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
    }
    env.pop("CACHE_DIR", None)
    for command in (["migrate", "--noinput"], ["casi_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
        )
        assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"


def _template(folder: Path, name: str, database_url: str, create=None) -> Path:
    """Build the seeded database once (the caller holds the lock); return the folder of its media."""
    built = folder / name
    if not (built / DONE).exists():
        shutil.rmtree(built, ignore_errors=True)
        built.mkdir()
        if create:
            create()
        _seed(database_url, built / "media")
        (built / DONE).touch()
    return built / "media"


def _copy_media(template_media: Path, media: Path) -> None:
    if template_media.exists():
        shutil.copytree(template_media, media, dirs_exist_ok=True)


def sqlite_copy(folder: Path, destination: Path, media: Path) -> None:
    """Copy the seeded SQLite database to `destination` and its pictures into `media`."""
    template = folder / "seeded-sqlite" / "site.sqlite3"
    with _locked(folder, "seeded-sqlite"):
        template_media = _template(folder, "seeded-sqlite", f"sqlite:///{template}")
    shutil.copyfile(template, destination)
    _copy_media(template_media, media)


def postgres_server(database: dict) -> str:
    """The PostgreSQL server of Django's `database` settings, as a URL without a database name."""
    password = f":{urllib.parse.quote(database['PASSWORD'])}" if database.get("PASSWORD") else ""
    return f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"


def postgres_template_name(folder: Path) -> str:
    return f"casi_seeded_{hashlib.sha1(str(folder).encode()).hexdigest()[:12]}"


def _postgres_built(server: str) -> str:
    """The folder of the seeded database on `server`: one per server the run uses (the suite's database and
    the task worker's test may name different ones)."""
    return f"seeded-postgres-{hashlib.sha1(server.encode()).hexdigest()[:8]}"


def _postgres(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def _postgres_create(server: str, name: str, template: str = "template0") -> None:
    postgres_drop(server, name)
    _postgres(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def postgres_copy(folder: Path, server: str, name: str, media: Path) -> None:
    """Create the PostgreSQL database `name` (dropped first if it exists) from the seeded one, and copy its
    pictures into `media`. `server` is the server's URL without a database name."""
    template, built = postgres_template_name(folder), _postgres_built(server)

    def create() -> None:
        (folder / built / "server").write_text(server)
        _postgres_create(server, template)

    with _locked(folder, built):
        template_media = _template(folder, built, f"{server}/{template}", create=create)
        _postgres_create(server, name, template)
    _copy_media(template_media, media)


def postgres_drop(server: str, name: str) -> None:
    _postgres(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_templates_drop(folder: Path) -> None:
    """Drop the run's seeded PostgreSQL databases, once its processes have closed their copies."""
    template = postgres_template_name(folder)
    for server in folder.glob("seeded-postgres-*/server"):
        postgres_drop(server.read_text(), template)
