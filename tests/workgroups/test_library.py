"""A working group's document library as its members use it, over HTTP: upload, folders, moves, versions,
search, publication to the network and editing in the admin.

Who may do what is test_matrix.py's; attacks are test_security.py's. Here the allowed actions are followed to
their result: what is stored, what the pages list afterwards, and that the success message on the page the
action redirects to names the document or folder (not compared with its French wording).
"""

from __future__ import annotations

import re
import uuid
from html import unescape

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from wagtail.models import Page

from casi_workspace.core.people import person_public_name
from casi_workspace.demo.data import TRUSTED_ASSOCIATION, UNTRUSTED_ASSOCIATION
from casi_workspace.models import (
    DocumentFolderPage,
    OrganisationPage,
    OrganisationWorkspace,
    ResourcePage,
    SharedDocumentPage,
    WorkingGroupPage,
    WorkingGroupRole,
)
from casi_workspace.workgroups.provisioning import workspace_of
from casi_workspace.workgroups.services.memberships import membership_add
from tests.permissions.support import form_data

from .helpers import client_for, document_make, folder_make, group_make, member_make, pdf_upload, url, user_make
from .test_matrix import NETWORK_ORGANISATION, _minutes_make

pytestmark = pytest.mark.django_db


def _word() -> str:
    """A word no other page of the demo holds, to search for."""
    return f"zq{uuid.uuid4().hex[:10]}"


def _group(**fields):
    group = group_make("members", **fields)
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR, prefix="animation")
    member = member_make(group)
    return group, coordinator, member


def _html(response) -> str:
    return unescape(response.content.decode())


