"""Hostile files: uploads to a working group's library and to the admin's images, and path traversal.

tests/workgroups/test_security.py already sends .html, .svg, .xml, .exe, .php, extension-less and
double-extension files, an oversized and an empty one; here are the disguises it does not try (case, trailing
dot or space, a script under an accepted extension), a bad file among good ones, too many files at once,
decompression bombs through the admin's image upload, and `../` in file names and addresses.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import UploadedFile
from wagtail.users.models import UserProfile

from casi_workspace.models import SharedDocumentPage, WorkingGroupPage
from tests.helpers import french
from tests.permissions.support import form_data, png_upload
from tests.workgroups.helpers import client_for, pdf_upload, url

from .support import content

pytestmark = pytest.mark.django_db

NOT_ACCEPTED = "“%(name)s”: files of this type are not accepted. Accepted types: %(types)s."
TOO_LARGE = "“%(name)s” is too large (%(size)s): the limit is %(limit)s."
TOO_MANY = "Send at most %(count)s files at once."


def _ecsi() -> WorkingGroupPage:
    return WorkingGroupPage.objects.get(slug="ecsi")


def _member() -> Client:
    return client_for(get_user_model().objects.get(username="membre-gt"))


def _documents(group: WorkingGroupPage) -> set[int]:
    return set(SharedDocumentPage.objects.descendant_of(group).values_list("pk", flat=True))


def _upload(client: Client, group: WorkingGroupPage, *files):
    return client.post(url("group_upload", group_id=group.pk), {"parent": group.pk, "files": list(files)})


def _types() -> str:
    return ", ".join(sorted(settings.WAGTAILDOCS_EXTENSIONS))


# --- Disguised active content --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["rapport.pdf.html", "PAGE.HTML", "page.html.", "page.html ", "dessin.SvG", "outil.pHp5", "code.phtml"]
)
def test_a_disguised_script_is_refused_in_french_and_nothing_is_kept(name):
    group = _ecsi()
    before, files = _documents(group), get_document_model().objects.count()
    response = _upload(_member(), group, SimpleUploadedFile(name, b"<script>alert(document.cookie)</script>"))
    assert response.status_code == 400
    assert french(NOT_ACCEPTED) % {"name": name, "types": _types()} in content(response)
    assert _documents(group) == before
    assert get_document_model().objects.count() == files


@pytest.mark.parametrize(
    ("name", "payload", "content_type"),
    [
        ("rapport.pdf", b"<?php system($_GET['c']); ?>", "application/pdf"),
        ("notes.txt", b"<html><body><script>alert(document.cookie)</script></body></html>", "text/plain"),
        ("budget.xlsx", b"MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode", None),
    ],
)
def test_a_script_under_an_accepted_extension_is_only_ever_downloaded(name, payload, content_type):
    """The type is the extension's, never the content's; the browser is told not to guess and not to render."""
    group = _ecsi()
    client = _member()
    before = _documents(group)
    response = _upload(client, group, SimpleUploadedFile(name, payload, content_type="text/html"))
    assert response.status_code == 302
    (page_id,) = _documents(group) - before
    page = SharedDocumentPage.objects.select_related("document").get(pk=page_id)
    for address in (url("group_document_download", page_id=page_id), page.document.url):
        download = client.get(address)
        assert download.status_code == 200, address
        assert download["X-Content-Type-Options"] == "nosniff", address
        if address == page.document.url and download["Content-Type"] == "application/pdf":
            # Wagtail's own view opens PDFs in the browser (WAGTAILDOCS_INLINE_CONTENT_TYPES), under a policy that
            # lets nothing run in the site's origin.
            assert download["Content-Security-Policy"] == "default-src 'none'"
        else:
            assert download["Content-Disposition"].startswith("attachment"), address
        assert "html" not in download["Content-Type"], (address, download["Content-Type"])
        if content_type:
            assert download["Content-Type"].startswith(content_type), (address, download["Content-Type"])
        assert b"".join(download.streaming_content) == payload, address
    plugin = client.get(url("group_document_download", page_id=page_id))
    assert "sandbox" in plugin["Content-Security-Policy"]


def test_one_oversized_file_refuses_the_whole_upload(settings):
    settings.CASI_WORKSPACE_GROUP_DOCUMENT_MAX_SIZE = 1024
    group = _ecsi()
    before, files = _documents(group), get_document_model().objects.count()
    big = pdf_upload("annexe.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    response = _upload(_member(), group, pdf_upload("petit.pdf"), big)
    assert response.status_code == 400
    with translation.override("fr"):
        sizes = {"size": filesizeformat(big.size), "limit": filesizeformat(1024)}
    message = french(TOO_LARGE) % {"name": "annexe.pdf", **sizes}
    assert message in content(response)
    assert _documents(group) == before
    assert get_document_model().objects.count() == files


def test_too_many_files_at_once_are_refused(settings):
    settings.CASI_WORKSPACE_GROUP_UPLOAD_MAX_FILES = 2
    group = _ecsi()
    before = _documents(group)
    response = _upload(_member(), group, *(pdf_upload(f"piece-{number}.pdf") for number in range(3)))
    assert response.status_code == 400
    assert french(TOO_MANY) % {"count": 2} in content(response)
    assert _documents(group) == before


# --- Decompression bombs through the admin's image upload ----------------------------------------------------


def _png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A PNG of `width`×`height` black pixels (2.5 billion): about 300 kB on disk, 312 MB once decoded.

    Pillow writes a real one-pixel, one-bit PNG; its header and data are then grown to the declared size.
    """
    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, "PNG")
    small = buffer.getvalue()
    signature, header = small[:8], small[8 : 8 + 25]
    ihdr = b"IHDR" + struct.pack(">II", width, height) + header[16:21]
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the row's bits
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind_and_data: bytes) -> bytes:
        return struct.pack(">I", len(kind_and_data) - 4) + kind_and_data + struct.pack(">I", zlib.crc32(kind_and_data))

    return signature + chunk(ihdr) + chunk(b"IDAT" + idat) + chunk(b"IEND")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = _png_bomb()
    assert len(data) < 1_000_000
    with pytest.raises(Image.DecompressionBombError):  # a real bomb: Pillow itself would refuse to open it
        Image.open(io.BytesIO(data))
    return data


