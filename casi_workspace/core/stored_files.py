"""Files and transactions: a file written to the storage is kept only if the transaction that wrote it commits.

The one rule for every upload (the working groups' library, Wagtail's own document and image forms through
`StorageFaultMiddleware`): run the work inside `files_atomic()`. Every row saved inside it whose file field
holds a new file (a Document, an Image, a rendition, any model with a FileField) writes that file when the row
is saved; if anything then fails — the next file does not fit on the disk, a revision cannot be saved — the
transaction is rolled back and those files are deleted from the storage, so neither a row pointing at a
missing file nor a file that no row names remains. A file half-written when the disk filled up is removed by
the storage itself (`core.storage.MediaStorage`).

`storage_failure_status` tells which exceptions are the storage's failures, and the HTTP status that says
so: 507 when the disk is full, 503 when the storage refuses or cannot be reached.
"""

from __future__ import annotations

import contextvars
import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.signals import pre_save

logger = logging.getLogger(__name__)

# The disk (or the quota, or the size a process may write) is full: 507 Insufficient Storage.
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
# The storage cannot be written at all: read-only, failing, out of reach: 503.
UNAVAILABLE_ERRNOS = frozenset({errno.EROFS, errno.EIO})
# A storage's methods that write: whatever they raise is the storage's failure (an object store's refusal
# is no OSError).
STORAGE_WRITE_METHODS = frozenset({"save", "_save"})

_written: contextvars.ContextVar[list[tuple[models.Model, str]] | None] = contextvars.ContextVar(
    "casi_files_written", default=None
)


def _raised_by_storage_write(traceback: TracebackType | None) -> bool:
    while traceback is not None:
        frame = traceback.tb_frame
        if frame.f_code.co_name in STORAGE_WRITE_METHODS and isinstance(frame.f_locals.get("self"), Storage):
            return True
        traceback = traceback.tb_next
    return False


def storage_failure_status(exception: BaseException) -> int | None:
    """507 for a full disk, 503 for a storage that refuses or fails; None for anything else."""
    code = exception.errno if isinstance(exception, OSError) else None
    if code in FULL_ERRNOS:
        return 507
    if code in UNAVAILABLE_ERRNOS or _raised_by_storage_write(exception.__traceback__):
        return 503
    return None


def _new_files_note(sender, instance: models.Model, raw: bool = False, **kwargs) -> None:
    """Before a row is saved inside `files_atomic`: note its file fields that hold a file not yet stored."""
    written = _written.get()
    if written is None or raw:
        return
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.FileField):
            value = getattr(instance, field.attname)
            if value and not value._committed:
                written.append((instance, field.attname))


def stored_files_track() -> None:
    """Connect the receiver that notes new files (called once, in the app's start-up)."""
    pre_save.connect(_new_files_note, dispatch_uid="casi_workspace.stored_files")


def _discard(written: list[tuple[models.Model, str]]) -> None:
    for instance, attname in written:
        file = getattr(instance, attname)
        if not (file and file._committed and file.name):
            continue  # never stored (the write itself failed): nothing of it to remove here
        try:
            file.storage.delete(file.name)
        except Exception:  # the storage may still be failing: say which file stays, and go on
            logger.exception("A file written by a failed transaction could not be removed: %s", file.name)


@contextmanager
def files_atomic() -> Iterator[None]:
    """A database transaction whose new files are deleted from the storage unless it commits.

    Nested inside another `files_atomic`, its files are the outer one's once it succeeds (the outer one may
    still fail). Inside a plain `transaction.atomic` that later rolls back, its files stay: start the outermost
    transaction of an upload with this.
    """
    written: list[tuple[models.Model, str]] = []
    outer = _written.get()
    token = _written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _discard(written)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(written)