def _messages(response) -> str:
    """The text of the messages shown on the page (empty when there is none)."""
    found = re.search(r'<div class="messages"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    return unescape(found.group(1)) if found else ""


def _landed(response, page: Page) -> None:
    """A form posted with follow=True ended on `page`, shown with a 200."""
    assert response.status_code == 200, response.status_code
    assert response.redirect_chain, "the form did not redirect"
    assert response.redirect_chain[-1][0].endswith(Page.objects.get(pk=page.pk).specific.get_url())


def _streamed(response) -> bytes:
    """A file response's bytes. Consuming the stream closes the response the way the test client expects;
    closing it again would fire request_finished, which closes the database connection on PostgreSQL."""
    return b"".join(response.streaming_content)


def _stored(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _row(html: str, page: Page) -> str:
    """The listing's table row of one document."""
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if f'href="{page.get_url()}"' in row]
    assert len(rows) == 1, f"{page.title} is listed {len(rows)} times"
    return rows[0]


# --- Upload --------------------------------------------------------------------------------------------------


def test_one_file_sent_is_told_in_the_singular():
    group, _coordinator, member = _group()
    response = client_for(member).post(
        url("group_upload", group_id=group.pk),
        {"parent": group.pk, "files": [SimpleUploadedFile("charte.pdf", b"%PDF-1.4\n%%EOF\n")]},
        follow=True,
    )
    assert "1 document ajouté." in _messages(response)


def test_several_files_sent_at_once_each_become_a_listed_document():
    group, coordinator, member = _group()
    folder = folder_make(group, "Comptes rendus", coordinator)
    contents = {
        "ordre-du-jour.pdf": b"%PDF-1.4\n% ordre du jour\n%%EOF\n",
        "budget_2026.csv": b"poste;montant\nbillets;1200\n" * 40,
        "notes.txt": "Relevé de décisions.\n".encode() * 300,
    }
    uploads = [SimpleUploadedFile(name, content) for name, content in contents.items()]

    response = client_for(member).post(
        url("group_upload", group_id=group.pk), {"parent": folder.pk, "files": uploads}, follow=True
    )
    _landed(response, folder)
    assert "3 documents ajoutés." in _messages(response)

    pages = {page.title: page for page in SharedDocumentPage.objects.child_of(folder).select_related("document")}
    assert set(pages) == {"ordre-du-jour", "budget 2026", "notes"}  # the file name, "_" read as a space
    html = _html(response)
    for name, content in contents.items():
        page = pages[name.rsplit(".", 1)[0].replace("_", " ")]
        assert page.live
        assert page.uploaded_by_id == member.pk
        assert page.owner_id == member.pk
        assert page.revisions.count() == 1
        assert page.document.collection_id == workspace_of(group).collection_id
        assert page.document.file_size == len(content)
        assert _stored(page.document) == content
        # Listed in the folder with its type, size and uploader.
        row = _row(html, page)
        assert f">{page.title}</a>" in row
        assert f"<td>{name.rsplit('.', 1)[1].upper()}</td>" in row
        with translation.override(settings.LANGUAGE_CODE):
            assert f"<td>{filesizeformat(len(content))}</td>" in row
        with translation.override(settings.LANGUAGE_CODE):
            assert person_public_name(member) in row and member.username not in row
    assert [item.pk for item in response.context["documents"]] == [
        pages[title].pk for title in ("budget 2026", "notes", "ordre-du-jour")
    ]


# --- Folders -------------------------------------------------------------------------------------------------


def test_a_coordinator_creates_renames_moves_and_deletes_folders():
    group, coordinator, member = _group()
    client = client_for(coordinator)

    def create(parent: Page, title: str) -> DocumentFolderPage:
        response = client.post(
            url("group_folder_create", group_id=group.pk), {"parent": parent.pk, "title": title}, follow=True
        )
        folder = DocumentFolderPage.objects.child_of(parent).get(title=" ".join(title.split()))
        _landed(response, folder)
        assert folder.title in _messages(response)
        assert folder.live
        return folder

    meetings = create(group, "  Réunions   2026 ")
    assert meetings.title == "Réunions 2026"
    minutes = create(meetings, "Comptes rendus")
    archives = create(group, "Archives")
    document = document_make(archives, member, name="bilan.pdf")

    # Rename.
    response = client.post(
        url("group_folder_rename", folder_id=meetings.pk), {"title": "Réunions plénières"}, follow=True
    )
    _landed(response, meetings)
    meetings.refresh_from_db()
    assert meetings.title == "Réunions plénières"
    assert meetings.revisions.count() == 2
    assert "<h1>Réunions plénières</h1>" in _html(response)

    # A document to another folder.
    response = client.post(url("group_page_move", page_id=document.pk), {"target": minutes.pk}, follow=True)
    _landed(response, document)
    assert document.title in _messages(response)
    assert Page.objects.get(pk=document.pk).get_parent().pk == minutes.pk
    assert document.title in _html(client_for(member).get(Page.objects.get(pk=minutes.pk).get_url()))
    assert document.title not in _html(client_for(member).get(Page.objects.get(pk=archives.pk).get_url()))

    # A folder into another folder, with what it holds.
    inner = document_make(archives, member, name="ancien.pdf")
    response = client.post(url("group_page_move", page_id=archives.pk), {"target": meetings.pk}, follow=True)
    _landed(response, archives)
    assert archives.title in _messages(response)
    archives = DocumentFolderPage.objects.get(pk=archives.pk)
    assert archives.get_parent().pk == meetings.pk
    assert Page.objects.get(pk=inner.pk).get_parent().pk == archives.pk
    assert client_for(member).get(Page.objects.get(pk=inner.pk).get_url()).status_code == 200

    # Never into itself or one of its own folders: a 400 and nothing moves.
    paths = dict(Page.objects.descendant_of(group).values_list("pk", "path"))
    for target in (meetings, minutes, archives):
        response = client.post(url("group_page_move", page_id=meetings.pk), {"target": target.pk})
        assert response.status_code == 400, (target.title, response.status_code)
    assert dict(Page.objects.descendant_of(group).values_list("pk", "path")) == paths

    # Out of a folder to the group's top level: still private to the group.
    response = client.post(url("group_page_move", page_id=minutes.pk), {"target": group.pk}, follow=True)
    _landed(response, minutes)
    minutes = DocumentFolderPage.objects.get(pk=minutes.pk)
    assert minutes.get_parent().pk == group.pk
    assert client_for(None).get(minutes.get_url()).status_code == 404
    assert client_for(user_make("curieux")).get(minutes.get_url()).status_code == 404
    assert client_for(member).get(minutes.get_url()).status_code == 200

    # Deleting a folder deletes what it holds; the group's page shows the message.
    held = [meetings.pk, archives.pk, inner.pk]
    response = client.post(url("group_page_delete", page_id=meetings.pk), follow=True)
    _landed(response, group)
    assert "Réunions plénières" in _messages(response)
    assert not Page.objects.filter(pk__in=held).exists()
    assert Page.objects.filter(pk__in=[minutes.pk, document.pk]).count() == 2


# --- Versions ------------------------------------------------------------------------------------------------


def test_replace_then_download_and_restore_an_earlier_version():
    group, _coordinator, member = _group()
    first, second = b"%PDF-1.4\n% premiere version\n%%EOF\n", b"%PDF-1.4\n% seconde version\n%%EOF\n"
    document = document_make(group, member, name="charte.pdf", content=first)
    (old,) = document.revisions.all()
    client = client_for(member)

    response = client.post(
        url("group_document_replace", page_id=document.pk), {"file": pdf_upload("charte-v2.pdf", second)}, follow=True
    )
    _landed(response, document)
    assert _messages(response)
    page = SharedDocumentPage.objects.select_related("document").get(pk=document.pk)
    assert _stored(page.document) == second
    new = page.revisions.order_by("-pk").first()
    assert new.pk != old.pk

    # The document's page lists both versions, newest first, each with its own file.
    versions = response.context["versions"]
    assert [version.revision_id for version in versions] == [new.pk, old.pk]
    assert [version.current for version in versions] == [True, False]
    html = _html(response)
    download = url("group_document_download", page_id=document.pk)
    for revision in (old, new):
        assert f'href="{download}?version={revision.pk}"' in html
    assert url("group_document_restore", page_id=document.pk, revision_id=old.pk) in html

    def downloaded(**params) -> bytes:
        response = client.get(download, params)
        assert response.status_code == 200
        return _streamed(response)

    assert downloaded() == second
    assert downloaded(version=new.pk) == second
    assert downloaded(version=old.pk) == first

    # Restoring the first version: its file is the current one again, in a new revision.
    response = client.post(url("group_document_restore", page_id=document.pk, revision_id=old.pk), follow=True)
    _landed(response, document)
    assert _messages(response)
    page = SharedDocumentPage.objects.select_related("document").get(pk=document.pk)
    assert page.revisions.count() == 3
    assert page.document_id == document.document_id
    assert _stored(page.document) == first
    assert downloaded() == first
    versions = response.context["versions"]
    assert len(versions) == 3
    assert versions[0].current
    assert versions[0].document.pk == document.document_id
    assert not any(version.current for version in versions[1:])
    assert downloaded(version=new.pk) == second  # the replaced version is kept


# --- Search --------------------------------------------------------------------------------------------------


def _describe(page: SharedDocumentPage, description: str, user) -> None:
    page.description = description
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)


