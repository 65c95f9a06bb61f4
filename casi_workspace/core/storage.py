"""The media storage: Django's file system storage, except that a file is written whole or not at all.

Django's FileSystemStorage writes an upload straight under its final name; when the disk fills up half-way
the half-written file stays there, named like a real one, and nothing will ever delete it. Here the file is
first written beside its destination under a hidden temporary name, removed if the write fails, and renamed
to its final name (an atomic step on one file system) only once complete. Name it in `STORAGES["default"]`.
"""

from __future__ import annotations

import os
import tempfile

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage

TEMPORARY_PREFIX = ".upload-"


class _WrittenFile(File):
    """A complete file on disk that Django's storage moves (renames) rather than copies."""

    def temporary_file_path(self) -> str:
        return self.name


class MediaStorage(FileSystemStorage):
    def _save(self, name: str, content: File) -> str:
        directory = os.path.dirname(self.path(name))
        os.makedirs(directory, mode=self.directory_permissions_mode or 0o777, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=directory)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                for chunk in content.chunks():
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            return super()._save(name, _WrittenFile(None, temporary))
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
