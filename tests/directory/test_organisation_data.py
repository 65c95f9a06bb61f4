"""An organisation's data as a ZIP: who may download it, what it holds, and what it costs in queries."""

from __future__ import annotations

import csv
import io
import json
import os
import tracemalloc
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from casi_workspace.demo.data import FINISTERE_COLLECTIVE, TRUSTED_ASSOCIATION, UNTRUSTED_ASSOCIATION
from casi_workspace.directory.exports.organisation_archive import SPOOL_BYTES, organisation_archive
from casi_workspace.models import ActorType, EventPage, MembershipRole, NewsPage, OrganisationPage
from casi_workspace.workspaces.services.teams import membership_add
from tests.helpers import french

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-de-test-2026"
PDF = b"%PDF-1.4\n% rapport d'activite\n%%EOF\n"


def _url(organisation) -> str:
    return f"/admin/casi_workspace/organisations/{organisation.pk}/data/"


def _png(colour: str = "navy") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def brest() -> OrganisationPage:
    """Brest Sahel Solidarité, a member of the Finistère collective; asso-a manages its team."""
    return OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)


@pytest.fixture
def douarnenez() -> OrganisationPage:
    return OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)


@pytest.fixture
def outside_finistere() -> OrganisationPage:
    """An association of another collective (or of none): not the Finistère coordinators' to download."""
    return (
        OrganisationPage.objects.filter(actor_type=ActorType.ASSOCIATION)
        .exclude(parent_collective__slug=FINISTERE_COLLECTIVE)
        .order_by("pk")
        .first()
    )


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def _document(organisation, title: str, name: str, content: bytes = PDF):
    return get_document_model().objects.create(
        title=title, file=ContentFile(content, name=name), collection=organisation.workspace.collection
    )


def _image(organisation, title: str, name: str, colour: str = "navy"):
    image = get_image_model()(title=title, collection=organisation.workspace.collection)
    image.file = ImageFile(ContentFile(_png(colour), name=name), name=name)
    image.save()
    return image


def _news(organisation, title: str, *, live: bool = True) -> NewsPage:
    page = NewsPage(
        title=title,
        summary=f"Résumé de {title}",
        live=live,
        body=[
            ("heading", "Le projet"),
            ("paragraph", "<p>Un puits <b>creusé</b> à Kayes.</p>"),
            ("quote", "L'eau, c'est la vie."),
        ],
    )
    organisation.add_child(instance=page)
    page.save_revision().publish() if live else page.save_revision()
    return page


