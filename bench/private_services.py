"""Private services for fault injection: a PostgreSQL cluster of its own, on its own port of 127.0.0.1.

Fault tests and the load run's fault schedule stop and restart these, never the machine's shared
PostgreSQL (5432) or Redis (6379). The cluster is made with Debian's `initdb` and run with its `pg_ctl`,
which refuse to run as root: as root they run as the `postgres` system user, in a folder it owns.
Durability is traded for speed (no fsync): the cluster lives for one test or one run.

Tests import this module (as they import `bench.lighthouse`); nothing here imports the tests.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _postgres_bin() -> Path:
    """The newest of Debian's PostgreSQL versions installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda path: int(path.split("/")[4]))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    return Path(found[-1]).parent


class PostgresCluster:
    """A throwaway PostgreSQL cluster: `start()`, `stop()` (as `pg_ctl stop -m fast` does for a restart),
    `start()` again, `remove()`. Trust authentication for the `postgres` role, TCP on 127.0.0.1 only."""

    def __init__(self) -> None:
        self.port = free_port()
        self.bin = _postgres_bin()
        self.as_root = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="casi-pg-"))
        self.data = self.folder / "data"
        if self.as_root:  # initdb and postgres refuse root: the folder is the postgres user's
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")

    @property
    def url(self) -> str:
        """The server's address, without a database name: append `/name`."""
        return f"postgres://postgres@{HOST}:{self.port}"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)  # noqa: S603
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses={HOST} -c unix_socket_directories='' -F"
        options += " -c full_page_writes=off -c synchronous_commit=off"
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options)

    def stop(self) -> None:
        """Stop at once, as an operator restarting PostgreSQL does: open connections are closed."""
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def create_database(self, name: str) -> str:
        """Create the database `name`; return its URL."""
        import psycopg

        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"{self.url}/{name}"

    def remove(self) -> None:
        if self.running():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