def test_the_group_search_finds_by_title_and_description_and_only_in_the_group():
    by_title, by_description = _word(), _word()
    group, coordinator, member = _group()
    other, other_coordinator, _other_member = _group()
    membership_add(group=other, user=member)  # even someone in both groups finds only the group's own
    folder = folder_make(group, "Dossier", coordinator)
    titled = document_make(folder, member, name=f"rapport_{by_title}.pdf")
    described = document_make(group, member, name="compte-rendu.pdf")
    _describe(described, f"Décisions sur le projet {by_description} au Mali.", member)
    theirs_titled = document_make(other, other_coordinator, name=f"note_{by_title}.pdf")
    theirs_described = document_make(other, other_coordinator, name="autre.pdf")
    _describe(theirs_described, f"Le projet {by_description} vu par l'autre groupe.", other_coordinator)
    client = client_for(member)

    def found(where: WorkingGroupPage, query: str) -> list[int]:
        response = client.get(where.get_url(), {"q": query})
        assert response.status_code == 200
        results = [page.pk for page in response.context["search_results"]]
        html = _html(response)
        for page in SharedDocumentPage.objects.filter(pk__in=results):
            assert f'href="{page.get_url()}"' in html
        return results

    assert found(group, by_title) == [titled.pk]
    assert found(group, by_description) == [described.pk]
    assert found(other, by_title) == [theirs_titled.pk]
    assert found(other, by_description) == [theirs_described.pk]
    html = _html(client.get(group.get_url(), {"q": by_title}))
    for page in (theirs_titled, theirs_described):
        assert page.get_url() not in html
        assert page.title not in html


