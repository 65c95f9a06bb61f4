"""The README's benchmark tables, in Markdown, from var/bench/results.json and var/bench/load.json.

Usage: `.venv/bin/python bench/report.py [load.json …]` after `make bench` and `make load` (one row per load
run given, var/bench/load.json by default); paste its output into the README.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

OUT = Path(os.environ.get("BENCH_OUT") or Path(__file__).resolve().parents[1] / "var" / "bench")


def _views(results: dict) -> list[str]:
    small, large = results["network"]["small"], results["network"]["large"]
    machine = results["machine"]
    lines = [
        f"Taken on {machine['date']}: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
        f"{machine['system']}, Python {machine['python']}, Django {machine['django']}, {machine['database']}. "
        f"Small network: {small['organisations']} organisations, {small['publications']} publications, "
        f"{small['working_groups']} working groups ({small['documents_of_groups']} documents); large: "
        f"{large['organisations']} organisations, {large['publications']} publications, "
        f"{large['working_groups']} working groups ({large['documents_of_groups']} documents). "
        f"Server time through Django's test client, {results['repeat']} requests each, page cache off.",
        "",
        "| view | queries small / large | median ms small / large | p90 ms small / large | large / small |",
        "|---|---|---|---|---|",
    ]
    for name, view in results["views"].items():
        s, big = view["small"], view["large"]
        lines.append(
            f"| {name} | {s['queries']} / {big['queries']} | {s['median_ms']} / {big['median_ms']} | "
            f"{s['p90_ms']} / {big['p90_ms']} | {view['large_small_ratio']} |"
        )
    return lines


def _memory(results: dict) -> list[str]:
    views, stream, letter = results["views"], results["group_streaming"], results["newsletter"]
    cache = results["page_cache"]
    lines = ["", "| measure | figure |", "|---|---|"]
    for name in ("CSV export", "JSON export"):
        lines.append(
            f"| {name}, peak Python memory small / large | {views[name]['small']['peak_memory_mb']} / "
            f"{views[name]['large']['peak_memory_mb']} MB |"
        )
    if "error" not in stream:
        for way in ("upload", "download"):
            lines.append(
                f"| {stream['size_mb']} MiB {way} through the group's views | {stream[way]['seconds']} s, peak "
                f"{stream[way]['peak_memory_mb']} MB |"
            )
    large = letter["large"]
    lines += [
        f"| newsletter to {large['recipients']} recipients | {large['emails']} emails in {large['send_seconds']} s "
        f"({large['emails_per_second']} emails/s), peak {large['peak_memory_mb']} MB "
        f"({letter['memory_ratio']}× the peak at a tenth of the list) |",
        f"| page cache, a hit | median {cache['hit_median_ms']} ms, p90 {cache['hit_p90_ms']} ms, "
        f"{cache['hit_max_queries']} queries |",
    ]
    imported = results.get("directory_import")
    if imported:  # results from before the import was measured have none
        run = imported["large"]
        lines.append(
            f"| directory import of {run['rows']} rows, in the background | {run['seconds']} s "
            f"({run['rows_per_second']} rows/s), {run['queries_per_organisation']} queries per organisation, "
            f"peak {imported['half_traced']['peak_memory_mb']} MB at half the rows "
            f"({imported['memory_ratio']}× the peak at a tenth) |"
        )
    return lines


def _campaigns(results: dict) -> list[str]:
    """A campaign programme's views at the regional and national sizes, its PDF and registering."""
    festival = results.get("campaigns")
    if not festival:  # results from before the campaigns were measured have none
        return []
    sizes = festival["events"]
    lines = [
        "",
        f"A campaign programme of {sizes['regional']} events, then of {sizes['national']} (paginated):",
        "",
        "| view | queries regional / national | median ms regional / national | p90 ms regional / national |",
        "|---|---|---|---|",
    ]
    for name, view in festival["views"].items():
        r, n = view["regional"], view["national"]
        lines.append(
            f"| {name} | {r['queries']} / {n['queries']} | {r['median_ms']} / {n['median_ms']} | "
            f"{r['p90_ms']} / {n['p90_ms']} |"
        )
    pdf = festival["pdf"]
    lines += ["", "| measure | figure |", "|---|---|"]
    lines.append(f"| printable programme of {pdf['events']} events, in the background | {pdf['seconds']} s |")
    for name, run in festival["registrations"].items():
        lines.append(
            f"| registering ({name}), {run['people']} people one after the other | median {run['median_ms']} ms, "
            f"p90 {run['p90_ms']} ms, {run['queries']} queries |"
        )
    return lines


