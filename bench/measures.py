"""The benchmark's measures (bench/run.py): the views through Django's test client, the page cache, the
provisioning, the group's upload and download, the newsletter's sending.

Its imports need the models: bench/run.py imports it once the database is seeded and Django set up.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from bench.newsletter import CountingEmailBackend
from casi_workspace.conf import get_setting
from casi_workspace.demo.scale import GROUP_DOCUMENT_SLUG_PREFIX, GROUP_FOLDER_SLUG_PREFIX, PUBLICATION_SLUG_PREFIX
from casi_workspace.directory.services.import_jobs import import_job_create
from casi_workspace.models import (
    PUBLICATION_MODELS,
    DirectoryPage,
    DocumentFolderPage,
    NewsletterIssue,
    NewsletterIssueItem,
    NewsletterSubscriber,
    NewsletterTopic,
    OrganisationPage,
    PublicationPage,
    Sector,
    SharedDocumentPage,
    SubscriberStatus,
    SubscriptionSource,
    WorkingGroupPage,
)
from casi_workspace.newsletter.delivery import issue_send_batch
from casi_workspace.newsletter.selectors import SECTIONS, issue_progress
from casi_workspace.newsletter.services.sending import issue_send_start
from casi_workspace.publications.selectors.listings import publications_public
from casi_workspace.workspaces.provisioning import organisation_provision

REPEAT = int(os.environ.get("REPEAT", "15"))
GROUP = "ecsi"
GROUP_MEMBER = "animation-gt"  # its coordinator: the library with every control
STREAM_MB = int(os.environ.get("STREAM_MB", "100"))
STREAM_LIMIT_MB = 50
NEWSLETTER_RECIPIENTS = int(os.environ.get("NEWSLETTER_RECIPIENTS", "10000"))  # extra subscribers, large list
NEWSLETTER_ITEMS = 2  # publications of each of the newsletter's 6 sections in the issue sent
NEWSLETTER_EMAIL = "bench-{:05d}@example.org"
NEWSLETTER_TITLE = "Lettre du banc d'essai"
NEWSLETTER_FLAT = 2  # the peak memory of the sending at 10× the list stays under this many times the small one's

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
    "sitemap": "/sitemap.xml",  # the pages themselves at the small scale, an index of files at the large one
    "sitemap file 1": "/sitemap.xml?p=1",  # at most 1,000 addresses
}
# The admin's home page as each sees it (panels of their organisation, pages to moderate, recent edits) and
# the editor's "My organisation" (the explorer of its pages, where it redirects): (username, URL).
DASHBOARDS = {
    "editor dashboard": ("asso-a", "/admin/"),
    "editor organisation": ("asso-a", "/admin/casi_workspace/mon-association/"),
    "coordinator dashboard": ("coordination", "/admin/"),
}
STREAMED = {"CSV export": "/annuaire/export/csv/", "JSON export": "/annuaire/export/json/"}


def configure() -> None:
    """The settings the views are measured with: DEBUG off, the anonymous page cache off."""
    settings.DEBUG = False
    # The views' own work is measured: the anonymous page cache would answer every repeat from memory.
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 0


def clients() -> tuple[Client, Client, dict[str, Client]]:
    """An anonymous client, the group's coordinator and the dashboards' users (by username), logged in."""
    client = Client()
    member = Client()
    member.force_login(get_user_model().objects.get(username=GROUP_MEMBER))
    editors = {}
    for username in {username for username, _url in DASHBOARDS.values()}:
        editors[username] = Client()
        editors[username].force_login(get_user_model().objects.get(username=username))
    return client, member, editors


def analyze() -> None:
    """Refresh the planner's statistics after the bulk seeding, as autovacuum would on a live database."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _group_documents() -> int:
    return SharedDocumentPage.objects.descendant_of(WorkingGroupPage.objects.get(slug=GROUP)).count()


