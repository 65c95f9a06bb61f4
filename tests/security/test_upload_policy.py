"""The upload policy (casi_workspace/upload_policy.py): one rule for every upload, and `manage.py check --deploy`
reports settings that would let Wagtail's own forms or document serving step outside it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from casi_workspace.core.upload_policy import served_as_download, upload_check, upload_settings_check
from casi_workspace.models import DirectoryPage

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _ids(**settings) -> set[str]:
    with override_settings(**settings):
        return {problem.id for problem in upload_settings_check()}


def test_the_site_settings_follow_the_policy():
    assert _ids() == set()  # and tests/site/test_production_settings.py: `check --deploy` reports nothing


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"WAGTAILDOCS_EXTENSIONS": ["pdf", "html"]}, "casi_workspace.W103"),
        ({"WAGTAILDOCS_EXTENSIONS": ["pdf", "SVG"]}, "casi_workspace.W103"),
        ({"WAGTAILDOCS_EXTENSIONS": []}, "casi_workspace.W101"),
        ({"WAGTAILDOCS_SERVE_METHOD": "direct"}, "casi_workspace.W104"),
        ({"WAGTAILDOCS_SERVE_METHOD": "redirect"}, "casi_workspace.W104"),
        ({"WAGTAILDOCS_INLINE_CONTENT_TYPES": ["application/pdf", "text/html"]}, "casi_workspace.W105"),
        ({"WAGTAILDOCS_INLINE_CONTENT_TYPES": ["image/svg+xml"]}, "casi_workspace.W105"),
        ({"WAGTAILDOCS_MAX_UPLOAD_SIZE": None}, "casi_workspace.W102"),
    ],
)
def test_settings_outside_the_policy_are_reported(settings, expected):
    assert expected in _ids(**settings)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<script>alert(1)</script>", "ce type de fichier n’est pas accepté"),
        ("image.svg", b"<svg onload='alert(1)'/>", "ce type de fichier n’est pas accepté"),
        ("sans-extension", b"data", "ce type de fichier n’est pas accepté"),
        ("vide.pdf", b"", "est vide"),
        ("gros.pdf", b"x" * (MB + 1), "est trop volumineux"),
    ],
)
def test_upload_check_explains_each_refusal_in_french(name, content, message):
    upload = SimpleUploadedFile(name, content)
    with translation.override("fr"):
        problem = upload_check(upload, extensions=["pdf", "html", "svg"], limit=MB)
    assert message in problem
    assert "html" not in problem.split("Types acceptés")[-1]  # active content is never offered


def test_an_accepted_file_passes():
    assert upload_check(SimpleUploadedFile("compte-rendu.pdf", b"%PDF-1.4"), extensions=["pdf"], limit=MB) is None


@pytest.mark.parametrize(
    ("name", "download"),
    [("page.html", True), ("IMAGE.SVG", True), ("flux.xml", True), ("script.js", True), ("note.pdf", False)],
)
def test_active_content_is_only_ever_a_download(name, download):
    assert served_as_download(name) is download


def test_the_csv_import_follows_the_policy(login):
    client = login("coordination")
    directory = DirectoryPage.objects.get(slug="annuaire")
    upload = SimpleUploadedFile("annuaire.html", b"<script>alert(1)</script>", content_type="text/html")
    response = client.post("/admin/casi_workspace/organisations/import/", {"file": upload, "directory": directory.pk})
    assert response.status_code == 200
    assert "ce type de fichier n’est pas accepté" in " ".join(response.context["form"].errors["file"])
