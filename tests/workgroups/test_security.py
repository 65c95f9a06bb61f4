"""Working groups as an attacker sees them: private addresses, served files, uploads, leaks, forged input, CSRF.

Each test is one attack, done over HTTP as a browser (or a script) would. A refusal is a redirect to the login
page for an anonymous visitor and a 403 for someone signed in (or a 404 where the existence of a secret group
must not be revealed; a library's pages and a secret group's page answer 404 to everyone they refuse); bad
input answers 400 or 404 with a French message, never a 500. New messages are compared with `french()` of
their msgid, so that these tests hold before and after the French catalogue is regenerated.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from html import unescape
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.test import Client, override_settings
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.models import Page

from casi_workspace.models import (
    DocumentFolderPage,
    SharedDocumentPage,
    WorkingGroupMembership,
    WorkingGroupPage,
    WorkingGroupRole,
)
from casi_workspace.workgroups.services.memberships import membership_add
from tests.helpers import french
from tests.permissions.support import body as chooser_body
from tests.permissions.support import page_ids_in_chooser

from .helpers import PDF, client_for, document_make, folder_make, group_make, member_make, pdf_upload, url, user_make
from .test_matrix import _minutes_make, body, is_login_redirect

pytestmark = pytest.mark.django_db

VISIBILITIES = ("public", "members", "secret")
NOT_ACCEPTED = "“%(name)s”: files of this type are not accepted. Accepted types: %(types)s."
TOO_LARGE = "“%(name)s” is too large (%(size)s): the limit is %(limit)s."


def _word() -> str:
    """A word no other page of the demo holds, to search for."""
    return f"zq{uuid.uuid4().hex[:12]}"


def _library(visibility: str, *, title: str | None = None):
    """A group with a coordinator, a member, a folder, a document (two versions) in it and minutes."""
    word = _word()
    group = group_make(visibility, title=title or f"Groupe {word}")
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR, prefix="animation")
    member = member_make(group)
    folder = folder_make(group, f"Dossier {word}", coordinator)
    document = document_make(folder, member, name=f"note-{word}.pdf")
    minutes = _minutes_make(group, coordinator, word)
    return group, coordinator, member, folder, document, minutes, word


def _assert_refused(response, *, anonymous: bool, hidden: bool = False) -> None:
    status = response.status_code
    if anonymous:
        assert is_login_redirect(response), f"expected a login redirect, got {status} {response.get('Location', '')}"
    elif hidden:
        assert status in (403, 404), f"expected 403 or 404, got {status} {response.get('Location', '')}"
    else:
        assert status == 403, f"expected 403, got {status} {response.get('Location', '')}"


def _text(response) -> str:
    return unescape(body(response).decode())


def _assert_bad_request(response, message: str | None = None) -> None:
    assert response.status_code in (400, 404), f"expected 400 or 404, got {response.status_code}"
    if message is not None:
        assert response.status_code == 400
        assert message in _text(response), f"the French message {message!r} is not shown"


def _group_documents(group: WorkingGroupPage) -> set[int]:
    return set(SharedDocumentPage.objects.descendant_of(group).values_list("pk", flat=True))


# --- Private addresses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_private_addresses_refused_to_anonymous_visitors_and_outsiders(visibility: str):
    group, _coordinator, member, folder, document, minutes, word = _library(visibility)
    revision = document.revisions.order_by("pk").first()
    addresses = [
        folder.get_url(),
        document.get_url(),
        f"{document.get_url()}?version={revision.pk}",
        minutes.get_url(),
        url("group_document_download", page_id=document.pk),
        f"{url('group_document_download', page_id=document.pk)}?version={revision.pk}",
    ]
    if visibility == "secret":
        addresses.append(group.get_url())
    secret = visibility == "secret"
    for user in (None, user_make("exterieur")):
        client = client_for(user)
        for address in addresses:
            response = client.get(address)
            if "/casi/" in address:
                _assert_refused(response, anonymous=user is None, hidden=secret)
            else:  # a page of the site: answered as an address that names nothing
                assert response.status_code == 404, (address, response.status_code)
            # The 404 page's sign-in link carries the address asked for back, and so do the header's sign-in
            # link and sign-out form (`next`): that echo is no leak.
            path = urlsplit(address).path
            content = body(response).replace(quote(unquote(path), safe="").encode(), b"")
            content = re.sub(rb'name="next" value="[^"]*"', b"", content)
            assert word.encode() not in content, address
            assert PDF not in content, address
    # The same addresses open for a member.
    client = client_for(member)
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        body(response)


@pytest.mark.parametrize("visibility", ["members", "secret"])
def test_members_are_listed_only_to_readers_unless_the_group_is_public(visibility: str):
    public, _c, public_member, *_rest = _library("public")
    group, _c, member, *_rest = _library(visibility)
    for person, name in ((public_member, "Anaïs"), (member, "Bleuenn")):
        person.first_name, person.last_name = name, "Kerhervé"
        person.save(update_fields=["first_name", "last_name"])
    outsider = client_for(user_make("exterieur"))
    assert "Anaïs Kerhervé" in _text(outsider.get(public.get_url()))
    response = outsider.get(group.get_url())
    assert response.status_code == (200 if visibility == "members" else 404)
    assert "Bleuenn Kerhervé" not in _text(response)
    assert "Bleuenn Kerhervé" in _text(client_for(member).get(group.get_url()))


# --- Files are served only through checked views -------------------------------------------------------------


def test_the_media_directory_of_documents_is_never_served():
    _group, _coordinator, member, _folder, document, *_ = _library("public")
    stored = document.document.file.name
    assert stored.startswith("documents/")
    for client in (Client(), client_for(member)):
        response = client.get(f"{settings.MEDIA_URL}{stored}")
        assert response.status_code == 404
        assert PDF not in body(response)


def test_wagtail_document_view_refuses_a_group_file_to_non_readers():
    _group, _coordinator, member, _folder, document, *_ = _library("public")
    address = document.document.url
    assert address.startswith("/documents/")

    response = Client().get(address)
    assert is_login_redirect(response)
    response = client_for(user_make("exterieur")).get(address)
    assert response.status_code != 200
    assert PDF not in body(response)
    response = client_for(get_user_model().objects.get(username="asso-a")).get(address)
    assert response.status_code != 200
    assert PDF not in body(response)

    response = client_for(member).get(address)
    assert response.status_code == 200
    assert body(response) == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<html><script>alert(document.cookie)</script></html>"),
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("donnees.xml", b'<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>'),
    ],
)
def test_active_content_is_refused_or_only_ever_downloaded(name: str, content: bytes):
    group, _coordinator, member, folder, *_ = _library("members")
    client = client_for(member)
    before = _group_documents(group)
    response = client.post(
        url("group_upload", group_id=group.pk),
        {"parent": folder.pk, "files": [pdf_upload(name, content)]},
    )
    extension = os.path.splitext(name)[1].lstrip(".")
    if extension not in settings.WAGTAILDOCS_EXTENSIONS:
        types = ", ".join(sorted(settings.WAGTAILDOCS_EXTENSIONS))
        _assert_bad_request(response, french(NOT_ACCEPTED) % {"name": name, "types": types})
        assert _group_documents(group) == before
        return
    assert response.status_code == 302
    (page_id,) = _group_documents(group) - before
    download = client.get(url("group_document_download", page_id=page_id))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    body(download)
    page = SharedDocumentPage.objects.select_related("document").get(pk=page_id)
    served = client.get(page.document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
    body(served)


@pytest.mark.parametrize("name", ["outil.exe", "script.php", "LISEZMOI", "rapport.pdf.exe", ".htaccess"])
def test_only_whitelisted_extensions_are_accepted(name: str):
    group, _coordinator, member, folder, *_ = _library("members")
    documents = get_document_model().objects.count()
    before = _group_documents(group)
    response = client_for(member).post(
        url("group_upload", group_id=group.pk),
        # A good file beside the bad one: one refused file refuses the whole upload.
        {"parent": folder.pk, "files": [pdf_upload("bon.pdf"), pdf_upload(name, b"MZ\x90\x00 <?php system($x); ?>")]},
    )
    types = ", ".join(sorted(settings.WAGTAILDOCS_EXTENSIONS))
    _assert_bad_request(response, french(NOT_ACCEPTED) % {"name": name, "types": types})
    assert _group_documents(group) == before
    assert get_document_model().objects.count() == documents


def test_the_size_limit_refuses_the_upload_and_saves_nothing():
    group, _coordinator, member, folder, document, *_ = _library("members")
    documents = get_document_model().objects.count()
    before = _group_documents(group)
    client = client_for(member)
    with override_settings(CASI_WORKSPACE_GROUP_DOCUMENT_MAX_SIZE=10):
        response = client.post(url("group_upload", group_id=group.pk), {"parent": folder.pk, "files": [pdf_upload()]})
    with translation.override("fr"):
        message = french(TOO_LARGE) % {
            "name": "compte-rendu.pdf",
            "size": filesizeformat(len(PDF)),
            "limit": filesizeformat(10),
        }
    _assert_bad_request(response, message)
    assert _group_documents(group) == before
    assert get_document_model().objects.count() == documents

    # Replacing a file is held to the same limit.
    revisions = document.revisions.count()
    with override_settings(CASI_WORKSPACE_GROUP_DOCUMENT_MAX_SIZE=10):
        response = client.post(url("group_document_replace", page_id=document.pk), {"file": pdf_upload("v2.pdf")})
    _assert_bad_request(response)
    assert response.status_code == 400
    assert document.revisions.count() == revisions
    assert get_document_model().objects.count() == documents


def test_an_empty_file_is_refused():
    group, _coordinator, member, folder, *_ = _library("members")
    before = _group_documents(group)
    response = client_for(member).post(
        url("group_upload", group_id=group.pk), {"parent": folder.pk, "files": [pdf_upload("vide.pdf", b"")]}
    )
    _assert_bad_request(response)
    assert response.status_code == 400
    assert _group_documents(group) == before


# --- Secret groups and group documents never leak --------------------------------------------------------------


def _leaks(client: Client, page: Page, query: str) -> list[str]:
    """The public channels that show `page` (its title or its address) when someone looks for `query`.

    The group index, the site search, the API (search and listing of every page) and the sitemap. The site
    search repeats the query, so there the page's address (the link a result would carry) is what counts.
    """
    found = []
    address = page.get_url()
    index = _text(client.get("/groupes/"))
    if page.title in index or f'href="{address}"' in index:
        found.append("/groupes/")
    search = client.get("/recherche/", {"q": query})
    assert search.status_code == 200
    if address in _text(search):
        found.append("/recherche/")
    for parameters in ({"search": query}, {"search": page.title}, {"type": page.specific_class._meta.label}):
        response = client.get("/api/v2/pages/", parameters)
        assert response.status_code == 200, (parameters, response.status_code)
        items = json.loads(response.content)["items"]
        if any(item["id"] == page.pk or item["title"] == page.title for item in items):
            found.append(f"/api/v2/pages/?{parameters}")
    if client.get(f"/api/v2/pages/{page.pk}/").status_code != 404:
        found.append(f"/api/v2/pages/{page.pk}/")
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    if address in _text(sitemap):
        found.append("/sitemap.xml")
    return found


def _api_group_titles(client: Client) -> set[str]:
    titles: set[str] = set()
    offset = 0
    while True:
        response = client.get(
            "/api/v2/pages/", {"type": "casi_workspace.WorkingGroupPage", "limit": 20, "offset": offset}
        )
        assert response.status_code == 200
        data = json.loads(response.content)
        titles |= {item["title"] for item in data["items"]}
        offset += 20
        if offset >= data["meta"]["total_count"]:
            return titles


def test_a_secret_group_is_nowhere_to_be_found_by_outsiders():
    word = _word()
    secret, _coordinator, member, *_rest = _library("secret", title=f"Groupe secret {word}")
    public, *_rest = _library("public", title=f"Groupe public {word}")
    asso_a = get_user_model().objects.get(username="asso-a")
    for user in (None, user_make("exterieur"), asso_a):
        client = client_for(user)
        assert _leaks(client, secret, word) == [], user
        assert secret.title not in _api_group_titles(client)
        # The same channels do show a public group (they are looked at, not empty).
        assert public.title in _text(client.get("/groupes/"))
        assert public.title in _api_group_titles(client)
        assert public.get_url() in _text(client.get("/sitemap.xml"))
    # The group's members do see it in the list of groups.
    assert secret.title in _text(client_for(member).get("/groupes/"))

    # Nor in the admin's page chooser of an editor of another organisation.
    client = client_for(asso_a)
    search = client.get("/admin/choose-page/search/", {"q": word})
    assert search.status_code == 200
    found = page_ids_in_chooser(chooser_body(search))
    assert public.pk in found
    assert secret.pk not in found
    index = secret.get_parent()
    listed = page_ids_in_chooser(chooser_body(client.get(f"/admin/choose-page/{index.pk}/")))
    assert public.pk in listed
    assert secret.pk not in listed


def test_browsing_the_page_chooser_into_a_secret_group_does_not_reveal_it():
    """An editor of another organisation who guesses the group's page id learns nothing from the chooser."""
    secret, coordinator, *_rest = _library("secret", title=f"Groupe secret {_word()}")
    client = client_for(get_user_model().objects.get(username="asso-a"))
    response = client.get(f"/admin/choose-page/{secret.pk}/")
    assert response.status_code in (200, 403, 404)
    html = chooser_body(response)
    assert secret.title not in unescape(html)
    # Its coordinator does browse it.
    html = chooser_body(client_for(coordinator).get(f"/admin/choose-page/{secret.pk}/"))
    assert secret.title in unescape(html)


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_a_groups_library_never_shows_in_public_channels(visibility: str):
    _group, _coordinator, _member, folder, document, minutes, word = _library(visibility)
    asso_a = get_user_model().objects.get(username="asso-a")
    for user in (None, user_make("exterieur"), asso_a):
        client = client_for(user)
        for page in (folder, document, minutes):
            assert _leaks(client, page, word) == [], (user, page)
        assert _leaks(client, document, document.title) == [], user


