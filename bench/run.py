"""The benchmark: server time and queries of each public view at small and large scale.

Seeds its own database (var/bench/bench.sqlite3, or BENCH_DATABASE_URL), measures with Django's test
client (server time, no network), then prints a table and writes var/bench/results.json.
The measures are in bench/measures.py, which reads REPEAT, STREAM_MB and NEWSLETTER_RECIPIENTS.
Small scale: the demo network with 10 synthetic publications of each kind and 20 synthetic documents in
one folder of the `ecsi` working group; large scale: SCALE more organisations, PUBLICATIONS publications in
all (spread over the seven kinds), WORKING_GROUPS working groups in all and GROUP_DOCUMENTS documents in
GROUP_FOLDERS folders of `ecsi` and of each synthetic group. The group's views are measured as its
coordinator sees them, the admin's dashboards as an association's editor and as the network's coordinator
see them.
Then a file of STREAM_MB MiB goes up through the group's real upload view (a WSGI request whose body is
read from a file on disk, as a server would pass it) and down through its download view; the peak of
Python memory allocated while the server handles each must stay under STREAM_LIMIT_MB.
Last, a newsletter issue of 12 publications is sent to the demo's subscribers plus NEWSLETTER_RECIPIENTS / 10
synthetic ones, then to the demo's plus NEWSLETTER_RECIPIENTS: the start (recipients frozen) and the batches,
run one after the other as the worker would, emails built and counted by the email backend of
bench/newsletter.py, which keeps none. Time, throughput and queries per batch come from an untraced sending,
peak Python memory from a second, traced one; the memory is flat when the larger list's peak stays under
twice the smaller's.
Then IMPORT_ROWS new organisations are imported from another network's `;`-separated file through the
background import, as a coordinator does (time, queries per organisation), and a tenth and a half of that
again under tracemalloc (peak Python memory: flat when five times the rows stay under twice the peak).
Last, a campaign programme of CAMPAIGN_EVENTS events (300), then NATIONAL_CAMPAIGN_EVENTS (4,000, paginated):
its views with the same queries at both sizes, and the build of the 300 events' PDF as the background task
runs it (under 30 s): bench/measures_campaigns.py.
`ONLY=import` seeds the demo network and runs the import measure alone, its figures in var/bench/import.json
(`ONLY=import IMPORT_ROWS=10000 .venv/bin/python bench/run.py`).
Last, the support desk's queue and figures with 25 then SUPPORT_REQUESTS (10,000) requests, the same queries at
both sizes (bench/measures_support.py); `ONLY=support` runs it alone on the demo network (var/bench/support.json).
And following a partner site of PARTNER_ITEMS (5,000) events: the first sync under 60 s, the second, with nothing
changed, one conditional request and no item written (bench/measures_exchange.py); `ONLY=exchange` runs it alone
(var/bench/exchange.json).
Usage: `make bench` (SCALE=5000, PUBLICATIONS=50000, WORKING_GROUPS=20, GROUP_DOCUMENTS=1000, GROUP_FOLDERS=50,
STREAM_MB=100, REPEAT=15 and NEWSLETTER_RECIPIENTS=10000 by default: the network of the issue's scale); a
quick check: `SCALE=200 PUBLICATIONS=350 WORKING_GROUPS=5 GROUP_DOCUMENTS=100 STREAM_MB=10 REPEAT=2
NEWSLETTER_RECIPIENTS=2000 .venv/bin/python bench/run.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "var" / "bench")
SCALE = int(os.environ.get("SCALE", "5000"))
PUBLICATIONS = int(os.environ.get("PUBLICATIONS", "50000"))  # in all, at the large scale
KINDS = 7
SMALL_PUBLICATIONS = 10 * KINDS  # in all, at the small scale
GROUPS = int(os.environ.get("WORKING_GROUPS", "20"))  # working groups in all, at the large scale
GROUP_DOCUMENTS = int(os.environ.get("GROUP_DOCUMENTS", "1000"))  # at the large scale
GROUP_FOLDERS = int(os.environ.get("GROUP_FOLDERS", "50"))
# "import", "support" or "exchange": the demo network seeded, that measure taken, nothing else
ONLY = os.environ.get("ONLY", "")
SMALL_GROUP_DOCUMENTS = 20  # in one folder: the folder measured at both scales holds the same documents


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


def _directory_import(measures) -> dict:
    """The import measure, printed."""
    print(
        f"\nImporting {measures.IMPORT_ROWS} organisations from another network's file, in the background…",
        flush=True,
    )
    imported = measures.directory_import()
    for name in ("large", "small_traced", "half_traced"):
        run = imported[name]
        peak = f", peak {run['peak_memory_mb']} MB (traced)" if "peak_memory_mb" in run else ""
        print(
            f"  {run['rows']} rows: {run['status']}, {run['created']} created, {run['errors']} in error, "
            f"{run['seconds']} s ({run['rows_per_second']} rows/s), "
            f"{run['queries_per_organisation']} queries per organisation{peak}"
        )
    print(f"  memory {imported['memory_ratio']}× for 5× the rows")
    return imported


def _import_problems(imported: dict) -> list[str]:
    return [
        f"directory import: {run}"
        for run in (imported[name] for name in ("large", "small_traced", "half_traced"))
        if run["status"] != "done" or run["created"] != run["rows"]
    ]


def _support(measures_support) -> dict:
    """The support desk's measure, printed."""
    print(
        f"\nThe support desk's queue and figures with {measures_support.SMALL_REQUESTS} requests, then "
        f"{measures_support.SUPPORT_REQUESTS}…",
        flush=True,
    )
    desk = measures_support.support()
    for name, sizes in desk["views"].items():
        s, big = sizes["small"], sizes["large"]
        print(f"  {name:<20} queries {s['queries']}/{big['queries']}, median {s['median_ms']}/{big['median_ms']} ms")
    return desk


