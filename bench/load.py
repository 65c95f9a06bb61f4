"""The load run: simulated visitors against gunicorn with PostgreSQL and Redis, on 127.0.0.1 only.

Runs a PostgreSQL cluster and a Redis server of its own (bench/private_services.py; the cluster lives in
LOAD_POSTGRES_DIR and is used again by the next run, whose seeding is resumable), seeds its database with the
demo network and LOAD_SCALE more organisations and LOAD_PUBLICATIONS publications, serves it with gunicorn
(LOAD_WORKERS workers) and the production settings — Redis as the cache, the anonymous page cache on — then
runs USERS visitors for SECONDS seconds. Each visitor asks one public page after another, without pause,
over a kept-alive connection: the home page, the directory (filters, pages), organisations, the lists of
publications and their pages, the agenda, searches, feeds and the map's data, the popular pages more often
than the others (weights 1/rank). Meanwhile an editor publishes a new revision of a news item every
PUBLISH_EVERY seconds (0: never), as a moderation decision would, which starts a new generation of the page
cache. FAULTS (bench/faults.py), e.g. `redis:10-30,postgres:35`, stops and starts those services on schedule.

Prints and writes to var/bench/load.json: requests per second, errors (any answer but 200, any failed
connection — except the 503s while PostgreSQL is down and in the RECOVERY_LIMIT seconds after it returns),
server times seen by the visitors (median, p90, p99, max), the page cache's hit ratio read from the X-Cache
headers and, with FAULTS, the answers of each phase and the time each service's return took to show.
Exits with status 1 when there was an error or a recovery took longer than RECOVERY_LIMIT.
Usage: `make load` (USERS=20, SECONDS=60, LOAD_WORKERS=4, PUBLISH_EVERY=10, LOAD_SCALE=5000,
LOAD_PUBLICATIONS=50000 and no FAULTS by default).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from bench.faults import Answer, FaultInjector, during_restart, faults_parse, phases, recoveries  # noqa: E402
from bench.private_services import PostgresCluster, RedisServer, free_port  # noqa: E402

OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "var" / "bench")
POSTGRES_DIR = Path(os.environ.get("LOAD_POSTGRES_DIR") or OUT / "load-postgres")
FAULTS = faults_parse(os.environ.get("FAULTS", ""))
RECOVERY_LIMIT = 5.0
USERS = int(os.environ.get("USERS", "20"))
SECONDS = float(os.environ.get("SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
PUBLISH_EVERY = float(os.environ.get("PUBLISH_EVERY", "10"))
SCALE = int(os.environ.get("LOAD_SCALE", "5000"))
PUBLICATIONS = int(os.environ.get("LOAD_PUBLICATIONS", "50000"))
HOST = "127.0.0.1"


def _environment(database_url: str, redis_url: str) -> dict[str, str]:
    """The production settings' environment, on the run's own PostgreSQL and Redis."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casi_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(OUT / "load-media"),
        "STATIC_ROOT": str(OUT / "load-static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
    }


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def _seed(env: dict[str, str]) -> None:
    """Migrate and seed with the test settings (tasks run at once: search index filled), then collect the
    static files the production settings serve through WhiteNoise."""
    seeding = {**env, "DJANGO_SETTINGS_MODULE": "casi_site.settings.test"}
    _manage(seeding, "migrate", "--noinput", "-v0")
    _manage(seeding, "casi_demo", f"--scale={SCALE}", f"--publications={PUBLICATIONS}")
    _manage(env, "collectstatic", "--noinput", "-v0")


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--chdir", "site", "casi_site.wsgi:application", "-b", f"{HOST}:{port}"]
    # A control socket of its own: gunicorn's default path is the same for every instance on the machine.
    command += ["-w", str(WORKERS), "--control-socket", str(OUT / "gunicorn.ctl")]
    server = subprocess.Popen(  # noqa: S603
        command,
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
    answers: list[Answer] = field(default_factory=list)


def _visitor(
    number: int, port: int, catalogue: dict, run: tuple[float, float], tally: Tally, lock: threading.Lock
) -> None:
    started, stop = run
    chance = random.Random(number)  # noqa: S311
    kinds, weights = list(MIX), list(MIX.values())
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"X-Forwarded-Proto": "https", "Accept-Language": "fr", "User-Agent": f"casi-load/{number}"}
    mine = Tally()
    while time.monotonic() < stop:
        kind = chance.choices(kinds, weights)[0]
        urls, url_weights = catalogue[kind]
        url = chance.choices(urls, url_weights)[0]
        begun = time.perf_counter()
        try:
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            mine.failures[f"{type(error).__name__} on {url}"] += 1
            mine.answers.append(Answer(time.monotonic() - started, 0, "none"))
            connection.close()
            continue
        mine.times.append((time.perf_counter() - begun) * 1000)
        mine.answers.append(Answer(time.monotonic() - started, response.status, response.getheader("X-Cache", "none")))
        mine.statuses[response.status] += 1
        mine.kinds[kind] += 1
        mine.cache[response.getheader("X-Cache", "none")] += 1
        if response.status not in (200, 503):  # a 503 is an error unless PostgreSQL was restarting (see main)
            mine.failures[f"HTTP {response.status} on {url}"] += 1
    connection.close()
    with lock:
        tally.times.extend(mine.times)
        tally.answers.extend(mine.answers)
        for name in ("statuses", "cache", "kinds", "failures"):
            getattr(tally, name).update(getattr(mine, name))