@pytest.mark.parametrize("join_policy", ["open", "request"])
def test_nobody_joins_a_secret_group_uninvited(join_policy: str):
    group = group_make("secret", join_policy)
    outsider = user_make("exterieur")
    response = client_for(outsider).post(url("group_join", group_id=group.pk), {"message": "Je voudrais entrer."})
    _assert_refused(response, anonymous=False, hidden=True)
    assert not WorkingGroupMembership.objects.filter(working_group=group, user=outsider).exists()
    assert not outsider.groups.exists()
    response = Client().post(url("group_join", group_id=group.pk))
    _assert_refused(response, anonymous=True)


# --- Access ends at once -------------------------------------------------------------------------------------


def test_leaving_the_group_ends_access_at_once():
    group, _coordinator, member, folder, document, *_ = _library("members")
    client = client_for(member)
    assert client.get(folder.get_url()).status_code == 200
    response = client.post(url("group_leave", group_id=group.pk))
    assert response.status_code == 302
    assert not WorkingGroupMembership.objects.filter(working_group=group, user=member).exists()
    assert client.get(folder.get_url()).status_code == 404
    response = client.get(url("group_document_download", page_id=document.pk))
    assert response.status_code == 403
    assert PDF not in body(response)
    assert client.get(document.document.url).status_code != 200


