"""An upload that fails half-way — the disk full, the storage refusing — leaves nothing half-made and says so in
French: no document, image, page or revision, no version pointing at a missing file, and no file on the disk,
neither those written before the failure nor the one written half.

The full disk is a real one: a 256 KB tmpfs mounted by the test (as root) as MEDIA_ROOT, filled up to what each
test needs. The refusing storage is a storage class named in STORAGES, as an object store with a quota.
"""

from __future__ import annotations

import gc
import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Revision

from casi_workspace.demo.data import TRUSTED_ASSOCIATION
from casi_workspace.directory.models import OrganisationImport
from casi_workspace.models import SharedDocumentPage, WorkingGroupRole
from tests.publications.helpers import publication_create
from tests.workgroups.helpers import client_for, document_make, group_make, member_make, url

pytestmark = pytest.mark.django_db

DISK_SIZE = "256k"
FILLER = ".filler"
FILE_SIZE = 100_000
FULL = "le disque du serveur est plein"
UNAVAILABLE = "le stockage des fichiers du serveur est indisponible"


class SmallDisk:
    """A tmpfs of DISK_SIZE mounted for one test; MEDIA_ROOT is a folder on it."""

    def __init__(self, mount_point: Path) -> None:
        self.mount_point = mount_point
        self.media = mount_point / "media"

    def mount(self) -> None:
        self.mount_point.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(self.mount_point)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            pytest.fail(f"these tests mount a small tmpfs and must run as root: {result.stderr.strip()}")
        self.media.mkdir()

    def unmount(self) -> None:
        gc.collect()  # closes (and so deletes) a spooled upload's temporary file while the disk is there
        subprocess.run(["umount", "-l", str(self.mount_point)], check=True)

    def fill(self, *, leave: int) -> None:
        """Fill the disk but `leave` bytes."""
        stats = os.statvfs(self.mount_point)
        free = stats.f_bavail * stats.f_frsize
        with open(self.mount_point / FILLER, "ab") as filler:
            filler.write(b"\0" * max(free - leave, 0))

    def files(self) -> list[str]:
        """Every file under MEDIA_ROOT, hidden ones (a storage's temporary files) included."""
        return sorted(str(path.relative_to(self.media)) for path in self.media.rglob("*") if path.is_file())


@pytest.fixture
def small_disk(settings, tmp_path: Path) -> Iterator[SmallDisk]:
    disk = SmallDisk(tmp_path / "disk")
    disk.mount()
    settings.MEDIA_ROOT = disk.media
    try:
        yield disk
    finally:
        disk.unmount()


def _noise(name: str, size: int = FILE_SIZE) -> SimpleUploadedFile:
    """A PDF that does not compress: its size on the disk is its size."""
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + os.urandom(size), content_type="application/pdf")


def _noise_png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PillowImage.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _counts() -> tuple[int, int, int, int]:
    return (
        get_document_model().objects.count(),
        get_image_model().objects.count(),
        SharedDocumentPage.objects.count(),
        Revision.objects.count(),
    )


def _group_with_member():
    group = group_make("members")
    return group, member_make(group, WorkingGroupRole.MEMBER)


def _three_files_sent(group, member):
    uploads = [_noise("ordre-du-jour.pdf"), _noise("budget.pdf"), _noise("bilan.pdf")]
    return client_for(member).post(url("group_upload", group_id=group.pk), {"parent": group.pk, "files": uploads})


def _refused(response, status: int, words: str, before: tuple[int, int, int, int]) -> None:
    """Answered `status` with `words` on the page, and nothing more in the database than `before`."""
    assert response.status_code == status
    assert words in _text(response)
    assert _counts() == before


# --- The working groups' library -------------------------------------------------------------------------------


def test_group_upload_on_a_full_disk_leaves_no_document_and_no_file(small_disk):
    """Three files, the third does not fit: the two stored first go too, and the person reads why."""
    group, member = _group_with_member()
    small_disk.fill(leave=int(2.5 * FILE_SIZE))
    before = _counts()

    response = _three_files_sent(group, member)

    _refused(response, 507, FULL, before)
    assert not SharedDocumentPage.objects.child_of(group).exists()
    assert small_disk.files() == []