# --- Publication to the network ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisation_slug", "trusted"),
    [(TRUSTED_ASSOCIATION, True), (UNTRUSTED_ASSOCIATION, False), (None, True)],
    ids=["trusted-organisation", "untrusted-organisation", "network"],
)
def test_a_coordinator_publishes_a_document_and_minutes_to_the_network(organisation_slug, trusted):
    group, coordinator, member = _group()
    organisation = OrganisationPage.objects.get(slug=organisation_slug or NETWORK_ORGANISATION)
    assert organisation.is_trusted is trusted
    if organisation_slug:
        WorkingGroupPage.objects.filter(pk=group.pk).update(organisation=organisation)
    word = _word()
    content = f"%PDF-1.4\n% {word}\n%%EOF\n".encode()
    document = document_make(group, member, name=f"guide-{word}.pdf", content=content)
    minutes = _minutes_make(group, coordinator, word)
    client = client_for(coordinator)

    for item in (document, minutes):
        response = client.post(url("group_page_publish", page_id=item.pk), follow=True)
        _landed(response, item)
        assert item.title in _messages(response)
        resource = ResourcePage.objects.child_of(organisation).get(title=item.title)
        assert resource.owner_id == coordinator.pk
        if trusted:
            assert resource.live
            assert not resource.workflow_in_progress
            assert client_for(None).get(resource.get_url()).status_code == 200
        else:
            assert not resource.live
            assert resource.workflow_in_progress
            assert resource.current_workflow_state.requested_by_id == coordinator.pk
            assert client_for(None).get(resource.get_url()).status_code == 404
        revision = resource.get_latest_revision_as_object()
        if item.pk == document.pk:
            # A copy of the file in the organisation's collection: the group's own stays private.
            (block,) = revision.attachments
            copy = block.value
            assert copy.pk != document.document_id
            assert copy.collection_id == OrganisationWorkspace.objects.get(organisation=organisation).collection_id
            assert _stored(copy) == content
        else:
            assert f"Décisions de la réunion {word}" in str(revision.body)
    # The group's items themselves stay where they were, private.
    assert SharedDocumentPage.objects.get(pk=document.pk).document.collection_id == workspace_of(group).collection_id
    assert client_for(None).get(document.get_url()).status_code == 404


# --- The Wagtail admin ---------------------------------------------------------------------------------------


def test_the_groups_coordinator_edits_its_pages_in_the_admin():
    """Members and other editors are refused there: test_admin.py."""
    group, coordinator, member = _group()
    folder = folder_make(group, "Dossier de l’admin", coordinator)
    document = document_make(folder, member, name="piece.pdf")
    minutes = _minutes_make(group, coordinator, _word())
    client = client_for(coordinator)
    for page in (folder, document, minutes):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, (page.title, response.status_code, response.get("Location"))

    html = client.get(f"/admin/pages/{folder.pk}/edit/").content.decode()
    data = {**form_data(html), "title": ["Dossier renommé dans l’admin"], "action-publish": ["1"]}
    response = client.post(f"/admin/pages/{folder.pk}/edit/", data)
    errors = response.context["form"].errors if response.status_code == 200 and response.context else None
    assert response.status_code == 302, f"the folder was not saved: {errors}"
    folder = DocumentFolderPage.objects.get(pk=folder.pk)
    assert folder.title == "Dossier renommé dans l’admin"
    assert folder.live
    assert "Dossier renommé dans l’admin" in _html(client_for(member).get(folder.get_url()))
    assert client_for(None).get(folder.get_url()).status_code == 404


# --- Deleting after a confirmation ---------------------------------------------------------------------------


def _confirmation(response) -> str:
    """The confirmation page's text, after checking it is one: a 200 with the form that deletes."""
    assert response.status_code == 200, response.status_code
    html = _html(response)
    assert '<form class="confirm-actions" method="post"' in html
    return html


def test_the_document_page_asks_before_deleting():
    group, _coordinator, member = _group()
    document = document_make(group, member, name="budget-previsionnel.pdf")
    client = client_for(member)
    delete_url = url("group_page_delete", page_id=document.pk)

    # The document's page: its actions are buttons, and deleting is apart, a link to the confirmation.
    html = _html(client.get(document.get_url()))
    actions = html.split('<section class="document-actions"', 1)[1].split("</section>", 1)[0]
    assert "Gérer ce document" in actions
    assert '<button class="button" type="submit">Envoyer la nouvelle version</button>' in actions
    danger = actions.split('<div class="danger-zone">', 1)[1]
    assert f'<a class="button button-danger" href="{delete_url}">Supprimer ce document…</a>' in danger
    assert f'action="{delete_url}"' not in html  # no form deletes at once from the document's page

    # GET: the confirmation, naming the document and its file; nothing is deleted.
    html = _confirmation(client.get(delete_url))
    assert '<h1 id="delete-confirm-title">Supprimer ce document ?</h1>' in html
    assert "budget-previsionnel" in html and "budget-previsionnel.pdf" in html
    assert f'<form class="confirm-actions" method="post" action="{delete_url}">' in html
    assert '<button class="button button-danger" type="submit">Supprimer définitivement</button>' in html
    assert f'<a class="button button-secondary" href="{document.get_url()}">Annuler</a>' in html
    assert "no-store" in client.get(delete_url)["Cache-Control"]  # never kept by a cache, like every library view
    assert SharedDocumentPage.objects.filter(pk=document.pk, live=True).exists()

    # Cancelling is a plain link back to the document, still there.
    assert client.get(document.get_url()).status_code == 200

    # POST: deleted, as before, and the folder's page says so.
    response = client.post(delete_url, follow=True)
    _landed(response, group)
    assert "budget-previsionnel" in _messages(response)
    assert not SharedDocumentPage.objects.filter(pk=document.pk).exists()