def test_a_removed_member_loses_access_at_once():
    group, coordinator, member, folder, document, *_ = _library("secret")
    client = client_for(member)
    assert client.get(folder.get_url()).status_code == 200
    membership = WorkingGroupMembership.objects.get(working_group=group, user=member)
    response = client_for(coordinator).post(
        url("group_member_action", group_id=group.pk, membership_id=membership.pk, action="remove")
    )
    assert response.status_code == 302
    assert not WorkingGroupMembership.objects.filter(pk=membership.pk).exists()
    assert client.get(folder.get_url()).status_code == 404
    assert client.get(group.get_url()).status_code == 404
    response = client.get(url("group_document_download", page_id=document.pk))
    assert response.status_code in (403, 404)
    assert PDF not in body(response)


# --- Stored XSS ------------------------------------------------------------------------------------------------


def test_titles_and_file_names_are_escaped():
    group, coordinator, member, folder, *_ = _library("members")
    client = client_for(member)
    response = client.post(
        url("group_upload", group_id=group.pk),
        {"parent": folder.pk, "files": [pdf_upload("<script>alert(1).pdf")]},
    )
    assert response.status_code == 302
    (document,) = SharedDocumentPage.objects.child_of(folder).filter(title__contains="<script>")
    nasty = folder_make(folder, "<img src=x onerror=alert(1)>", coordinator)

    for address in (folder.get_url(), nasty.get_url(), document.get_url(), group.get_url()):
        html = body(client.get(address)).decode()
        assert "<script>alert(1)" not in html, address
        assert "<img src=x onerror" not in html, address
    html = body(client.get(folder.get_url())).decode()
    assert "&lt;script&gt;alert(1)" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# --- Forged and malformed ids ----------------------------------------------------------------------------------