def test_a_manager_downloads_everything_the_organisation_owns(login, brest):
    news = _news(brest, "Inauguration du puits de Kayes")
    draft = _news(brest, "Brouillon : assemblée générale", live=False)
    start = timezone.now() + timedelta(days=30)
    event = EventPage(title="Soirée Mali", summary="Concert", start=start, commune="Brest", live=True)
    brest.add_child(instance=event)
    event.save_revision().publish()
    # Files stay in the media folder after a test's rollback: a name no earlier test used keeps the storage
    # from renaming it, so that the archive's own renaming of two names that differ only in case shows.
    stem = f"rapport-{uuid.uuid4().hex[:8]}"
    _document(brest, "Rapport 2025", f"{stem}.pdf")
    _document(brest, "Rapport 2025 (révisé)", f"{stem.capitalize()}.pdf", b"%PDF-1.4\n% version 2\n%%EOF\n")
    _image(brest, "Le puits", f"puits-{stem}.png", "blue")

    archive = _zip(login("asso-a").get(_url(brest)))

    names = set(archive.namelist())
    for name in ("README.txt", "organisation.json", "organisation.csv", "publications.json", "publications.csv"):
        assert name in names
    assert {"team.json", "team.csv", "fichiers.csv"} <= names

    organisation = json.loads(archive.read("organisation.json"))
    assert organisation["nom"] == brest.title and organisation["commune"] == brest.commune
    assert organisation["collectif"] and organisation["url"].endswith(f"/{brest.slug}/")
    [row] = _csv(archive, "organisation.csv")
    assert row["nom"] == brest.title and row["siren"] == (brest.siren or "")

    publications = {item["id"]: item for item in json.loads(archive.read("publications.json"))}
    assert {news.pk, draft.pk, event.pk} <= set(publications)
    assert publications[news.pk]["en_ligne"] is True and publications[draft.pk]["en_ligne"] is False
    assert publications[news.pk]["type"] == "news" and publications[event.pk]["type"] == "event"
    assert "Un puits creusé à Kayes." in publications[news.pk]["texte"]
    assert "<b>creusé</b>" in publications[news.pk]["html"] and "<h2>Le projet</h2>" in publications[news.pk]["html"]
    assert publications[news.pk]["url"].startswith("http") and publications[news.pk]["premiere_publication"]
    assert publications[event.pk]["details"]["start"].startswith(str(start.year))
    rows = {int(row["id"]): row for row in _csv(archive, "publications.csv")}
    assert rows[draft.pk]["titre"] == draft.title and rows[draft.pk]["en_ligne"] == "non"

    assert archive.read(f"documents/{stem}.pdf") == PDF
    assert archive.read(f"documents/{stem.capitalize()} (2).pdf").startswith(b"%PDF-1.4\n% version 2")
    assert archive.read(f"images/puits-{stem}.png") == _png("blue")
    files = {row["titre"]: row for row in _csv(archive, "fichiers.csv")}
    assert files["Le puits"]["fichier"] == f"images/puits-{stem}.png" and files["Le puits"]["present"] == "oui"

    team = {member["identifiant"]: member for member in json.loads(archive.read("team.json"))}
    assert team["asso-a"]["role"] == "manager" and team["asso-a"]["courriel"] == "asso-a@example.org"
    assert any(row["identifiant"] == "asso-a" for row in _csv(archive, "team.csv"))

    readme = archive.read("README.txt").decode("utf-8")
    assert brest.title in readme and "publications.csv" in readme and "team.csv" in readme


def test_a_file_missing_on_disk_is_named_in_the_readme(login, brest):
    gone = _document(brest, "Compte rendu perdu", "perdu.pdf")
    gone.file.storage.delete(gone.file.name)
    _document(brest, "Statuts", "statuts.pdf")

    archive = _zip(login("asso-a").get(_url(brest)))

    assert archive.read("documents/statuts.pdf") == PDF
    assert "documents/perdu.pdf" not in archive.namelist()
    readme = archive.read("README.txt").decode("utf-8")
    assert french("These files could not be found on the server, and are not in the archive:") in readme
    assert "documents/perdu.pdf (Compte rendu perdu)" in readme
    files = {row["titre"]: row for row in _csv(archive, "fichiers.csv")}
    assert files["Compte rendu perdu"]["present"] == "non" and files["Compte rendu perdu"]["fichier"] == ""


def _editor(organisation) -> User:
    user = User.objects.create_user("redacteur-brest", email="redacteur@example.net", password=PASSWORD)
    membership_add(organisation=organisation, user=user, role=MembershipRole.EDITOR)
    return user


@pytest.mark.parametrize(
    ("username", "organisation", "status"),
    [
        ("asso-a", "brest", 200),
        ("asso-a", "douarnenez", 403),
        ("asso-b", "douarnenez", 200),
        ("asso-b", "brest", 403),
        ("collectif-29", "brest", 200),
        ("collectif-29", "outside_finistere", 403),
        ("coordination", "brest", 200),
        ("coordination", "outside_finistere", 200),
        ("admin", "douarnenez", 200),
        ("membre-gt", "brest", 403),
    ],
)
def test_who_may_download(login, request, username, organisation, status):
    response = login(username).get(_url(request.getfixturevalue(organisation)))
    assert response.status_code == status
    if status == 403:
        assert response["Content-Type"].startswith("text/html")


def test_an_editor_who_is_not_a_manager_is_refused(client, brest):
    _editor(brest)
    assert client.login(username="redacteur-brest", password=PASSWORD)
    assert client.get(_url(brest)).status_code == 403


