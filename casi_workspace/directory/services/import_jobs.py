"""Directory imports in the background: queued from the admin, run by the task worker a batch of rows at a time,
with their progress, cancellation and resumption.

Each batch of rows is imported in one transaction together with its report lines and the job's counters:
whatever moment a worker stops at, the job says exactly which rows are done, and a resumed job goes on from the
next one, creating nothing twice.
"""

from __future__ import annotations

import datetime
import itertools
import math
import time
from collections import Counter
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from casi_workspace.conf import get_setting
from casi_workspace.core.errors import CasiError
from casi_workspace.core.queue import enqueue_on_commit
from casi_workspace.directory.models import (
    FINISHED_STATUSES,
    ImportLineOutcome,
    ImportStatus,
    OrganisationImport,
    OrganisationImportLine,
)
from casi_workspace.directory.services.imports import (
    NO_MAPPING,
    CsvTable,
    ImportFileError,
    ImportMapping,
    RowImporter,
    RowResult,
    organisations_csv_read,
    organisations_rows,
)
from casi_workspace.organisations.models import DirectoryPage


class ImportJobError(CasiError):
    pass


def import_job_create(
    *, data: bytes, file_name: str, directory: DirectoryPage, user, mapping: ImportMapping = NO_MAPPING
) -> OrganisationImport:
    """Keep the file and queue its import, read with `mapping`; the worker starts once this transaction
    commits. A file refused as a whole (ImportFileError) is refused at once, never queued."""
    organisations_csv_read(rows_source=data, mapping=mapping)
    job = OrganisationImport.objects.create(
        directory=directory,
        requested_by=user if user is not None and user.is_authenticated else None,
        file_name=file_name[:255],
        data=data,
        mapping=mapping.to_json(),
    )
    enqueue_on_commit(organisations_import_batch, job_id=job.pk)
    return job


def import_job_queue(job: OrganisationImport, *, mapping: ImportMapping, user) -> OrganisationImport:
    """Queue a draft (the mapping step's file) with the mapping chosen; raise ImportFileError when the file,
    read with it, is refused as a whole (a required column missing), and leave the draft as it was."""
    organisations_csv_read(rows_source=bytes(job.data), mapping=mapping, max_rows=0)
    with transaction.atomic():
        updated = OrganisationImport.objects.filter(pk=job.pk, status=ImportStatus.DRAFT).update(
            status=ImportStatus.QUEUED,
            mapping=mapping.to_json(),
            requested_by=user if user is not None and user.is_authenticated else None,
            requested_at=timezone.now(),
        )
        if not updated:
            raise ImportJobError(_("This import has already been started."))
        enqueue_on_commit(organisations_import_batch, job_id=job.pk)
    job.refresh_from_db()
    return job


def import_job_cancel(job: OrganisationImport) -> None:
    """Stop the import after the batch of rows being imported: what is done stays done."""
    with transaction.atomic():
        job = OrganisationImport.objects.select_for_update().get(pk=job.pk)
        if job.finished:
            raise ImportJobError(_("This import is already finished."))
        job.cancel_requested = True
        if job.status in (ImportStatus.QUEUED, ImportStatus.DRAFT):
            job.status, job.finished_at = ImportStatus.CANCELLED, timezone.now()
        job.save(update_fields=["cancel_requested", "status", "finished_at"])


def import_job_stalled(job: OrganisationImport, *, now: datetime.datetime | None = None) -> bool:
    """Running, or queued, with no progress for longer than the lease: its worker stopped."""
    if job.finished:
        return False
    last = job.progressed_at or job.started_at or job.requested_at
    return last <= (now or timezone.now()) - datetime.timedelta(seconds=get_setting("IMPORT_LEASE"))


def import_job_resume(job: OrganisationImport) -> None:
    """Queue the import again from its first row not done."""
    if job.finished:
        raise ImportJobError(_("This import is already finished."))
    enqueue_on_commit(organisations_import_batch, job_id=job.pk)


def import_jobs_resume() -> list[OrganisationImport]:
    """Queue again every import left unfinished (run when the worker starts again)."""
    unfinished = OrganisationImport.objects.exclude(status__in=(*FINISHED_STATUSES, ImportStatus.DRAFT))
    jobs = list(unfinished.order_by("pk").only("pk", "file_name"))
    for job in jobs:
        enqueue_on_commit(organisations_import_batch, job_id=job.pk)
    return jobs


def _table(job: OrganisationImport, data: bytes) -> CsvTable | None:
    """The job's file read with its mapping, its rows counted (not kept: they are read again a batch at a time);
    a file refused as a whole finishes the job with the reason."""
    try:
        mapping = ImportMapping.from_json(job.mapping)
        return organisations_csv_read(rows_source=data, mapping=mapping, keep_rows=False)
    except ImportFileError as exc:
        OrganisationImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, file_error=str(exc), finished_at=timezone.now()
        )
        return None


