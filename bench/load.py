"""The load run: simulated visitors against gunicorn with PostgreSQL and Redis, on 127.0.0.1 only.

Seeds its own PostgreSQL database (LOAD_DATABASE_URL, created when missing; seeding is resumable) with the
demo network and LOAD_SCALE more organisations and LOAD_PUBLICATIONS publications, serves it with gunicorn
(LOAD_WORKERS workers) and the production settings — Redis as the cache, the anonymous page cache on — then
runs USERS visitors for SECONDS seconds. Each visitor asks one public page after another, without pause,
over a kept-alive connection: the home page, the directory (filters, pages), organisations, the lists of
publications and their pages, the agenda, searches, feeds and the map's data, the popular pages more often
than the others (weights 1/rank). Meanwhile an editor publishes a new revision of a news item every
PUBLISH_EVERY seconds (0: never), as a moderation decision would, which starts a new generation of the page
cache.

Prints and writes to var/bench/load.json: requests per second, errors (any answer but 200, any failed
connection), server times seen by the visitors (median, p90, p99, max) and the page cache's hit ratio read
from the X-Cache headers. Exits with status 1 when there was an error.
Usage: `make load` (USERS=20, SECONDS=60, LOAD_WORKERS=4, PUBLISH_EVERY=10, LOAD_SCALE=5000,
LOAD_PUBLICATIONS=50000 by default).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "var" / "bench")
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casi_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7")
USERS = int(os.environ.get("USERS", "20"))
SECONDS = float(os.environ.get("SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
PUBLISH_EVERY = float(os.environ.get("PUBLISH_EVERY", "10"))
SCALE = int(os.environ.get("LOAD_SCALE", "5000"))
PUBLICATIONS = int(os.environ.get("LOAD_PUBLICATIONS", "50000"))
HOST = "127.0.0.1"


def _environment() -> dict[str, str]:
    """The production settings' environment, on this machine's PostgreSQL and Redis."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casi_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(OUT / "load-media"),
        "STATIC_ROOT": str(OUT / "load-static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
    }


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def _database_create() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _seed(env: dict[str, str]) -> None:
    """Migrate and seed with the test settings (tasks run at once: search index filled), then collect the
    static files the production settings serve through WhiteNoise."""
    seeding = {**env, "DJANGO_SETTINGS_MODULE": "casi_site.settings.test"}
    _manage(seeding, "migrate", "--noinput", "-v0")
    _manage(seeding, "casi_demo", f"--scale={SCALE}", f"--publications={PUBLICATIONS}")
    _manage(env, "collectstatic", "--noinput", "-v0")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(  # noqa: S603
        [str(gunicorn), "--chdir", "site", "casi_site.wsgi:application", "-b", f"{HOST}:{port}", "-w", str(WORKERS)],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/casi/sante/", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not answer within 60 s")


MIX = {
    "home": 10,
    "directory": 15,
    "organisation": 20,
    "publication": 25,
    "list": 15,
    "search": 5,
    "feed": 5,
    "map": 5,
}


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    cache: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)


def _visitor(number: int, port: int, catalogue: dict, stop: float, tally: Tally, lock: threading.Lock) -> None:
    chance = random.Random(number)  # noqa: S311
    kinds, weights = list(MIX), list(MIX.values())
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"X-Forwarded-Proto": "https", "Accept-Language": "fr", "User-Agent": f"casi-load/{number}"}
    mine = Tally()
    while time.monotonic() < stop:
        kind = chance.choices(kinds, weights)[0]
        urls, url_weights = catalogue[kind]
        url = chance.choices(urls, url_weights)[0]
        started = time.perf_counter()
        try:
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            mine.failures[f"{type(error).__name__} on {url}"] += 1
            connection.close()
            continue
        mine.times.append((time.perf_counter() - started) * 1000)
        mine.statuses[response.status] += 1
        mine.kinds[kind] += 1
        mine.cache[response.getheader("X-Cache", "none")] += 1
        if response.status != 200:
            mine.failures[f"HTTP {response.status} on {url}"] += 1
    connection.close()
    with lock:
        tally.times.extend(mine.times)
        for name in ("statuses", "cache", "kinds", "failures"):
            getattr(tally, name).update(getattr(mine, name))


