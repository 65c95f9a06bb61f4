"""The files of shared documents: versions' files are safe from Wagtail's documents admin, and go with their page.

Each revision of a shared document points at its own Document in the group's collection. Wagtail's documents
admin lets an uploader (or anyone with `change_document`) edit or delete one, which would break the versions
pointing at it: refused, with a French message, to everybody. Deleting the page (from the library or the admin,
alone or with its folder) deletes its files, except those another page or version still uses.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Page

from casi_workspace.models import SharedDocumentPage, WorkingGroupRole
from casi_workspace.workgroups.provisioning import workspace_of
from casi_workspace.workgroups.services.library import document_replace, library_documents_in_use
from tests.helpers import french

from .helpers import client_for, document_make, folder_make, group_make, member_make, pdf_upload, url

pytestmark = pytest.mark.django_db

Document = get_document_model()
User = get_user_model()
REFUSAL = (
    "This file is a version of a document shared in a working group: it cannot be changed or deleted here. "
    "Replace the document or delete it from the group's library."
)


def _versions():
    """A group, its coordinator, a member and a document of the member in two versions: (page, old, current)."""
    group = group_make("members")
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR, prefix="animation")
    member = member_make(group)
    page = document_make(group, member, name="charte.pdf")
    old = page.document
    page = document_replace(page=page, upload=pdf_upload("charte-v2.pdf"), user=member)
    assert page.document.pk != old.pk
    return group, coordinator, member, page, old, page.document


def _unchanged(document) -> None:
    stored = Document.objects.get(pk=document.pk)
    assert (stored.title, stored.file.name) == (document.title, document.file.name)


# --- (c) Wagtail's documents admin leaves the versions' files alone ---------------------------------------------


def test_the_uploader_may_neither_edit_nor_delete_a_versions_file_in_the_documents_admin():
    group, _coordinator, member, _page, old, current = _versions()
    client = client_for(member)
    for document in (old, current):
        edit = reverse("wagtaildocs:edit", args=[document.pk])
        response = client.get(edit)
        assert response.status_code == 403
        assert french(REFUSAL) in response.content.decode()
        response = client.post(edit, {"title": "Renommé", "collection": workspace_of(group).collection_id})
        assert response.status_code == 403
        delete = reverse("wagtaildocs:delete", args=[document.pk])
        assert client.get(delete).status_code == 403
        response = client.post(delete)
        assert response.status_code == 403
        assert french(REFUSAL) in response.content.decode()
        # The multiple-upload screen's own edit and delete.
        response = client.post(
            reverse("wagtaildocs:edit_multiple", args=[document.pk]),
            {f"doc-{document.pk}-title": "Renommé", f"doc-{document.pk}-collection": workspace_of(group).collection_id},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        assert response.status_code == 403
        response = client.post(
            reverse("wagtaildocs:delete_multiple", args=[document.pk]), headers={"x-requested-with": "XMLHttpRequest"}
        )
        assert response.status_code == 403
        _unchanged(document)


@pytest.mark.parametrize("username", ["admin", "coordination"])
def test_coordinators_may_not_delete_a_versions_file_through_the_admin_either(username):
    _group, _coordinator, _member, _page, old, _current = _versions()
    client = client_for(User.objects.get(username=username))
    response = client.post(reverse("wagtaildocs:delete", args=[old.pk]))
    assert response.status_code in (302, 403)
    if response.status_code == 403:
        assert french(REFUSAL) in response.content.decode()
    # Bulk delete from the documents' listing.
    bulk = reverse("wagtail_bulk_action", args=["wagtaildocs", "document", "delete"])
    client.post(f"{bulk}?id={old.pk}", {})
    _unchanged(old)


def test_a_file_no_version_uses_is_still_the_uploaders_to_delete():
    """The refusal is for the versions' files only: the admin still works for the group's other documents."""
    group, _coordinator, member, _page, _old, _current = _versions()
    loose = Document.objects.create(
        title="Brouillon", collection=workspace_of(group).collection, uploaded_by_user=member, file=pdf_upload()
    )
    assert not library_documents_in_use([loose.pk])
    response = client_for(member).post(reverse("wagtaildocs:delete", args=[loose.pk]))
    assert response.status_code == 302
    assert not Document.objects.filter(pk=loose.pk).exists()


# --- (d) Deleting a library page deletes its files --------------------------------------------------------------


def test_deleting_a_shared_document_from_the_library_deletes_every_versions_file(django_capture_on_commit_callbacks):
    _group, _coordinator, member, page, old, current = _versions()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(url("group_page_delete", page_id=page.pk))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()
    assert not Document.objects.filter(pk__in=[old.pk, current.pk]).exists()


def test_deleting_a_folder_from_the_library_deletes_the_files_of_the_documents_it_held(
    django_capture_on_commit_callbacks,
):
    group, coordinator, member, _page, _old, _current = _versions()
    folder = folder_make(group, "Archives", coordinator)
    inner = folder_make(folder, "2025", coordinator)
    held = [document_make(folder, member, name="a.pdf"), document_make(inner, member, name="b.pdf")]
    files = [page.document_id for page in held]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(url("group_page_delete", page_id=folder.pk))
    assert response.status_code == 302
    assert not Document.objects.filter(pk__in=files).exists()
    assert Document.objects.filter(pk=_current.pk).exists()  # outside the folder: kept


def test_deleting_a_shared_document_in_the_admin_deletes_its_files(django_capture_on_commit_callbacks):
    _group, _coordinator, _member, page, old, current = _versions()
    client = client_for(User.objects.get(username="admin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()
    assert not Document.objects.filter(pk__in=[old.pk, current.pk]).exists()


def test_deleting_a_folder_in_the_admin_deletes_its_documents_files(django_capture_on_commit_callbacks):
    group, coordinator, member, _page, _old, _current = _versions()
    folder = folder_make(group, "Archives", coordinator)
    held = document_make(folder, member, name="a.pdf")
    client = client_for(User.objects.get(username="admin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailadmin_pages:delete", args=[folder.pk]))
    assert response.status_code == 302
    assert not Document.objects.filter(pk=held.document_id).exists()


def test_a_file_another_page_still_uses_is_kept(django_capture_on_commit_callbacks):
    """A second shared document (or a version of one) pointing at the same file keeps it alive."""
    group, _coordinator, member, page, old, current = _versions()
    other = SharedDocumentPage(title="Copie", document=current, uploaded_by=member)
    group.add_child(instance=other)
    other.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(member).post(url("group_page_delete", page_id=page.pk))
    assert not Page.objects.filter(pk=page.pk).exists()
    assert Document.objects.filter(pk=current.pk).exists()
    assert not Document.objects.filter(pk=old.pk).exists()


def test_a_refused_deletion_deletes_no_file(django_capture_on_commit_callbacks):
    group, _coordinator, _member, page, old, current = _versions()
    outsider = member_make(group, prefix="autre")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(outsider).post(url("group_page_delete", page_id=page.pk))
    assert response.status_code == 403
    assert Document.objects.filter(pk__in=[old.pk, current.pk]).count() == 2