def test_a_deactivated_manager_is_refused(login, brest):
    client = login("asso-a")
    User.objects.filter(username="asso-a").update(is_active=False)
    assert client.get(_url(brest)).status_code != 200


def test_a_visitor_is_sent_to_the_sign_in_page(client, brest):
    response = client.get(_url(brest))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_forged_ids_are_not_found(login, brest):
    client = login("coordination")
    for page_id in ("999999", "9" * 30, str(brest.get_parent().pk)):
        response = client.get(f"/admin/casi_workspace/organisations/{page_id}/data/")
        assert response.status_code == 404 and "introuvable" in response.content.decode()
    assert client.post(_url(brest)).status_code == 405


def test_queries_do_not_grow_with_what_the_organisation_owns(login, brest, django_assert_max_num_queries):
    client = login("asso-a")

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            _news(brest, f"Actualité {number}")
            _document(brest, f"Document {number}", f"document-{number}.pdf")
            _image(brest, f"Image {number}", f"image-{number}.png")

    add(2, 0)
    _zip(client.get(_url(brest)))  # the site's root paths, cached after the first request
    with django_assert_max_num_queries(40) as small:
        _zip(client.get(_url(brest)))
    add(25, 2)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        archive = _zip(client.get(_url(brest)))
    assert len(json.loads(archive.read("publications.json"))) >= 27
    assert sum(name.startswith("images/") for name in archive.namelist()) >= 27
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_dashboard_panel_links_managers_only(login, brest):
    link = f'href="{_url(brest)}"'
    label = french("Download the organisation's data (ZIP)")
    page = login("asso-a").get("/admin/").content.decode()
    assert link in page and label in page


def test_the_panel_shows_no_link_to_an_editor(client, brest):
    _editor(brest)
    assert client.login(username="redacteur-brest", password=PASSWORD)
    page = client.get("/admin/").content.decode()
    assert brest.title in page and _url(brest) not in page


def test_coordinators_find_the_link_on_the_organisation_page_in_the_explorer(login, brest, outside_finistere):
    for username, organisation in (("coordination", outside_finistere), ("collectif-29", brest)):
        page = login(username).get(f"/admin/pages/{organisation.pk}/").content.decode()
        assert f'href="{_url(organisation)}"' in page, username
    directory = brest.get_parent()
    listing = login("coordination").get(f"/admin/pages/{directory.pk}/").content.decode()
    assert f'href="{_url(brest)}"' in listing and f'href="{_url(outside_finistere)}"' in listing


def test_someone_in_several_teams_finds_a_link_for_each_organisation_they_manage(login, brest, douarnenez):
    asso_a = User.objects.get(username="asso-a")
    membership_add(organisation=douarnenez, user=asso_a, role=MembershipRole.MANAGER)
    edited_only = OrganisationPage.objects.exclude(pk__in=[brest.pk, douarnenez.pk]).order_by("pk").first()
    membership_add(organisation=edited_only, user=asso_a, role=MembershipRole.EDITOR)

    page = login("asso-a").get("/admin/casi_workspace/mon-association/").content.decode()

    assert f'href="{_url(brest)}"' in page and f'href="{_url(douarnenez)}"' in page
    assert edited_only.title in page and _url(edited_only) not in page


def test_a_large_file_is_copied_in_chunks_not_held_in_memory(brest, rf):
    """A 24 MiB document: the archive spills to disk past SPOOL_BYTES and the file is never read whole."""
    content = os.urandom(24 * 1024 * 1024)
    _document(brest, "Film du projet", "film.mp4", content)
    del content
    tracemalloc.start()
    try:
        archive_file = organisation_archive(brest, request=rf.get("/"))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with archive_file, zipfile.ZipFile(archive_file) as archive:
        assert archive.getinfo("documents/film.mp4").file_size == 24 * 1024 * 1024
    assert peak < SPOOL_BYTES + 6 * 1024 * 1024, peak