def _percentile(ordered: list[float], share: float) -> float:
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 1)


editor_failures: list[BaseException] = []


def _editing(stop: float, published: list[str], every: float, refused: list[float]) -> None:
    """The editor's thread: a failure to publish fails the run, not only the thread."""
    from bench import load_site  # django is set up by then

    try:
        load_site.editor(stop, published, every, refused)
    except BaseException as exc:
        editor_failures.append(exc)
        raise


def main() -> None:
    cluster, redis = PostgresCluster(POSTGRES_DIR), RedisServer()
    cluster.start()
    redis.start()
    try:
        _run(cluster, redis)
    finally:
        redis.stop()
        cluster.stop()


def _run(cluster: PostgresCluster, redis: RedisServer) -> None:
    env = _environment(cluster.create_database("casi_load"), redis.url)
    print(f"Seeding the load database (PostgreSQL of its own in {POSTGRES_DIR}, port {cluster.port})…", flush=True)
    _seed(env)
    os.environ.update(env)
    import django

    django.setup()
    from bench import load_site  # imports the models: only after django.setup()

    load_site.prepare()
    catalogue = load_site.catalogue()
    port = free_port()
    print(f"Serving with gunicorn ({WORKERS} workers) on {HOST}:{port}…", flush=True)
    server = _serve(env, port)
    tally, lock, published, refused = Tally(), threading.Lock(), [], []
    injector = None
    try:
        editor = f"an editor publishing every {PUBLISH_EVERY:g} s" if PUBLISH_EVERY > 0 else "nobody publishing"
        faults = f", faults: {os.environ['FAULTS']}" if FAULTS else ""
        print(f"{USERS} visitors for {SECONDS:g} s, {editor}{faults}…", flush=True)
        started = time.monotonic()
        stop = started + SECONDS
        threads = [
            threading.Thread(target=_visitor, args=(number, port, catalogue, (started, stop), tally, lock))
            for number in range(USERS)
        ]
        if PUBLISH_EVERY > 0:  # 0: nobody publishes, the cache is only ever dropped by its own expiry
            threads.append(threading.Thread(target=_editing, args=(stop, published, PUBLISH_EVERY, refused)))
        injector = FaultInjector(FAULTS, {"postgres": cluster, "redis": redis}, started)
        for thread in [*threads, injector]:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        injector.join(timeout=30)
    finally:
        if injector is not None:
            injector.restore()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    from django.db import close_old_connections

    close_old_connections()  # the main thread's connection may predate a restart
    events = injector.events
    unavailable = [answer for answer in tally.answers if answer.status == 503]
    unexpected = sum(1 for answer in unavailable if not during_restart(answer, events, RECOVERY_LIMIT))
    if unexpected:
        tally.failures["HTTP 503 outside a restart of PostgreSQL"] += unexpected
    times = sorted(tally.times)
    requests = len(tally.answers)
    errors = sum(tally.failures.values())
    cached = tally.cache["HIT"] + tally.cache["MISS"]
    recovered = recoveries(events, tally.answers)
    slow = [figure for figure in recovered if figure["recovered_after_s"] > RECOVERY_LIMIT]
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
        "publications_refused": [round(at - started, 1) for at in refused],
        "mix": dict(tally.kinds),
        "faults": os.environ.get("FAULTS", ""),
        "events": [vars(event) for event in events],
        "phases": [phase.report() for phase in phases(events, tally.answers, elapsed)],
        "recoveries": recovered,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(report, indent=2))
    print(
        f"\n{report['requests']} requests in {report['seconds']} s: {report['requests_per_second']} requests/s; "
        f"errors: {errors}\nserver time seen by the visitors: median {report['median_ms']} ms, p90 "
        f"{report['p90_ms']} ms, p99 {report['p99_ms']} ms, max {report['max_ms']} ms\npage cache: "
        f"{tally.cache['HIT']} hits, {tally.cache['MISS']} misses (hit ratio {report['hit_ratio']}), "
        f"{len(published)} publications during the run"
    )
    for phase in report["phases"] if FAULTS else []:
        print(
            f"  {phase['name']} ({phase['from_s']}–{phase['to_s']} s): {phase['requests']} requests, "
            f"{phase['statuses']}, hit ratio {phase['hit_ratio']}"
        )
    for figure in recovered:
        print(
            f"  {figure['service']} back at {figure['back_at_s']} s: last answer other than 200 "
            f"{figure['recovered_after_s']} s later, first page from the cache "
            f"{figure['first_cache_hit_after_s']} s later"
        )
    if refused:
        print(f"  {len(refused)} publications refused while PostgreSQL was down, tried again at the next turn")
    print(f"Figures written to {OUT / 'load.json'}")
    for failure, count in tally.failures.most_common(10):
        print(f"  {count} × {failure}")
    if editor_failures:
        print(f"  the editor stopped: {editor_failures[0]!r}")
    if injector.failure:
        print(f"  the fault schedule stopped: {injector.failure!r}")
    for figure in slow:
        print(f"  {figure['service']}: recovered after {figure['recovered_after_s']} s (limit {RECOVERY_LIMIT:g} s)")
    if errors or editor_failures or injector.failure or slow:
        sys.exit(1)


if __name__ == "__main__":
    main()