def network() -> dict[str, int]:
    """The network's size: live organisations and publications, working groups, documents."""
    return {
        "organisations": OrganisationPage.objects.live().count(),
        "publications": PublicationPage.objects.live().count(),
        "working_groups": WorkingGroupPage.objects.count(),
        "documents_of_groups": SharedDocumentPage.objects.count(),
        f"documents_of_{GROUP}": _group_documents(),
    }


def view_measure(client, url: str) -> dict[str, float | int]:
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
    details = {}
    for kind in PUBLICATION_MODELS:
        items = PublicationPage.objects.filter(kind=kind, slug__startswith=PUBLICATION_SLUG_PREFIX)
        details[f"{kind} detail"] = items.order_by("pk").first().url
    return details


def _group_views() -> dict[str, str]:
    """The group's page, its first synthetic folder and document (the same pages at both scales), a search."""
    group = WorkingGroupPage.objects.get(slug=GROUP)
    folder = DocumentFolderPage.objects.descendant_of(group).filter(slug__startswith=GROUP_FOLDER_SLUG_PREFIX)
    document = SharedDocumentPage.objects.descendant_of(group).filter(slug__startswith=GROUP_DOCUMENT_SLUG_PREFIX)
    return {
        "group page": group.url,
        "group folder": folder.order_by("path").first().url,
        "group document": document.order_by("pk").first().url,
        "group search": f"{group.url}?q=synth%C3%A9tique",
    }


def round_of_views(client, member, editors: dict) -> dict[str, dict]:
    """Every view measured at the network's present size: the public ones, the group's, the dashboards."""
    results = {name: view_measure(client, url) for name, url in {**VIEWS, **_publication_details()}.items()}
    for name, url in STREAMED.items():
        results[name] = {**view_measure(client, url), "peak_memory_mb": _peak_memory(client, url)}
    results.update({name: view_measure(member, url) for name, url in _group_views().items()})
    for name, (username, url) in DASHBOARDS.items():
        response = editors[username].get(url)
        results[name] = view_measure(editors[username], response.url if response.status_code == 302 else url)
    return results


def page_cache(client) -> dict:
    """Each public view asked once (stored), then REPEAT times more: what the anonymous page cache serves.

    The load run (bench/load.py) gives the hit ratio under traffic with publishing; here, the cost of a hit.
    """
    settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 300
    cache.clear()
    headers: list[str] = []
    timings: list[float] = []
    queries = 0
    try:
        for url in {**VIEWS, **_publication_details()}.values():
            headers.append(client.get(url).headers.get("X-Cache", ""))
            for _ in range(REPEAT):
                with CaptureQueriesContext(connection) as context:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                headers.append(response.headers.get("X-Cache", ""))
                queries = max(queries, len(context.captured_queries))
    finally:
        settings.CASI_WORKSPACE_PAGE_CACHE_SECONDS = 0
    timings.sort()
    return {
        "requests": len(headers),
        "hits": headers.count("HIT"),
        "misses": headers.count("MISS"),
        "hit_ratio": round(headers.count("HIT") / len(headers), 3),
        "hit_median_ms": round(statistics.median(timings), 2),
        "hit_p90_ms": round(timings[max(0, int(len(timings) * 0.9) - 1)], 2),
        "hit_max_queries": queries,
    }


