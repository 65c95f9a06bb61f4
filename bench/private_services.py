"""Private services for fault injection: a Redis server and a PostgreSQL cluster of their own, each on its own
port of 127.0.0.1.

Fault tests and the load run's fault schedule stop and restart these, never the machine's shared
PostgreSQL (5432) or Redis (6379). The cluster is made with Debian's `initdb` and run with its `pg_ctl`,
which refuse to run as root: as root they run as the `postgres` system user, in a folder it owns.
Durability is traded for speed (no fsync): a cluster lives for one test, or holds the load run's seeded
database from one run to the next.

Tests import this module (as they import `bench.lighthouse`); nothing here imports the tests.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server that keeps nothing on disk: `start()`, `stop()`, `freeze()` (it stops answering but keeps
    its data, as behind a network cut), `thaw()`. The port stays the same from one start to the next."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        for _ in range(100):
            try:
                socket.create_connection((HOST, self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.thaw()
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)


def _postgres_bin() -> Path:
    """The newest of Debian's PostgreSQL versions installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda path: int(path.split("/")[4]))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    return Path(found[-1]).parent


class PostgresCluster:
    """A PostgreSQL cluster: `start()`, `stop()` (as `pg_ctl stop -m fast` does for a restart), `start()` again,
    `remove()`. Trust authentication for the `postgres` role, TCP on 127.0.0.1 only. In a temporary folder, or
    in `folder`, where a cluster made by an earlier run is used again."""

    def __init__(self, folder: Path | None = None) -> None:
        self.port = free_port()
        self.bin = _postgres_bin()
        self.as_root = os.geteuid() == 0
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="casi-pg-"))
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.data = folder, folder / "data"
        if self.as_root:  # initdb and postgres refuse root: the folder is the postgres user's
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        if not (self.data / "PG_VERSION").exists():
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
        """Create the database `name` unless it is there; return its URL."""
        import psycopg

        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
        return f"{self.url}/{name}"

    def remove(self) -> None:
        if self.running():
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
