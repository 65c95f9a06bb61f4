"""The library's front-end actions go through Wagtail's own mechanisms: the audit log, page locking, revisions."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from casi_workspace.models import SharedDocumentPage, WorkingGroupRole

from .helpers import DEFAULT_PASSWORD, client_for, document_make, folder_make, group_make, member_make, pdf_upload, url

pytestmark = pytest.mark.django_db


def _library():
    group = group_make("members")
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    member = member_make(group)
    folder = folder_make(group, "Comptes rendus", coordinator)
    return group, coordinator, member, folder


def test_front_end_actions_are_in_the_pages_history():
    _group, coordinator, member, folder = _library()
    response = client_for(member).post(
        url("group_upload", group_id=folder.get_parent().pk), {"parent": folder.pk, "files": [pdf_upload("bilan.pdf")]}
    )
    assert response.status_code == 302
    page = SharedDocumentPage.objects.child_of(folder).get(title="bilan")
    client_for(member).post(url("group_document_replace", page_id=page.pk), {"file": pdf_upload("bilan-v2.pdf")})
    actions = list(PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk").values_list("action", "user"))
    assert ("wagtail.create", member.pk) in actions
    assert [action for action, _user in actions].count("wagtail.publish") == 2
    # The admin's history of the page shows the same entries to the group's coordinator.
    history = client_for(coordinator).get(f"/admin/pages/{page.pk}/history/")
    assert history.status_code == 200
    assert member.username.encode() in history.content or member.get_full_name().encode() in history.content


def test_a_document_locked_in_the_admin_is_changed_by_nobody_else():
    group, coordinator, member, folder = _library()
    document = document_make(folder, member, name="budget.pdf")
    document.locked, document.locked_by, document.locked_at = True, coordinator, timezone.now()
    document.save(update_fields=["locked", "locked_by", "locked_at"])
    first_file = document.document_id
    client = client_for(member)

    response = client.post(url("group_document_replace", page_id=document.pk), {"file": pdf_upload("budget-v2.pdf")})
    assert response.status_code == 403
    assert b"budget" in response.content
    response = client.post(url("group_page_delete", page_id=document.pk))
    assert response.status_code == 403
    response = client.post(url("group_page_move", page_id=document.pk), {"target": group.pk})
    assert response.status_code == 403
    page = SharedDocumentPage.objects.get(pk=document.pk)
    assert page.document_id == first_file
    assert page.get_parent().pk == folder.pk

    # The person who locked it still may; once unlocked, the uploader may again.
    response = client_for(coordinator).post(
        url("group_document_replace", page_id=document.pk), {"file": pdf_upload("budget-v2.pdf")}
    )
    assert response.status_code == 302
    Page.objects.filter(pk=document.pk).update(locked=False, locked_by=None, locked_at=None)
    response = client.post(url("group_page_delete", page_id=document.pk))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=document.pk).exists()


def test_a_private_page_sends_to_the_sites_sign_in_page_and_back():
    """A visitor gets the site's 404 (a private page's existence is not told), whose sign-in link comes back."""
    _group, _coordinator, member, folder = _library()
    client = Client()
    response = client.get(folder.get_url())
    assert response.status_code == 404
    sign_in = re.search(r'href="(/_util/login/\?next=[^"]+)"', response.content.decode()).group(1)
    login_page = client.get(sign_in)
    assert login_page.status_code == 200
    html = login_page.content.decode()
    assert 'id="contenu"' in html and 'autocomplete="current-password"' in html  # the site's layout and form
    response = client.post(
        sign_in, {"username": member.username, "password": DEFAULT_PASSWORD, "next": folder.get_url()}
    )
    assert response.status_code == 302
    assert response["Location"] == folder.get_url()
    assert client.get(folder.get_url()).status_code == 200