def _support(results: dict) -> list[str]:
    """The support desk's queue and figures at 25 and at 10,000 requests."""
    desk = results.get("support")
    if not desk:  # results from before the support desk was measured have none
        return []
    sizes = desk["requests"]
    lines = [
        "",
        f"The support desk, as the network's coordinator, with {sizes['small']} requests, then {sizes['large']}:",
        "",
        "| view | queries small / large | median ms small / large | p90 ms small / large |",
        "|---|---|---|---|",
    ]
    for name, view in desk["views"].items():
        s, big = view["small"], view["large"]
        lines.append(
            f"| {name} | {s['queries']} / {big['queries']} | {s['median_ms']} / {big['median_ms']} | "
            f"{s['p90_ms']} / {big['p90_ms']} |"
        )
    return lines


def _load(runs: list[dict]) -> list[str]:
    first = runs[0]
    lines = [
        "",
        f"Load run (`make load`, {first['date']}): {first['users']} visitors for {first['seconds']} s against "
        f"gunicorn ({first['gunicorn_workers']} workers), PostgreSQL and Redis on 127.0.0.1, "
        f"{first['organisations']} organisations and {first['publications']} publications; an editor publishing "
        "every few seconds drops the whole page cache each time.",
        "",
        "| editor | requests | requests/s | errors | median ms | p90 ms | p99 ms | max ms | cache hit ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for load in runs:
        editor = (
            f"publishes every {load['publish_every']:g} s ({load['publications_during_run']} times)"
            if load["publish_every"]
            else "none"
        )
        lines.append(
            f"| {editor} | {load['requests']} | {load['requests_per_second']} | {load['errors']} | "
            f"{load['median_ms']} | {load['p90_ms']} | {load['p99_ms']} | {load['max_ms']} | {load['hit_ratio']} |"
        )
    for load in runs:
        if load.get("faults"):  # runs from before the fault schedule have none
            lines += _faults(load)
    return lines


def _faults(load: dict) -> list[str]:
    """A run with a fault schedule: the answers of each phase, then each service's recovery."""
    lines = [
        "",
        f"With `FAULTS={load['faults']}` ({load['requests']} requests in {load['seconds']} s):",
        "",
        "| phase | seconds | requests | answers by status | cache hit ratio |",
        "|---|---|---|---|---|",
    ]
    for phase in load["phases"]:
        statuses = ", ".join(f"{status}: {count}" for status, count in phase["statuses"].items())
        lines.append(
            f"| {phase['name']} | {phase['from_s']}–{phase['to_s']} | {phase['requests']} | {statuses} | "
            f"{phase['hit_ratio']} |"
        )
    lines += ["", "| service back | at | answers other than 200 after | recovered after | first cache hit after |"]
    lines.append("|---|---|---|---|---|")
    for figure in load["recoveries"]:
        lines.append(
            f"| {figure['service']} | {figure['back_at_s']} s | {figure['answers_other_than_200_after']} | "
            f"{figure['recovered_after_s']} s | {figure['first_cache_hit_after_s']} s |"
        )
    return lines


def main() -> None:
    lines: list[str] = []
    results_path, load_path = OUT / "results.json", OUT / "load.json"
    if results_path.exists():
        results = json.loads(results_path.read_text())
        lines += _views(results) + _memory(results) + _campaigns(results) + _support(results)
    elif (OUT / "support.json").exists():  # `ONLY=support`: that measure alone
        lines += _support(json.loads((OUT / "support.json").read_text()))
    paths = [Path(argument) for argument in sys.argv[1:]] or ([load_path] if load_path.exists() else [])
    if paths:
        lines += _load([json.loads(path.read_text()) for path in paths])
    print("\n".join(lines))


if __name__ == "__main__":
    main()