def _exchange(measures_exchange) -> dict:
    """The exchange's measure, printed."""
    print(f"\nFollowing a partner site of {measures_exchange.PARTNER_ITEMS} events…", flush=True)
    followed = measures_exchange.exchange()
    first, second = followed["first_sync"], followed["second_sync"]
    print(
        f"  first sync: {first['created']} created in {first['seconds']} s, {first['requests']} requests, "
        f"{first['queries']} queries ({'within' if first['within_limit'] else 'OVER'} "
        f"{measures_exchange.SYNC_SECONDS_MAX} s)"
    )
    print(
        f"  second sync, nothing changed: {second['requests']} request(s), {second['conditional_requests']} "
        f"conditional, {second['item_writes']} item written, {second['writes']} write(s) in all (the source's state)"
    )
    return followed


def _exchange_problems(followed: dict) -> list[str]:
    problems = []
    if not followed["first_sync"]["within_limit"] or followed["first_sync"]["error"]:
        problems.append(f"partner sync: {followed['first_sync']}")
    if not followed["second_sync"]["as_promised"]:
        problems.append(f"partner sync with nothing changed: {followed['second_sync']}")
    return problems


def main() -> None:
    env = _environment()
    os.environ.update(env)
    print(f"Seeding the benchmark database ({env['DATABASE_URL']})…", flush=True)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(
        env,
        "casi_demo",
        f"--publications={SMALL_PUBLICATIONS}",
        f"--group-documents={SMALL_GROUP_DOCUMENTS}",
        "--group-folders=1",
    )
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()
    from bench import (  # the models: only after django.setup()
        measures,
        measures_campaigns,
        measures_exchange,
        measures_support,
    )

    measures.configure()
    if ONLY == "support":
        report = {"machine": measures.machine(), "support": _support(measures_support)}
        (OUT / "support.json").write_text(json.dumps(report, indent=2))
        print(f"\nFigures written to {OUT / 'support.json'}")
        if not report["support"]["constant_queries"]:
            print(f"\nFAILED:\n  support desk: queries grow with the requests: {report['support']['views']}")
            sys.exit(1)
        return
    if ONLY == "exchange":
        report = {"machine": measures.machine(), "exchange": _exchange(measures_exchange)}
        (OUT / "exchange.json").write_text(json.dumps(report, indent=2))
        print(f"\nFigures written to {OUT / 'exchange.json'}")
        if problems := _exchange_problems(report["exchange"]):
            print("\nFAILED:\n  " + "\n  ".join(problems))
            sys.exit(1)
        return
    if ONLY == "import":
        report = {"machine": measures.machine(), "directory_import": _directory_import(measures)}
        (OUT / "import.json").write_text(json.dumps(report, indent=2))
        print(f"\nFigures written to {OUT / 'import.json'}")
        if problems := _import_problems(report["directory_import"]):
            print("\nFAILED:\n  " + "\n  ".join(problems))
            sys.exit(1)
        return
    client, member, editors = measures.clients()
    measures.analyze()
    small_network = measures.network()
    small = measures.round_of_views(client, member, editors)
    print(
        f"Scaling to {SCALE} more organisations, {PUBLICATIONS} publications, {GROUPS} working groups and "
        f"{GROUP_DOCUMENTS} documents in {GROUP_FOLDERS} folders of each synthetic group and of “{measures.GROUP}”…",
        flush=True,
    )
    _manage(
        env,
        "casi_demo",
        f"--scale={SCALE}",
        f"--publications={PUBLICATIONS}",
        f"--groups={GROUPS}",
        f"--group-documents={GROUP_DOCUMENTS}",
        f"--group-folders={GROUP_FOLDERS}",
    )
    measures.analyze()
    large_network = measures.network()
    large = measures.round_of_views(client, member, editors)

    report = {
        "machine": measures.machine(),
        "network": {"small": small_network, "large": large_network, "group_folders": GROUP_FOLDERS},
        "repeat": measures.REPEAT,
        "views": {},
    }
    header = f"{'view':<22} {'queries S/L':>12} {'median ms S/L':>16} {'p90 ms S/L':>16} {'ratio':>6}"
    sizes = ", ".join(f"{name.replace('_', ' ')} {small_network[name]}/{large_network[name]}" for name in small_network)
    print(
        f"\nSmall/large network: {sizes}; the group's views as {measures.GROUP_MEMBER}; "
        f"{measures.REPEAT} requests each\n{header}"
    )
    for name in small:
        s, big = small[name], large[name]
        ratio = round(big["median_ms"] / s["median_ms"], 2) if s["median_ms"] else None
        report["views"][name] = {"small": s, "large": big, "large_small_ratio": ratio}
        line = (
            f"{name:<22} {s['queries']:>5}/{big['queries']:<6} {s['median_ms']:>7}/{big['median_ms']:<8} "
            f"{s['p90_ms']:>7}/{big['p90_ms']:<8} {ratio:>6}"
        )
        if "peak_memory_mb" in s:
            line += f"  peak memory {s['peak_memory_mb']}/{big['peak_memory_mb']} MB"
        print(line)
    report["page_cache"] = hits = measures.page_cache(client)
    print(
        f"\nAnonymous page cache, each public view asked {measures.REPEAT + 1} times: {hits['hits']} hits, "
        f"{hits['misses']} misses (ratio {hits['hit_ratio']}); a hit: median {hits['hit_median_ms']} ms, "
        f"p90 {hits['hit_p90_ms']} ms, {hits['hit_max_queries']} queries at most"
    )
    report["provisioning"] = measures.provisioning()
    p = report["provisioning"]
    print(
        f"\nProvisioning {p['organisations']} organisations: {p['first_seconds']} s, {p['first_queries']} queries; "
        f"re-run with nothing to do: {p['rerun_seconds']} s, {p['rerun_queries']} queries"
    )
    print(
        f"\nStreaming a {measures.STREAM_MB} MiB file through the working group's upload and download views…",
        flush=True,
    )
    report["group_streaming"] = stream = measures.streaming(member, OUT)
    if "error" in stream:
        print(f"  not measured: {stream['error']}")
    else:
        for way in ("upload", "download"):
            figures = stream[way]
            print(
                f"  {way}: HTTP {figures['status']}, {figures['seconds']} s, "
                f"peak Python memory {figures['peak_memory_mb']} MB"
            )
        print(
            f"  download streamed: {stream['download']['streamed']}, same bytes: {stream['download']['same_bytes']}; "
            f"{'within' if stream['within_limit'] else 'OVER'} the {measures.STREAM_LIMIT_MB} MB limit"
        )
    print(
        f"\nSending a newsletter issue to the demo's subscribers plus {measures.NEWSLETTER_RECIPIENTS // 10}, "
        f"then plus {measures.NEWSLETTER_RECIPIENTS}…",
        flush=True,
    )
    report["newsletter"] = letter = measures.newsletter()
    print(
        f"  {letter['items']} publications, batches of {letter['batch_size']}; emails built and dropped by a "
        "counting backend; times without tracing, peaks of Python memory from a second, traced sending"
    )
    for size in ("small", "large"):
        run = letter[size]
        print(
            f"  {run['recipients']} recipients: start {run['start_seconds']} s ({run['start_queries']} queries, "
            f"peak {run['start_peak_memory_mb']} MB); {run['emails']} emails ({run['skipped']} skipped, "
            f"{run['failed']} failed) in {run['send_seconds']} s: {run['emails_per_second']} emails/s, "
            f"{run['recipients_per_second']} recipients/s, {run['queries_per_batch']} queries per batch; "
            f"peak {run['peak_memory_mb']} MB, {run['retained_memory_mb']} MB left allocated at the end"
        )
    print(
        f"  every recipient sent or skipped: {letter['all_delivered']}; memory "
        f"{'flat' if letter['memory_flat'] else 'GROWS'} ({letter['memory_ratio']}× for "
        f"{round(letter['large']['recipients'] / letter['small']['recipients'], 1)}× the recipients)"
    )
    imported = report["directory_import"] = _directory_import(measures)
    print(
        f"\nA campaign programme of {measures_campaigns.REGIONAL_EVENTS} events, then of "
        f"{measures_campaigns.NATIONAL_EVENTS} (paginated); its "
        "printable programme built as the background task builds it…",
        flush=True,
    )
    report["campaigns"] = festival = measures_campaigns.campaigns(client)
    for name, sizes in festival["views"].items():
        r, n = sizes["regional"], sizes["national"]
        print(f"  {name:<20} queries {r['queries']}/{n['queries']}, median {r['median_ms']}/{n['median_ms']} ms")
    pdf = festival["pdf"]
    print(
        f"  PDF of {pdf['events']} events: {pdf['seconds']} s, {pdf['bytes'] // 1024} KiB "
        f"({'within' if pdf['within_limit'] else 'OVER'} {measures_campaigns.PDF_SECONDS_MAX} s)"
    )
    for name, run in festival["registrations"].items():
        print(
            f"  registering ({name}): {run['people']} people, median {run['median_ms']} ms, p90 {run['p90_ms']} ms, "
            f"{run['queries']} queries ({'within' if run['within_limit'] else 'OVER'} "
            f"{measures_campaigns.REGISTRATION_MS_MAX} ms)"
        )
    report["support"] = desk = _support(measures_support)
    report["exchange"] = followed = _exchange(measures_exchange)
    (OUT / "results.json").write_text(json.dumps(report, indent=2))
    print(f"\nFigures written to {OUT / 'results.json'}")
    # The exports read 200 rows at a time (flat memory): their queries grow by one set per chunk, by design.
    problems = [
        f"{name}: {size} queries at the large scale, {view['small']['queries']} at the small one"
        for name, view in report["views"].items()
        if (size := view["large"]["queries"]) > view["small"]["queries"] and name not in measures.STREAMED
    ]
    if "error" in stream or not stream["within_limit"] or not stream["download"]["same_bytes"]:
        problems.append(f"streaming: {stream}")
    if not letter["all_delivered"]:
        problems.append("newsletter: a recipient was neither sent nor skipped")
    problems += _import_problems(imported)
    if not festival["constant_queries"]:
        problems.append(f"campaign programme: queries grow with the events: {festival['views']}")
    if not festival["pdf"]["within_limit"] or festival["pdf"]["events"] != measures_campaigns.REGIONAL_EVENTS:
        problems.append(f"campaign PDF: {festival['pdf']}")
    problems += [
        f"registering ({name}): {run}" for name, run in festival["registrations"].items() if not run["within_limit"]
    ]
    if not desk["constant_queries"]:
        problems.append(f"support desk: queries grow with the requests: {desk['views']}")
    problems += _exchange_problems(followed)
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