def test_new_version_on_a_full_disk_keeps_the_current_one_and_its_history(small_disk):
    group, member = _group_with_member()
    page = document_make(group, member, "charte.pdf")
    kept = small_disk.files()
    small_disk.fill(leave=FILE_SIZE // 2)
    before = _counts()

    response = client_for(member).post(url("group_document_replace", page_id=page.pk), {"file": _noise("charte.pdf")})

    _refused(response, 507, FULL, before)
    page.refresh_from_db()
    assert page.revisions.count() == 1
    assert page.document.file.name in kept
    assert small_disk.files() == kept
    download = client_for(member).get(url("group_document_download", page_id=page.pk))
    assert download.status_code == 200


def test_group_upload_refused_by_the_object_store_leaves_nothing_there(settings, tmp_path: Path):
    """A storage error, not a full disk: the store takes two files and refuses the third (its quota)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.core.storages.QuotaObjectStorage",
            "OPTIONS": {"location": str(tmp_path / "bucket"), "quota": int(2.5 * FILE_SIZE)},
        },
    }
    group, member = _group_with_member()
    before = _counts()

    response = _three_files_sent(group, member)

    _refused(response, 503, UNAVAILABLE, before)
    assert [path for path in (tmp_path / "bucket").rglob("*") if path.is_file()] == []


# --- Wagtail's own admin forms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "upload"),
    [
        ("/admin/documents/add/", lambda: _noise("rapport.pdf")),
        ("/admin/images/add/", lambda: _noise_png("affiche.png")),
    ],
    ids=["document", "image"],
)
def test_admin_upload_on_a_full_disk_is_a_french_page_and_leaves_nothing(small_disk, login, address, upload):
    client = login("admin")
    small_disk.fill(leave=20_000)
    before = _counts()

    response = client.post(
        address, {"title": "Envoi", "collection": Collection.get_first_root_node().pk, "file": upload()}
    )

    _refused(response, 507, FULL, before)
    assert small_disk.files() == []


def test_admin_multiple_upload_on_a_full_disk_tells_the_file_in_french(small_disk, login):
    client = login("admin")
    small_disk.fill(leave=FILE_SIZE // 2)
    before = _counts()

    response = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": _noise("rapport.pdf"), "collection": Collection.get_first_root_node().pk},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    answer = response.json()
    assert answer["success"] is False
    assert FULL in answer["error_message"]
    assert _counts() == before
    assert small_disk.files() == []


# --- An upload spooled to a full temporary folder (the directory's import, any large file) ---------------------


def test_import_upload_spooled_to_a_full_disk_is_a_french_page(settings, small_disk, login):
    settings.FILE_UPLOAD_TEMP_DIR = str(small_disk.mount_point)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1_000  # spooled to the disk, as any upload past 2.5 MB is
    client = login("coordination")
    small_disk.fill(leave=FILE_SIZE // 2)
    imports = OrganisationImport.objects.count()
    rows = "nom,commune\n" + "".join(f"Association {n},Rennes\n" for n in range(6_000))

    response = client.post(
        "/admin/casi_workspace/organisations/import/",
        {"file": SimpleUploadedFile("organisations.csv", rows.encode(), content_type="text/csv"), "directory": "1"},
    )

    assert response.status_code == 507
    assert FULL in _text(response)
    assert OrganisationImport.objects.count() == imports


# --- Reading while the disk is full ------------------------------------------------------------------------------


def test_page_whose_picture_needs_a_new_rendition_on_a_full_disk_is_a_french_page(small_disk, client, page_cache_off):
    """A picture in a size not made yet cannot be written: the page says so in French, never with a 500."""
    upload = _noise_png("affiche.png")
    image = get_image_model().objects.create(title="Affiche", file=ImageFile(upload, name="affiche.png"))
    news = publication_create("news", TRUSTED_ASSOCIATION, image=image, image_alt="Affiche du festival")
    small_disk.fill(leave=4096)

    response = client.get(news.url)

    assert response.status_code == 507
    assert FULL in _text(response)


# --- What `check --deploy` tells an operator ---------------------------------------------------------------------


def test_deploy_check_names_a_site_without_the_middleware_or_with_django_plain_storage(settings):
    assert not {"casi_workspace.W111", "casi_workspace.W112"} & {
        m.id for m in run_checks(include_deployment_checks=True)
    }

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("StorageFaultMiddleware")]
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}

    found = {m.id for m in run_checks(include_deployment_checks=True)}
    assert {"casi_workspace.W111", "casi_workspace.W112"} <= found
