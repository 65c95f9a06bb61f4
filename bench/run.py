"""The benchmark: server time and queries of each public view at small and large scale.

Seeds its own database (var/bench/bench.sqlite3, or BENCH_DATABASE_URL), measures with Django's test
client (server time, no network), then prints a table and writes var/bench/results.json.
Small scale: the demo network with 10 synthetic publications of each kind; large scale: SCALE more
organisations and PUBLICATIONS publications of each kind.
Usage: `make bench` (SCALE=5000, PUBLICATIONS=2000 and REPEAT=15 by default); a quick check:
`SCALE=200 PUBLICATIONS=50 REPEAT=2 .venv/bin/python bench/run.py`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
SCALE = int(os.environ.get("SCALE", "5000"))
REPEAT = int(os.environ.get("REPEAT", "15"))
PUBLICATIONS = int(os.environ.get("PUBLICATIONS", "2000"))  # of each kind, at the large scale
SMALL_PUBLICATIONS = 10  # of each kind, at the small scale
KINDS = 7

VIEWS = {
    "home": "/",
    "directory": "/annuaire/",
    "directory filtered": "/annuaire/?departement=29&secteur=sante",
    "directory search": "/annuaire/?q=solidarit%C3%A9",
    "directory page 5": "/annuaire/?page=5",
    "map data": "/annuaire/carte/",
    "statistics": "/annuaire/etat-des-lieux/",
    "organisation": "/annuaire/brest-sahel-solidarite/",
    "collective": "/annuaire/collectif-finistere/",
    "site search": "/recherche/?q=solidarit%C3%A9",
    "working groups": "/groupes/",
    "news": "/actualites/",
    "agenda": "/agenda/",
    "calls for projects": "/appels-a-projets/",
    "jobs, volunteering": "/emploi-volontariat/",
    "trainings": "/formations/",
    "resources": "/ressources/",
    "projects": "/projets/",
    "news RSS": "/actualites/flux/rss/",
    "agenda Atom": "/agenda/flux/atom/",
    "organisation RSS": "/annuaire/brest-sahel-solidarite/flux/rss/",
    "agenda iCal": "/agenda/calendrier/",
}
STREAMED = {"CSV export": "/annuaire/export/csv/", "JSON export": "/annuaire/export/json/"}


def _environment() -> dict[str, str]:
    OUT.mkdir(parents=True, exist_ok=True)
    database = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{OUT / 'bench.sqlite3'}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casi_site.settings.test",
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(OUT / "media"),
    }


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def _measure(client, url: str) -> dict[str, float | int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                for _chunk in response.streaming_content:
                    pass
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(context.captured_queries)
    timings.sort()
    return {
        "queries": queries,
        "median_ms": round(statistics.median(timings), 2),
        "p90_ms": round(timings[max(0, int(len(timings) * 0.9) - 1)], 2),
    }


def _peak_memory(client, url: str) -> float:
    tracemalloc.start()
    response = client.get(url)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 1024 / 1024, 2)


def _publication_details() -> dict[str, str]:
    """One synthetic item of each kind: the first one made, the same page at both scales."""
    from casi_workspace.models import PUBLICATION_MODELS, PublicationPage
    from casi_workspace.services.scale import PUBLICATION_SLUG_PREFIX

    details = {}
    for kind in PUBLICATION_MODELS:
        items = PublicationPage.objects.filter(kind=kind, slug__startswith=PUBLICATION_SLUG_PREFIX)
        details[f"{kind} detail"] = items.order_by("pk").first().url
    return details


def _round(client) -> dict[str, dict]:
    results = {name: _measure(client, url) for name, url in {**VIEWS, **_publication_details()}.items()}
    for name, url in STREAMED.items():
        results[name] = {**_measure(client, url), "peak_memory_mb": _peak_memory(client, url)}
    return results


def _provisioning(count: int = 500) -> dict[str, float | int]:
    """Provision `count` synthetic organisations, then run the same again with nothing to do."""
    from django.db import connection

    from casi_workspace.models import OrganisationPage
    from casi_workspace.services.provisioning import organisation_provision

    organisations = list(OrganisationPage.objects.filter(slug__startswith="acteur-").order_by("path")[:count])
    figures: dict[str, float | int] = {"organisations": len(organisations)}
    executed = [0]

    def count(execute, sql, params, many, context):
        executed[0] += 1
        return execute(sql, params, many, context)

    for run in ("first", "rerun"):
        executed[0] = 0
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            for organisation in organisations:
                organisation_provision(organisation=organisation)
            figures[f"{run}_seconds"] = round(time.perf_counter() - started, 2)
        figures[f"{run}_queries"] = executed[0]
    return figures


def main() -> None:
    env = _environment()
    os.environ.update(env)
    print(f"Seeding the benchmark database ({env['DATABASE_URL']})…", flush=True)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "casi_demo", f"--publications={SMALL_PUBLICATIONS * KINDS}")
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from casi_workspace.models import OrganisationPage, PublicationPage

    settings.DEBUG = False
    client = Client()
    small_count = OrganisationPage.objects.live().count()
    small_publications = PublicationPage.objects.live().count()
    small = _round(client)
    print(f"Scaling to {SCALE} more organisations and {PUBLICATIONS} publications of each kind…", flush=True)
    _manage(env, "casi_demo", f"--scale={SCALE}", f"--publications={PUBLICATIONS * KINDS}")
    large_count = OrganisationPage.objects.live().count()
    large_publications = PublicationPage.objects.live().count()
    large = _round(client)

    report = {
        "organisations": {"small": small_count, "large": large_count},
        "publications": {"small": small_publications, "large": large_publications},
        "repeat": REPEAT,
        "views": {},
    }
    header = f"{'view':<20} {'queries S/L':>12} {'median ms S/L':>16} {'p90 ms S/L':>16} {'ratio':>6}"
    print(
        f"\nOrganisations: {small_count} (small) and {large_count} (large); publications: {small_publications} "
        f"and {large_publications}; {REPEAT} requests each\n{header}"
    )
    for name in small:
        s, big = small[name], large[name]
        ratio = round(big["median_ms"] / s["median_ms"], 2) if s["median_ms"] else None
        report["views"][name] = {"small": s, "large": big, "large_small_ratio": ratio}
        line = (
            f"{name:<20} {s['queries']:>5}/{big['queries']:<6} {s['median_ms']:>7}/{big['median_ms']:<8} "
            f"{s['p90_ms']:>7}/{big['p90_ms']:<8} {ratio:>6}"
        )
        if "peak_memory_mb" in s:
            line += f"  peak memory {s['peak_memory_mb']}/{big['peak_memory_mb']} MB"
        print(line)
    report["provisioning"] = _provisioning()
    p = report["provisioning"]
    print(
        f"\nProvisioning {p['organisations']} organisations: {p['first_seconds']} s, {p['first_queries']} queries; "
        f"re-run with nothing to do: {p['rerun_seconds']} s, {p['rerun_queries']} queries"
    )
    (OUT / "results.json").write_text(json.dumps(report, indent=2))
    print(f"\nFigures written to {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