def _start(job: OrganisationImport, table: CsvTable) -> None:
    """The first batch records the file's size, warnings and broken lines, once."""
    with transaction.atomic():
        locked = OrganisationImport.objects.select_for_update().get(pk=job.pk)
        if locked.started_at is not None:
            return
        OrganisationImportLine.objects.bulk_create(
            OrganisationImportLine(
                job=locked, line=error.line, outcome=ImportLineOutcome.ERROR, column=error.column, message=error.message
            )
            for error in table.broken
        )
        now = timezone.now()
        locked.status, locked.started_at, locked.progressed_at = ImportStatus.RUNNING, now, now
        locked.total, locked.warnings = table.total, table.warnings
        locked.errors = len({error.line for error in table.broken})
        locked.save(update_fields=["status", "started_at", "progressed_at", "total", "warnings", "errors"])


def _claimed_line(job: OrganisationImport) -> Callable[[int], int | None]:
    """The line of the earlier batches that imported an organisation, if one did."""

    def line(organisation_id: int) -> int | None:
        return job.lines.filter(organisation_id=organisation_id).values_list("line", flat=True).first()

    return line


def _batch_record(job: OrganisationImport, results: list[RowResult], done: int) -> None:
    """The batch's report lines and the job's counters, in the batch's own transaction."""
    lines = []
    counters: Counter[str] = Counter()
    for result in results:
        lines += [
            OrganisationImportLine(
                job=job, line=error.line, outcome=ImportLineOutcome.ERROR, column=error.column, message=error.message
            )
            for error in result.errors
        ]
        lines += [
            OrganisationImportLine(job=job, line=result.line, outcome=ImportLineOutcome.WARNING, message=note)
            for note in result.notes
        ]
        if result.outcome:
            lines.append(
                OrganisationImportLine(
                    job=job,
                    line=result.line,
                    outcome=result.outcome,
                    title=result.title[:255],
                    organisation_id=result.organisation_id,
                )
            )
        counters[result.outcome or "errors"] += 1
    OrganisationImportLine.objects.bulk_create(lines)
    OrganisationImport.objects.filter(pk=job.pk).update(
        done=done, progressed_at=timezone.now(), **{name: F(name) + count for name, count in counters.items()}
    )


def import_job_batch_run(job_id: int, *, limit: int | None = None, seconds: float = 0) -> bool:
    """Import the job's next batches of rows (at most `limit` rows each, the IMPORT_BATCH_SIZE setting by
    default), one at least, more while less than `seconds` have passed; True when rows remain. The file is read
    once for all of them, its rows a batch at a time. A cancelled or finished job does nothing."""
    started = time.monotonic()
    job = OrganisationImport.objects.filter(pk=job_id).select_related("directory", "requested_by").first()
    if job is None or job.finished or job.status == ImportStatus.DRAFT:
        return False
    if job.cancel_requested:
        _finish(job, ImportStatus.CANCELLED)
        return False
    data = bytes(job.data)
    table = _table(job, data)
    if table is None:
        return False
    _start(job, table)
    job.refresh_from_db(fields=["done", "cancel_requested"])
    importer = RowImporter(
        directory=job.directory,
        user=job.requested_by,
        separator=table.list_separator,
        claimed_line=_claimed_line(job),
        mapping=ImportMapping.from_json(job.mapping),
    )
    first = max(job.done - len(table.broken), 0)
    remaining = organisations_rows(rows_source=data, mapping=importer.mapping, start=first)
    count = table.total - len(table.broken)
    size = limit or get_setting("IMPORT_BATCH_SIZE")
    while True:
        rows = list(itertools.islice(remaining, size))
        with transaction.atomic():
            results = importer.batch_import(rows)
            _batch_record(job, results, len(table.broken) + first + len(rows))
        first += len(rows)
        if first >= count:
            _finish(job, ImportStatus.DONE)
            return False
        job.refresh_from_db(fields=["cancel_requested"])
        if job.cancel_requested:
            _finish(job, ImportStatus.CANCELLED)
            return False
        if time.monotonic() - started >= seconds:
            return True


def _finish(job: OrganisationImport, status: str) -> None:
    OrganisationImport.objects.filter(pk=job.pk).exclude(status__in=FINISHED_STATUSES).update(
        status=status, finished_at=timezone.now()
    )


# How long one task imports batches of rows before handing over to the next: long enough that the file is read
# a few times an import, not once a batch; well within the lease after which a job counts as stalled.
TASK_SECONDS = 30


@task()
def organisations_import_batch(*, job_id: int) -> None:
    """Batches of an import's rows for TASK_SECONDS; the next batches follow as a new task, so that a stopped
    worker loses at most the batch it was importing. A backend that runs tasks at once (development, tests)
    goes on to the end instead."""
    can_defer = organisations_import_batch.get_backend().supports_defer
    while import_job_batch_run(job_id, seconds=TASK_SECONDS if can_defer else math.inf):
        if can_defer:
            organisations_import_batch.enqueue(job_id=job_id)
            return
