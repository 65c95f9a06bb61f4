"""A working group in the Wagtail admin: its coordinators manage its subtree there; nobody else edits it or sees it.

Pages made in the admin under a group are as private as those made from the site (the provisioning's signals),
and the choosers of other organisations' editors never list what is in a group.
"""

from __future__ import annotations

import uuid
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from casi_workspace.models import DocumentFolderPage, SharedDocumentPage, WorkingGroupRole
from tests.permissions.support import body, form_data, is_refused, page_ids_in_chooser

from .helpers import client_for, document_make, folder_make, group_make, member_make, user_make

pytestmark = pytest.mark.django_db

FOLDER_ADD = "/admin/pages/add/casi_workspace/documentfolderpage/{parent}/"
DOCUMENT_ADD = "/admin/pages/add/casi_workspace/shareddocumentpage/{parent}/"


def _asso_a():
    return get_user_model().objects.get(username="asso-a")


@pytest.mark.parametrize("visibility", ["public", "members", "secret"])
def test_a_coordinator_adds_a_folder_in_the_admin_and_it_is_private(visibility: str):
    group = group_make(visibility)
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    client = client_for(coordinator)

    response = client.get(f"/admin/pages/{group.pk}/")
    assert response.status_code == 200
    assert group.title in unescape(body(response))

    address = FOLDER_ADD.format(parent=group.pk)
    response = client.get(address)
    assert response.status_code == 200
    html = body(response)
    assert 'name="action-publish"' in html
    slug = f"dossier-admin-{uuid.uuid4().hex[:8]}"
    data = {**form_data(html), "title": ["Dossier créé dans l’admin"], "slug": [slug], "action-publish": ["1"]}
    response = client.post(address, data)
    errors = response.context["form"].errors if response.status_code == 200 and response.context else None
    assert response.status_code == 302, f"the folder was not created: {errors}"

    folder = DocumentFolderPage.objects.child_of(group).get(slug=slug)
    assert folder.live
    assert client_for(None).get(folder.get_url()).status_code == 404
    assert client_for(user_make("curieux")).get(folder.get_url()).status_code == 404

    # A folder inside that folder, too.
    address = FOLDER_ADD.format(parent=folder.pk)
    html = body(client.get(address))
    nested = f"{slug}-bis"
    response = client.post(
        address, {**form_data(html), "title": ["Sous-dossier"], "slug": [nested], "action-publish": ["1"]}
    )
    assert response.status_code == 302
    child = DocumentFolderPage.objects.child_of(folder).get(slug=nested)
    assert client_for(None).get(child.get_url()).status_code == 404


@pytest.mark.parametrize("who", ["member", "asso-a"])
def test_members_and_other_editors_cannot_edit_the_groups_pages_in_the_admin(who: str):
    group = group_make("members")
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    folder = folder_make(group, "Comptes rendus", coordinator)
    user = member_make(group) if who == "member" else _asso_a()
    document = document_make(folder, user if who == "member" else coordinator)
    client = client_for(user)

    for page in (group, folder, document):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert is_refused(response), (page, response.status_code, response.get("Location"))
        response = client.post(
            f"/admin/pages/{page.pk}/edit/", {"title": "Pris en main", "slug": page.slug, "action-publish": "1"}
        )
        assert is_refused(response), (page, response.status_code)
        assert Page.objects.get(pk=page.pk).title != "Pris en main"
        assert is_refused(client.get(f"/admin/pages/{page.pk}/delete/"))
        assert is_refused(client.post(f"/admin/pages/{page.pk}/delete/"))
        assert Page.objects.filter(pk=page.pk).exists()

    for address in (FOLDER_ADD.format(parent=group.pk), FOLDER_ADD.format(parent=folder.pk)):
        assert is_refused(client.get(address))
        response = client.post(address, {"title": "Intrus", "slug": "intrus", "action-publish": "1"})
        assert is_refused(response)
    assert is_refused(client.post(DOCUMENT_ADD.format(parent=folder.pk), {"title": "Intrus", "slug": "intrus-2"}))
    assert not Page.objects.descendant_of(group).filter(title="Intrus").exists()


def test_another_organisations_editor_does_not_see_the_groups_pages_in_the_page_chooser():
    word = f"zq{uuid.uuid4().hex[:10]}"
    group = group_make("public", title=f"Groupe {word}")
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    folder = folder_make(group, f"Dossier {word}", coordinator)
    document = document_make(folder, coordinator, name=f"rapport-{word}.pdf")
    library = {folder.pk, document.pk}

    def listings(client) -> set[int]:
        found = page_ids_in_chooser(body(client.get("/admin/choose-page/search/", {"q": word})))
        for parent in (group, folder):
            response = client.get(f"/admin/choose-page/{parent.pk}/")
            found |= page_ids_in_chooser(body(response)) - {parent.pk}
        return found

    other = listings(client_for(_asso_a()))
    assert not other & library
    assert group.pk in other  # a public group's own page is public: it may be linked to
    assert library <= listings(client_for(coordinator))

    # Nor the group's files in the document chooser.
    title = SharedDocumentPage.objects.select_related("document").get(pk=document.pk).document.title
    response = client_for(_asso_a()).get("/admin/documents/chooser/", {"q": title})
    assert is_refused(response) or f"/admin/documents/chooser/chosen/{document.document_id}/" not in body(response)
    assert is_refused(client_for(_asso_a()).get(f"/admin/documents/chooser/chosen/{document.document_id}/"))
    response = client_for(coordinator).get("/admin/documents/chooser/", {"q": title})
    assert f"/admin/documents/chooser/chosen/{document.document_id}/" in body(response)


@pytest.mark.parametrize("visibility", ["public", "secret"])
def test_another_organisations_editor_finds_nothing_of_a_group_in_the_admin(visibility: str):
    word = f"zq{uuid.uuid4().hex[:10]}"
    group = group_make(visibility, title=f"Groupe {word}")
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    folder = folder_make(group, f"Dossier {word}", coordinator)
    document = document_make(folder, coordinator, name=f"rapport-{word}.pdf")
    hidden = [folder, document] + ([group] if visibility == "secret" else [])
    client = client_for(_asso_a())

    html = unescape(body(client.get("/admin/pages/search/", {"q": word})))
    for page in hidden:
        assert f"/admin/pages/{page.pk}/" not in html, page
    for page in (group, folder):
        response = client.get(f"/admin/pages/{page.pk}/")
        assert is_refused(response) or all(f"/admin/pages/{child.pk}/" not in body(response) for child in hidden)
    # The group's coordinator finds them.
    html = unescape(body(client_for(coordinator).get("/admin/pages/search/", {"q": word})))
    for page in hidden:
        assert f"/admin/pages/{page.pk}/" in html, page