def _percentile(ordered: list[float], share: float) -> float:
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 1)


editor_failures: list[BaseException] = []


def _editing(stop: float, published: list[str], every: float) -> None:
    """The editor's thread: a failure to publish fails the run, not only the thread."""
    from bench import load_site  # django is set up by then

    try:
        load_site.editor(stop, published, every)
    except BaseException as exc:
        editor_failures.append(exc)
        raise


def main() -> None:
    env = _environment()
    print(f"Seeding the load database ({DATABASE_URL})…", flush=True)
    _database_create()
    _seed(env)
    os.environ.update(env)
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()
    from bench import load_site  # imports the models: only after django.setup()

    load_site.prepare()
    catalogue = load_site.catalogue()
    port = _free_port()
    print(f"Serving with gunicorn ({WORKERS} workers) on {HOST}:{port}…", flush=True)
    server = _serve(env, port)
    tally, lock, published = Tally(), threading.Lock(), []
    try:
        editor = f"an editor publishing every {PUBLISH_EVERY:g} s" if PUBLISH_EVERY > 0 else "nobody publishing"
        print(f"{USERS} visitors for {SECONDS:g} s, {editor}…", flush=True)
        started = time.monotonic()
        stop = started + SECONDS
        threads = [
            threading.Thread(target=_visitor, args=(number, port, catalogue, stop, tally, lock))
            for number in range(USERS)
        ]
        if PUBLISH_EVERY > 0:  # 0: nobody publishes, the cache is only ever dropped by its own expiry
            threads.append(threading.Thread(target=_editing, args=(stop, published, PUBLISH_EVERY)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    times = sorted(tally.times)
    requests = len(times) + sum(count for key, count in tally.failures.items() if not key.startswith("HTTP"))
    errors = sum(tally.failures.values())
    cached = tally.cache["HIT"] + tally.cache["MISS"]
    report = {
        "date": time.strftime("%Y-%m-%d"),
        **load_site.network(),
        "publish_every": PUBLISH_EVERY,
        "users": USERS,
        "seconds": round(elapsed, 1),
        "gunicorn_workers": WORKERS,
        "requests": requests,
        "requests_per_second": round(requests / elapsed, 1),
        "errors": errors,
        "error_kinds": dict(tally.failures.most_common(20)),
        "statuses": {str(status): count for status, count in sorted(tally.statuses.items())},
        "median_ms": round(statistics.median(times), 1) if times else None,
        "p90_ms": _percentile(times, 0.9) if times else None,
        "p99_ms": _percentile(times, 0.99) if times else None,
        "max_ms": round(times[-1], 1) if times else None,
        "cache": dict(tally.cache),
        "hit_ratio": round(tally.cache["HIT"] / cached, 3) if cached else None,
        "publications_during_run": len(published),
        "mix": dict(tally.kinds),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(report, indent=2))
    print(
        f"\n{report['requests']} requests in {report['seconds']} s: {report['requests_per_second']} requests/s; "
        f"errors: {errors}\nserver time seen by the visitors: median {report['median_ms']} ms, p90 "
        f"{report['p90_ms']} ms, p99 {report['p99_ms']} ms, max {report['max_ms']} ms\npage cache: "
        f"{tally.cache['HIT']} hits, {tally.cache['MISS']} misses (hit ratio {report['hit_ratio']}), "
        f"{len(published)} publications during the run\nFigures written to {OUT / 'load.json'}"
    )
    for failure, count in tally.failures.most_common(10):
        print(f"  {count} × {failure}")
    if editor_failures:
        print(f"  the editor stopped: {editor_failures[0]!r}")
    if errors or editor_failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