def machine() -> dict:
    """Where and when the figures were taken."""
    memory = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = round(kib / 1024 / 1024, 1)
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = names[0] if names else cpu
    return {
        "date": time.strftime("%Y-%m-%d"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "system": platform.platform(terse=True),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else f"{connection.vendor} {connection.pg_version // 10000}.{connection.pg_version % 100}",
    }


def _traced(call):
    """Run `call()` under tracemalloc: its result, its peak of Python allocations (MiB) and its time (s)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, round(peak / 1024 / 1024, 2), round(seconds, 2)


def _multipart_on_disk(path: Path, fields: dict[str, str], name: str, size: int) -> tuple[str, str]:
    """Write a multipart/form-data body to `path`, its file `size` bytes long, 1 MiB at a time.

    Returns the boundary and the file's SHA-256, to check the download against.
    """
    boundary = "casi-bench-" + hashlib.sha256(name.encode()).hexdigest()[:16]
    block = hashlib.sha256(b"casi").digest() * (1024 * 1024 // 32)
    digest = hashlib.sha256()
    with path.open("wb") as body:
        for key, value in fields.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
        )
        body.write(b"%PDF-1.4\n")
        digest.update(b"%PDF-1.4\n")
        written = 9
        while written < size:
            chunk = block[: size - written]
            body.write(chunk)
            digest.update(chunk)
            written += len(chunk)
        body.write(f"\r\n--{boundary}--\r\n".encode())
    return boundary, digest.hexdigest()


def streaming(member, out: Path) -> dict:
    """Upload a STREAM_MB MiB file through the real upload view, then download it; peak memory of each.

    The upload is a plain WSGI request to Django's WSGI handler (CSRF check included) whose `wsgi.input`
    is the body's file on disk (written in the folder `out`, then removed), as gunicorn passes it: nothing but
    the server's own handling is traced.
    The download goes through the test client's handler and reads the streamed response to its end.
    """
    group = WorkingGroupPage.objects.get(slug=GROUP)
    folder = DocumentFolderPage.objects.child_of(group).order_by("path").first()
    try:
        upload_url = reverse("casi_workspace:group_upload", kwargs={"group_id": group.pk})
    except NoReverseMatch:
        return {"error": "no upload view"}
    name = f"fichier-volumineux-{int(time.time())}.pdf"
    size = STREAM_MB * 1024 * 1024
    body_path = out / "upload-body.bin"
    boundary, expected = _multipart_on_disk(body_path, {"parent": str(folder.pk)}, name, size)
    csrf = get_random_string(32)
    status: list[str] = []
    handler = WSGIHandler()
    figures: dict = {"size_mb": STREAM_MB, "limit_mb": STREAM_LIMIT_MB}
    try:
        with body_path.open("rb") as body:
            environ = {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": upload_url,
                "SCRIPT_NAME": "",
                "QUERY_STRING": "",
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "127.0.0.1",
                "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
                "CONTENT_LENGTH": str(body_path.stat().st_size),
                "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={member.cookies[settings.SESSION_COOKIE_NAME].value}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "HTTP_X_CSRFTOKEN": csrf,
                "wsgi.version": (1, 0),
                "wsgi.url_scheme": "http",
                "wsgi.input": body,
                "wsgi.errors": sys.stderr,
                "wsgi.multiprocess": True,
                "wsgi.multithread": False,
                "wsgi.run_once": False,
            }

            def upload():
                response = handler(environ, lambda code, headers, exc_info=None: status.append(code))
                for _chunk in response:
                    pass
                response.close()

            _result, peak, seconds = _traced(upload)
    finally:
        body_path.unlink(missing_ok=True)
    code = int(status[0].split()[0]) if status else None
    figures["upload"] = {"status": code, "peak_memory_mb": peak, "seconds": seconds}
    page = SharedDocumentPage.objects.child_of(folder).filter(document__file__contains=name[:-4]).first()
    if page is None:
        figures["error"] = f"the upload did not create the document (HTTP {code})"
        return figures
    download_url = reverse("casi_workspace:group_document_download", kwargs={"page_id": page.pk})

    def download():
        response = member.get(download_url)
        digest = hashlib.sha256()
        for chunk in response.streaming_content if response.streaming else [response.content]:
            digest.update(chunk)
        return response.status_code, response.streaming, digest.hexdigest()

    (code, streamed, digest), peak, seconds = _traced(download)
    figures["download"] = {
        "status": code,
        "streamed": streamed,
        "same_bytes": digest == expected,
        "peak_memory_mb": peak,
        "seconds": seconds,
    }
    page.document.file.delete(save=False)  # 100 MiB less in the benchmark's media folder
    figures["within_limit"] = max(figures["upload"]["peak_memory_mb"], peak) < STREAM_LIMIT_MB
    return figures


def provisioning(count: int = 500) -> dict[str, float | int]:
    """Provision `count` synthetic organisations, then run the same again with nothing to do."""
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


def _newsletter_cleanup() -> None:
    """Remove the benchmark's subscribers and issues (their deliveries go with them), from an earlier run too."""
    NewsletterIssue.objects.filter(title__startswith=NEWSLETTER_TITLE).delete()
    NewsletterSubscriber.objects.filter(email__startswith=NEWSLETTER_EMAIL.split("{")[0]).delete()


def _newsletter_subscribers_add(start: int, stop: int) -> None:
    """Active subscribers `start` to `stop` - 1: a quarter want everything, the others a few topics and
    départements drawn as the demo's are, so that the sending renders several contents, not one."""
    chance = random.Random(start)  # noqa: S311 (benchmark data, the same at every run)
    departments = get_setting("NEWSLETTER_DEPARTMENTS")
    topics = NewsletterTopic.values
    now = timezone.now()
    NewsletterSubscriber.objects.bulk_create(
        (
            NewsletterSubscriber(
                email=NEWSLETTER_EMAIL.format(number),
                status=SubscriberStatus.ACTIVE,
                topics=[] if number % 4 == 0 else sorted(chance.sample(topics, chance.randint(1, 5)), key=topics.index),
                departments=[] if number % 4 == 0 else sorted(chance.sample(departments, chance.randint(0, 2))),
                consent_source=SubscriptionSource.DEMO,
                consent_at=now,
                confirmed_at=now,
            )
            for number in range(start, stop)
        ),
        batch_size=1000,
    )


def _newsletter_issue(title: str):
    """A draft issue holding NEWSLETTER_ITEMS public publications of each section, each of another
    département in turn, so that each subscriber's choice of départements keeps a part of it."""
    departments = get_setting("NEWSLETTER_DEPARTMENTS")
    issue = NewsletterIssue.objects.create(title=title)
    pages = []
    for number, kind in enumerate(SECTIONS):
        for offset in range(NEWSLETTER_ITEMS):
            department = departments[(number * NEWSLETTER_ITEMS + offset) % len(departments)]
            public = publications_public().filter(kind=kind, department=department).order_by("pk")
            pages.extend(public.values_list("pk", "kind")[:1])
    NewsletterIssueItem.objects.bulk_create(
        NewsletterIssueItem(issue=issue, page_id=pk, section=kind, sort_order=number)
        for number, (pk, kind) in enumerate(pages)
    )
    return issue


def _timed(call):
    """Run `call()`: its result and its time (s)."""
    started = time.perf_counter()
    result = call()
    return result, round(time.perf_counter() - started, 2)


def _newsletter_issue_send(title: str, *, trace: bool) -> dict[str, float | int]:
    """Start a new issue's sending, then run its batches one after the other as the worker would.

    The task queue only records (see `newsletter`): the batches run here, the start and the loop each
    timed, and traced when `trace` is true.
    """
    issue = _newsletter_issue(title)
    CountingEmailBackend.reset()
    executed = [0]

    def count(execute, sql, params, many, context):
        executed[0] += 1
        return execute(sql, params, many, context)

    retained = [0]

    def send() -> int:
        batches = 1
        chain = str(NewsletterIssue.objects.values_list("send_chain", flat=True).get(pk=issue.pk))
        while issue_send_batch(issue.pk, chain) is not None:
            batches += 1
        if tracemalloc.is_tracing():  # what the loop leaves allocated once collected: a leak would grow it
            gc.collect()
            retained[0] = tracemalloc.get_traced_memory()[0]
        return batches

    figures: dict[str, float | int] = {}
    with connection.execute_wrapper(count):
        if trace:
            recipients, figures["start_peak_memory_mb"], figures["start_seconds"] = _traced(
                lambda: issue_send_start(issue)
            )
        else:
            recipients, figures["start_seconds"] = _timed(lambda: issue_send_start(issue))
        figures["start_queries"], executed[0] = executed[0], 0
        if trace:
            batches, figures["peak_memory_mb"], figures["send_seconds"] = _traced(send)
            figures["retained_memory_mb"] = round(retained[0] / 1024 / 1024, 2)
        else:
            batches, figures["send_seconds"] = _timed(send)
    progress = issue_progress(issue)
    emails = CountingEmailBackend.messages
    return {
        "items": issue.items.count(),
        "recipients": recipients,
        "emails": emails,
        "sent": progress.sent,
        "skipped": progress.skipped,
        "failed": progress.failed,
        "remaining": progress.remaining,
        **figures,
        "batches": batches,
        "queries_per_batch": round(executed[0] / batches, 1),
        "average_email_kb": round(CountingEmailBackend.size / emails / 1024, 1) if emails else None,
    }


def _newsletter_send(extra: int) -> dict[str, float | int]:
    """The same issue sent twice to the same list: timed alone, then traced.

    tracemalloc slows this allocation-heavy loop about threefold: the times and the throughput are the
    untraced sending's, the peaks of memory the traced one's. The untraced sending runs first, so that the
    traced one does not count what is done once per process (URL configuration, templates compiled).
    """
    timed = _newsletter_issue_send(f"{NEWSLETTER_TITLE} ({extra} abonnés de plus)", trace=False)
    traced = _newsletter_issue_send(f"{NEWSLETTER_TITLE} ({extra} abonnés de plus, tracé)", trace=True)
    seconds = timed["send_seconds"]
    return {
        "extra_subscribers": extra,
        **timed,
        "emails_per_second": round(timed["emails"] / seconds) if seconds else None,
        "recipients_per_second": round(timed["recipients"] / seconds) if seconds else None,
        "start_peak_memory_mb": traced["start_peak_memory_mb"],
        "peak_memory_mb": traced["peak_memory_mb"],
        "retained_memory_mb": traced["retained_memory_mb"],
        "traced_send_seconds": traced["send_seconds"],
        "traced_emails": traced["emails"],
        "all_delivered": all(
            run["emails"] == run["sent"] and run["sent"] + run["skipped"] == run["recipients"] and not run["remaining"]
            for run in (timed, traced)
        ),
    }


def newsletter() -> dict:
    """An issue of 12 publications sent to the demo's subscribers plus NEWSLETTER_RECIPIENTS / 10, then
    another to the demo's plus NEWSLETTER_RECIPIENTS: time, throughput and peak memory of each sending.

    The emails go to the counting backend of bench/newsletter.py (not locmem's outbox, which would keep
    them all in memory) and the task queue is Django Tasks' dummy backend, which records the task queued
    when the sending starts and runs nothing: in this process the database is in autocommit, the start's
    `on_commit` fires as soon as it returns, and the immediate backend would run the whole sending inside it.
    """
    small_extra = NEWSLETTER_RECIPIENTS // 10
    figures: dict = {"batch_size": get_setting("NEWSLETTER_BATCH_SIZE")}
    _newsletter_cleanup()
    with override_settings(
        EMAIL_BACKEND="bench.newsletter.CountingEmailBackend",
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    ):
        try:
            _newsletter_subscribers_add(0, small_extra)
            figures["small"] = _newsletter_send(small_extra)
            _newsletter_subscribers_add(small_extra, NEWSLETTER_RECIPIENTS)
            figures["large"] = _newsletter_send(NEWSLETTER_RECIPIENTS)
        finally:
            _newsletter_cleanup()
    small, large = figures["small"], figures["large"]
    figures["items"] = small["items"]
    figures["all_delivered"] = small["all_delivered"] and large["all_delivered"]
    # The peak is a batch's: its deliveries, the contents rendered for its subscribers' choices (cached for
    # the batch only) and the email being built. It varies from batch to batch with the choices, so that a
    # longer sending meets a somewhat higher one; Python's email package also keeps a regular expression per
    # multipart boundary in `re`'s cache (512 at most). A leak would show in `retained_memory_mb` too.
    figures["memory_ratio"] = round(large["peak_memory_mb"] / small["peak_memory_mb"], 2)
    figures["memory_flat"] = large["peak_memory_mb"] < NEWSLETTER_FLAT * small["peak_memory_mb"]
    return figures


IMPORT_ROWS = int(os.environ.get("IMPORT_ROWS", "10000"))
IMPORT_HEADER = [
    "Raison sociale",
    "Sigle",
    "Type d'acteur",
    "Membre",
    "N° SIREN",
    "Adresse",
    "Code postal",
    "Ville",
    "Département",
    "Pays d'intervention",
    "Secteurs d'activité",
    "ODD",
    "Mots-clés",
]


def _directory_file(rows: int, first: int) -> bytes:
    """Another network's directory as it keeps it: `;`-separated, French headers and labels, `;` lists in
    quoted cells; names and SIRENs of their own, in 300 communes."""
    from stdnum import luhn

    sectors = ";".join(Sector.objects.order_by("pk").values_list("name", flat=True)[:2])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(IMPORT_HEADER)
    for number in range(first, first + rows):
        body = f"7{number:07d}"
        name = hashlib.sha256(f"import-{number}".encode()).hexdigest()[:12]
        writer.writerow(
            [
                f"Association {name}",
                f"A{number}",
                "Association",
                "oui" if number % 3 else "non",
                body + luhn.calc_check_digit(body),
                f"{number} rue de la Paix",
                "29200",
                f"Commune {number % 300}",
                "29",
                "Sénégal;Mali",
                sectors,
                "ODD 4;ODD 5",
                "jumelage;festival",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _directory_import(rows: int, first: int, *, trace: bool) -> dict[str, float | int]:
    """Import `rows` new organisations as a coordinator does, in the background (the test settings' worker
    runs the job's batches as soon as it is queued); its time, queries and, traced, its peak of memory."""
    directory = DirectoryPage.objects.order_by("path").first()
    data = _directory_file(rows, first)
    executed = [0]

    def count(execute, sql, params, many, context):
        executed[0] += 1
        return execute(sql, params, many, context)

    def run():
        with connection.execute_wrapper(count):
            return import_job_create(data=data, file_name="annuaire.csv", directory=directory, user=None)

    if trace:
        job, peak, seconds = _traced(run)
    else:
        job, seconds = _timed(run)
        peak = None
    job.refresh_from_db()
    figures = {
        "rows": rows,
        "status": job.status,
        "created": job.created,
        "errors": job.errors,
        "seconds": seconds,
        "rows_per_second": round(rows / seconds, 1) if seconds else None,
        "queries": executed[0],
        "queries_per_organisation": round(executed[0] / job.created, 1) if job.created else None,
    }
    if peak is not None:
        figures["peak_memory_mb"] = peak
    return figures


def directory_import() -> dict:
    """IMPORT_ROWS new organisations through the background import; memory traced at a tenth and a half of it."""
    large = _directory_import(IMPORT_ROWS, 0, trace=False)
    small_traced = _directory_import(max(IMPORT_ROWS // 10, 1), IMPORT_ROWS, trace=True)
    half_traced = _directory_import(max(IMPORT_ROWS // 2, 1), IMPORT_ROWS * 2, trace=True)
    return {
        "large": large,
        "small_traced": small_traced,
        "half_traced": half_traced,
        "memory_ratio": round(half_traced["peak_memory_mb"] / small_traced["peak_memory_mb"], 2),
    }