def _image_files() -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "original_images"
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


def _pixels_message() -> str:
    with translation.override("fr"):
        return gettext("This file has too many pixels (%(num_pixels)s). Maximum pixels %(max_pixels_count)s.") % {
            "num_pixels": gettext("unknown number"),
            "max_pixels_count": 128_000_000,
        }


@pytest.mark.parametrize("view", ["multiple", "single"])
def test_a_decompression_bomb_is_refused_by_the_image_upload(login, bomb, view):
    client = login("asso-a")
    images, parked, files = get_image_model().objects.count(), UploadedFile.objects.count(), _image_files()
    upload = SimpleUploadedFile("affiche.png", bomb, content_type="image/png")
    if view == "multiple":
        response = client.post("/admin/images/multiple/add/", {"files[]": upload})
        # Wagtail's upload protocol: a JSON answer the page's script reads, with the French reason.
        assert response.status_code in (200, 400)
        answer = response.json()
        assert answer["success"] is False
        assert answer["error_message"] == _pixels_message()
    else:
        response = client.post("/admin/images/add/", {"title": "Affiche", "file": upload})
        assert response.status_code in (200, 400)  # the form again, with the error on the file
        assert _pixels_message() in content(response)
    assert get_image_model().objects.count() == images
    assert UploadedFile.objects.count() == parked
    assert _image_files() == files