HUGE = "9" * 30


def test_forged_and_malformed_ids_are_refused_never_a_server_error():
    group, coordinator, _member, folder, document, minutes, *_ = _library("members")
    other, other_coordinator, *_rest = _library("members")
    other_folder = folder_make(other, "Dossier de l’autre groupe", other_coordinator)
    other_document = document_make(other_folder, other_coordinator, name="autre.pdf", content=b"%PDF-1.4 autre")
    client = client_for(coordinator)
    mine, theirs = _group_documents(group), _group_documents(other)
    folders = DocumentFolderPage.objects.count()

    def post_into(parent) -> list:
        return [
            client.post(url("group_upload", group_id=group.pk), {"parent": parent, "files": [pdf_upload()]}),
            client.post(url("group_folder_create", group_id=group.pk), {"parent": parent, "title": "Intrus"}),
        ]

    for parent in ("abc", HUGE, "-1", "", document.pk, minutes.pk):
        for response in post_into(parent):
            _assert_bad_request(response)
    # Another group's folder or page, which this coordinator may not read: refused whatever the reason.
    for parent in (other_folder.pk, other.pk):
        for response in post_into(parent):
            assert response.status_code in (400, 403, 404), response.status_code
    # Even for someone who also belongs to the other group: the parent must be in the group of the address.
    membership_add(group=other, user=coordinator, role=WorkingGroupRole.MEMBER)
    for parent in (other_folder.pk, other.pk):
        for response in post_into(parent):
            _assert_bad_request(response)
    assert _group_documents(group) == mine
    assert _group_documents(other) == theirs
    assert DocumentFolderPage.objects.count() == folders

    for target in (other_folder.pk, "abc", HUGE, document.pk):
        response = client.post(url("group_page_move", page_id=document.pk), {"target": target})
        _assert_bad_request(response)
    assert Page.objects.get(pk=document.pk).get_parent().pk == folder.pk

    other_revision = other_document.revisions.first()
    for version in ("abc", HUGE, str(other_revision.pk), "-1"):
        response = client.get(url("group_document_download", page_id=document.pk), {"version": version})
        assert response.status_code in (400, 404), version
        assert b"autre" not in body(response)
    response = client.post(url("group_document_restore", page_id=document.pk, revision_id=other_revision.pk))
    _assert_bad_request(response)
    assert SharedDocumentPage.objects.get(pk=document.pk).document_id == document.document_id

    for address in (
        f"/casi/groupes/documents/{HUGE}/telecharger/",
        f"/casi/groupes/pages/{HUGE}/supprimer/",
        f"/casi/groupes/pages/{HUGE}/publier/",
        f"/casi/groupes/documents/{HUGE}/remplacer/",
        f"/casi/groupes/dossiers/{HUGE}/renommer/",
        f"/casi/groupes/{HUGE}/documents/envoyer/",
        f"/casi/groupes/{HUGE}/rejoindre/",
        f"/casi/groupes/{HUGE}/membres/",
        f"/casi/groupes/{group.pk}/membres/{HUGE}/remove/",
    ):
        method = client.get if address.endswith(("telecharger/", "membres/")) else client.post
        response = method(address)
        assert response.status_code in (400, 404), (address, response.status_code)

    # A membership of another group, an unknown action.
    other_membership = WorkingGroupMembership.objects.filter(working_group=other).first()
    response = client.post(
        url("group_member_action", group_id=group.pk, membership_id=other_membership.pk, action="remove")
    )
    _assert_bad_request(response)
    assert WorkingGroupMembership.objects.filter(pk=other_membership.pk).exists()
    membership = WorkingGroupMembership.objects.filter(working_group=group).exclude(user=coordinator).first()
    response = client.post(
        url("group_member_action", group_id=group.pk, membership_id=membership.pk, action="exploser")
    )
    _assert_bad_request(response)
    assert WorkingGroupMembership.objects.filter(pk=membership.pk).exists()

    # A page of the group that is not a document, posted to the document views.
    response = client.get(url("group_document_download", page_id=folder.pk))
    assert response.status_code in (400, 404)
    response = client.post(url("group_document_replace", page_id=folder.pk), {"file": pdf_upload()})
    _assert_bad_request(response)
    response = client.post(url("group_folder_rename", folder_id=document.pk), {"title": "Renommé"})
    _assert_bad_request(response)
    assert Page.objects.get(pk=document.pk).title == document.title


# --- CSRF ------------------------------------------------------------------------------------------------------


def test_posts_without_the_csrf_token_are_refused():
    group, coordinator, member, folder, document, *_ = _library("members")
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    folders = DocumentFolderPage.objects.child_of(group).count()
    response = client.post(url("group_folder_create", group_id=group.pk), {"parent": group.pk, "title": "Sans jeton"})
    assert response.status_code == 403
    assert DocumentFolderPage.objects.child_of(group).count() == folders

    response = client.post(url("group_page_delete", page_id=document.pk))
    assert response.status_code == 403
    assert Page.objects.filter(pk=document.pk).exists()

    before = _group_documents(group)
    response = client.post(url("group_upload", group_id=group.pk), {"parent": folder.pk, "files": [pdf_upload()]})
    assert response.status_code == 403
    assert _group_documents(group) == before

    member_client = Client(enforce_csrf_checks=True)
    member_client.force_login(member)
    response = member_client.post(url("group_leave", group_id=group.pk))
    assert response.status_code == 403
    assert WorkingGroupMembership.objects.filter(working_group=group, user=member).exists()
