"""Storages that fail as real ones do, named in STORAGES by the fault tests."""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage


class ObjectStoreRefused(Exception):
    """What an object store's client raises when the store refuses a write (no OSError)."""


class QuotaObjectStorage(FileSystemStorage):
    """An object store with a quota: it refuses a write that would take it past `quota` bytes.

    Like an object store, it writes a file whole or not at all (nothing is stored of a refused write).
    """

    def __init__(self, *, quota: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.quota = quota

    def _held(self) -> int:
        return sum(path.stat().st_size for path in Path(self.location).rglob("*") if path.is_file())

    def _save(self, name: str, content: File) -> str:
        if self._held() + content.size > self.quota:
            raise ObjectStoreRefused("403 QuotaExceeded: the bucket holds its quota")
        return super()._save(name, content)