def test_a_decompression_bomb_is_refused_as_an_avatar(login, bomb):
    """Any signed-in account may upload a profile picture. Wagtail's avatar panel shows no error of its own:
    the refusal is the form shown again (200) instead of the redirect of a saved form, and nothing saved."""
    client = login("membre-gt")
    user = get_user_model().objects.get(username="membre-gt")

    def post(picture: SimpleUploadedFile):
        data = form_data(client.get("/admin/account/").content.decode(), "w-editor-form")
        return client.post("/admin/account/", {**data, "avatar-avatar": picture})

    bomb_response = post(SimpleUploadedFile("moi.png", bomb, content_type="image/png"))
    assert bomb_response.status_code == 200
    assert not UserProfile.get_for_user(user).avatar
    # The same form with a real picture is saved: the bomb alone was refused.
    saved = post(png_upload("moi.png"))
    assert saved.status_code == 302
    assert UserProfile.get_for_user(user).avatar


# --- Path traversal ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["../../../etc/passwd.pdf", "..\\..\\..\\windows\\win.ini.pdf", "%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf"]
)
def test_a_traversing_file_name_stays_in_the_documents_folder(name):
    group = _ecsi()
    client = _member()
    before = _documents(group)
    response = _upload(client, group, pdf_upload(name))
    assert response.status_code == 302
    (page_id,) = _documents(group) - before
    page = SharedDocumentPage.objects.select_related("document").get(pk=page_id)
    stored = Path(page.document.file.path).resolve()
    assert stored.is_relative_to((Path(settings.MEDIA_ROOT) / "documents").resolve()), stored
    for text in (page.title, page.document.file.name.removeprefix("documents/")):
        assert "/" not in text and "\\" not in text and "../" not in text, text
    download = client.get(url("group_document_download", page_id=page_id))
    disposition = download["Content-Disposition"]
    assert "/" not in disposition and "\\" not in disposition, disposition


def _group_document() -> SharedDocumentPage:
    return SharedDocumentPage.objects.descendant_of(_ecsi()).select_related("document").first()


TRAVERSALS = {
    "document view, encoded": lambda doc: f"/documents/{doc.document.pk}/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "document view, plain": lambda doc: f"/documents/{doc.document.pk}/../../../../etc/passwd",
    "document view, dot segments": lambda doc: f"/documents/{doc.document.pk}/%2e%2e/%2e%2e/settings.py",
    "media": lambda doc: "/media/documents/..%2f..%2f..%2fsite%2fcasi_site%2fsettings%2fbase.py",
    "static": lambda doc: "/static/..%2f..%2fsite%2fcasi_site%2fsettings%2fbase.py",
    "download version": lambda doc: f"/casi/groupes/documents/{doc.pk}/telecharger/?version=..%2f..%2fetc%2fpasswd",
    "newsletter link": lambda doc: "/casi/lettre/preferences/..%2f..%2f..%2fetc%2fpasswd/",
    "team invitation": lambda doc: "/casi/invitation/..%2f..%2f..%2fetc%2fpasswd/",
}


@pytest.mark.parametrize("attack", TRAVERSALS)
def test_traversal_in_an_address_serves_nothing(attack):
    document = _group_document()
    address = TRAVERSALS[attack](document)
    for client in (Client(), _member()):
        response = client.get(address)
        assert response.status_code in (301, 302, 400, 403, 404), (address, response.status_code)
        if response.status_code in (301, 302):  # to the login page or the canonical address, on this site
            assert response["Location"].startswith("/") and not response["Location"].startswith("//")
        body = content(response)
        assert "root:x:0:0" not in body and "SECRET_KEY" not in body and "%PDF" not in body, address


def test_a_renamed_document_address_does_not_open_another_file():
    """Wagtail's view takes the id; the name in the address must not pick a file of its own."""
    document = _group_document().document
    member = _member()
    for name in ("passwd", os.path.basename(settings.BASE_DIR / "manage.py"), "..", "%2e%2e"):
        response = member.get(f"/documents/{document.pk}/{name}")
        assert response.status_code in (301, 302, 404), (name, response.status_code)
        if response.status_code in (301, 302):
            assert response["Location"] == document.url