def test_the_confirmation_refuses_whom_the_deletion_refuses_and_deletes_nothing():
    group, coordinator, member = _group()
    document = document_make(group, coordinator, name="compte-financier.pdf")
    delete_url = url("group_page_delete", page_id=document.pk)
    outsider = user_make("curieux")

    # A member who did not share it: the same 403 and French reason for the page as for the deletion.
    refused_get = client_for(member).get(delete_url)
    refused_post = client_for(member).post(delete_url)
    assert refused_get.status_code == refused_post.status_code == 403
    for response in (refused_get, refused_post):
        assert "Vous ne pouvez pas supprimer cet élément." in _html(response)
    assert "Supprimer définitivement" not in _html(refused_get)
    # Someone outside the group: the same refusal for both methods.
    assert client_for(outsider).get(delete_url).status_code == client_for(outsider).post(delete_url).status_code
    # Anonymous: the login page, with the way back, for the confirmation too.
    for response in (client_for(None).get(delete_url), client_for(None).post(delete_url)):
        assert response.status_code == 302
        assert "next=" in response["Location"]
    # Other methods than GET and POST are refused.
    assert client_for(coordinator).put(delete_url).status_code == 405
    assert SharedDocumentPage.objects.filter(pk=document.pk, live=True).exists()
    # The document's page shows the member no way to delete it.
    assert delete_url not in _html(client_for(member).get(document.get_url()))


def test_a_locked_document_is_refused_by_the_confirmation_too():
    group, coordinator, member = _group()
    document = document_make(group, member, name="verrouille.pdf")
    SharedDocumentPage.objects.filter(pk=document.pk).update(locked=True, locked_by=coordinator)
    delete_url = url("group_page_delete", page_id=document.pk)

    assert client_for(member).get(delete_url).status_code == 403
    assert client_for(member).post(delete_url).status_code == 403
    assert SharedDocumentPage.objects.filter(pk=document.pk).exists()


def test_a_folder_is_deleted_after_a_confirmation_that_counts_what_it_holds():
    group, coordinator, member = _group()
    folder = folder_make(group, "Archives 2024", coordinator)
    inner = folder_make(folder, "Bilans", coordinator)
    document_make(inner, member, name="bilan.pdf")
    delete_url = url("group_page_delete", page_id=folder.pk)

    # The folder's page links to the confirmation, for its coordinators only.
    assert f'href="{delete_url}"' in _html(client_for(coordinator).get(folder.get_url()))
    assert delete_url not in _html(client_for(member).get(folder.get_url()))

    html = _confirmation(client_for(coordinator).get(delete_url))
    assert "Supprimer ce dossier et son contenu ?" in html
    assert "Archives 2024" in html
    assert "(2 éléments)" in html
    assert DocumentFolderPage.objects.filter(pk=folder.pk).exists()
    assert client_for(member).get(delete_url).status_code == 403

    response = client_for(coordinator).post(delete_url, follow=True)
    _landed(response, group)
    assert not DocumentFolderPage.objects.filter(pk__in=[folder.pk, inner.pk]).exists()


def test_minutes_are_deleted_after_a_confirmation():
    group, coordinator, member = _group()
    minutes = _minutes_make(group, coordinator, _word())
    delete_url = url("group_page_delete", page_id=minutes.pk)

    minutes_page = _html(client_for(coordinator).get(Page.objects.get(pk=minutes.pk).get_url()))
    assert f'<a class="button button-danger" href="{delete_url}">Supprimer ce compte rendu</a>' in minutes_page
    assert f'action="{delete_url}"' not in minutes_page
    assert client_for(member).get(delete_url).status_code == 403
    html = _confirmation(client_for(coordinator).get(delete_url))
    assert "Supprimer ce compte rendu ?" in html and minutes.title in html
    client_for(coordinator).post(delete_url)
    assert not Page.objects.filter(pk=minutes.pk).exists()
