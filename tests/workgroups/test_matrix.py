"""The permission matrix of working groups: every (visibility, role, action) cell, over HTTP.

The table below IS the matrix: `EXPECTED[(visibility, role, action)]` says whether the role may do the action
in a group of that visibility. Each cell is one test, `test_cell[<visibility>-<role>-<action>]`, that does the
action as a browser would (page URLs served by Wagtail, the /casi/groupes/… views of the URL contract) and
checks what happened: an allowed action answers 200 (a page, a file) or 302 (a form posted) and changes what it
should; a refused one sends the anonymous visitor to the login page and answers 403 to a signed-in person (or 404
to someone who may not know that a secret group exists), and changes nothing. A refused page of the site (a
secret group's page, a folder's, minutes') answers 404 to everyone, as an address that names nothing would.

Roles: anonymous; outsider (signed in, in no group); member (an active member of the group, not its uploader);
group-coordinator (the group's coordinator); network-coordinator (the demo account "coordination").

Actions:
- see_group        GET the group's page: its title is shown.
- list_documents   GET a folder's page: the document filed in it is listed (and, when the group's page is open to
                   the role but the library is not, the group's page does not show the folder or the document).
- download         GET the document's download URL: the file itself, as an attachment.
- upload           POST a file to the folder: a new shared document.
- manage_folders   POST a new folder at the group's top level (members_manage_folders is off).
- replace          POST a new file for a document another member uploaded: a new file in a new revision.
- delete           POST the deletion of a document another member uploaded: the page is gone.
- read_minutes     GET the minutes' page: their text is shown.
- publish          POST the publication of a document to the network: a resource under the group's organisation
                   (none set: the network's own page, "casi-bretagne").
- manage_members   GET the members' management page (the members are listed) and POST an invitation (an
                   invitation is recorded).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from wagtail.models import Page

from casi_workspace.models import (
    DocumentFolderPage,
    MinutesPage,
    OrganisationPage,
    ResourcePage,
    SharedDocumentPage,
    WorkingGroupMembership,
    WorkingGroupMembershipStatus,
    WorkingGroupPage,
    WorkingGroupRole,
)

from .helpers import client_for, document_make, folder_make, group_make, member_make, pdf_upload, url, user_make

pytestmark = pytest.mark.django_db

Y, N = True, False

VISIBILITIES = ("public", "members", "secret")
ROLES = ("anonymous", "outsider", "member", "group-coordinator", "network-coordinator")
NETWORK_ORGANISATION = "casi-bretagne"

# fmt: off
# Columns:              anonymous outsider member group-coordinator network-coordinator
# A public or members-only group: its page is open to all, its library to its members.
OPEN_GROUP: dict[str, tuple[bool, bool, bool, bool, bool]] = {
    "see_group":      (Y,        Y,       Y,     Y,                Y),
    "list_documents": (N,        N,       Y,     Y,                Y),
    "download":       (N,        N,       Y,     Y,                Y),
    "upload":         (N,        N,       Y,     Y,                Y),
    "manage_folders": (N,        N,       N,     Y,                Y),
    "replace":        (N,        N,       N,     Y,                Y),
    "delete":         (N,        N,       N,     Y,                Y),
    "read_minutes":   (N,        N,       Y,     Y,                Y),
    "publish":        (N,        N,       N,     Y,                Y),
    "manage_members": (N,        N,       N,     Y,                Y),
}
GRID: dict[str, dict[str, tuple[bool, bool, bool, bool, bool]]] = {
    "public": OPEN_GROUP,
    "members": OPEN_GROUP,
    # A secret group: the same, but its very page is hidden from those outside it.
    "secret": OPEN_GROUP | {"see_group": (N, N, Y, Y, Y)},
}
# fmt: on

ACTIONS = tuple(GRID["public"])
EXPECTED: dict[tuple[str, str, str], bool] = {
    (visibility, role, action): allowed
    for visibility, rows in GRID.items()
    for action, row in rows.items()
    for role, allowed in zip(ROLES, row, strict=True)
}


def test_the_grid_is_complete():
    assert set(GRID) == set(VISIBILITIES)
    for rows in GRID.values():
        assert tuple(rows) == ACTIONS
    assert len(EXPECTED) == len(VISIBILITIES) * len(ROLES) * len(ACTIONS)


@dataclass
class World:
    """One group built for one cell, with the role's account and a client signed in as it."""

    visibility: str
    role: str
    group: WorkingGroupPage
    coordinator: object
    uploader: object
    folder: DocumentFolderPage
    document: SharedDocumentPage
    user: object
    client: Client
    marker: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    content: bytes = b""
    minutes: MinutesPage | None = None


def _minutes_make(group: WorkingGroupPage, author, marker: str) -> MinutesPage:
    minutes = MinutesPage(
        title=f"Réunion {marker}",
        meeting_date=datetime.date(2026, 3, 12),
        attendees="Anne, Youenn",
        body=f"<p>Décisions de la réunion {marker}.</p>",
        owner=author,
    )
    group.add_child(instance=minutes)
    minutes.save_revision(user=author).publish(user=author)
    return minutes


def world_make(visibility: str, role: str, *, minutes: bool = False) -> World:
    marker = uuid.uuid4().hex[:10]
    group = group_make(visibility, title=f"Groupe matrice {marker}")
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR, prefix="animation")
    uploader = member_make(group, prefix="deposant")
    folder = folder_make(group, f"Dossier {marker}", coordinator)
    content = f"%PDF-1.4\n% note {marker}\n%%EOF\n".encode()
    document = document_make(folder, uploader, name=f"note-{marker}.pdf", content=content)
    user = {
        "anonymous": lambda: None,
        "outsider": lambda: user_make("exterieur"),
        "member": lambda: member_make(group),
        "group-coordinator": lambda: coordinator,
        "network-coordinator": lambda: get_user_model().objects.get(username="coordination"),
    }[role]()
    return World(
        visibility=visibility,
        role=role,
        group=group,
        coordinator=coordinator,
        uploader=uploader,
        folder=folder,
        document=document,
        user=user,
        client=client_for(user),
        marker=marker,
        content=content,
        minutes=_minutes_make(group, coordinator, marker) if minutes else None,
    )


def body(response: HttpResponse) -> bytes:
    """The whole body, streamed or not.

    The test client closes a streamed response once it is read to its end; closing it again would close
    the database connection (PostgreSQL) under the test's transaction.
    """
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def login_paths() -> set[str]:
    """The site's login page, and Wagtail's front-end one that its page view restrictions redirect to."""
    frontend = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None) or "wagtailcore_login"
    return {resolve_url(settings.LOGIN_URL), resolve_url(frontend)}


def is_login_redirect(response: HttpResponse) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return location.path in login_paths() and "next=" in location.query


# The actions that GET a page of the site: refused, it answers as a missing page (its existence is not told).
PAGE_ACTIONS = ("see_group", "list_documents", "read_minutes")


def assert_refused(response: HttpResponse, *, role: str, visibility: str, page: bool = False) -> None:
    """A page: 404. Otherwise anonymous: to the login page; signed in: 403, or 404 when the group is secret."""
    status = response.status_code
    if page:
        assert status == 404, f"expected 404, got {status} {response.get('Location', '')}"
    elif role == "anonymous":
        assert is_login_redirect(response), f"expected a login redirect, got {status} {response.get('Location', '')}"
    elif visibility == "secret":
        assert status in (403, 404), f"expected 403 or 404, got {status} {response.get('Location', '')}"
    else:
        assert status == 403, f"expected 403, got {status} {response.get('Location', '')}"


def assert_succeeded(response: HttpResponse, method: str) -> None:
    if method == "GET":
        assert response.status_code == 200, f"expected 200, got {response.status_code} {response.get('Location', '')}"
    else:
        assert response.status_code == 302, f"expected 302, got {response.status_code}"
        assert not is_login_redirect(response), response["Location"]


# Each action: (HTTP method, whether it needs minutes, the function that does it and tells whether it took effect).
Outcome = tuple[HttpResponse, bool]


def _see_group(world: World) -> Outcome:
    response = world.client.get(world.group.get_url())
    return response, world.group.title.encode() in body(response)


def _list_documents(world: World) -> Outcome:
    response = world.client.get(world.folder.get_url())
    listed = world.document.title.encode() in body(response)
    if not EXPECTED[(world.visibility, world.role, "list_documents")] and world.visibility != "secret":
        # The group's own page is open to everyone: it must not show the library to the role either.
        group_page = world.client.get(world.group.get_url())
        assert group_page.status_code == 200
        listed = listed or world.document.title.encode() in group_page.content
        listed = listed or world.folder.title.encode() in group_page.content
    return response, listed


def _download(world: World) -> Outcome:
    response = world.client.get(url("group_document_download", page_id=world.document.pk))
    content = body(response)
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    return response, content == world.content


def _upload(world: World) -> Outcome:
    name = f"envoi-{world.marker}"
    response = world.client.post(
        url("group_upload", group_id=world.group.pk),
        {"parent": world.folder.pk, "files": [pdf_upload(f"{name}.pdf")]},
    )
    return response, SharedDocumentPage.objects.child_of(world.folder).filter(title=name).exists()


def _manage_folders(world: World) -> Outcome:
    title = f"Nouveau dossier {world.marker}"
    response = world.client.post(
        url("group_folder_create", group_id=world.group.pk), {"parent": world.group.pk, "title": title}
    )
    return response, DocumentFolderPage.objects.child_of(world.group).filter(title=title).exists()


def _replace(world: World) -> Outcome:
    revisions = world.document.revisions.count()
    before = world.document.document_id
    new_content = f"%PDF-1.4\n% version 2 {world.marker}\n%%EOF\n".encode()
    response = world.client.post(
        url("group_document_replace", page_id=world.document.pk), {"file": pdf_upload("version-2.pdf", new_content)}
    )
    page = SharedDocumentPage.objects.select_related("document").get(pk=world.document.pk)
    replaced = page.document_id != before and page.revisions.count() == revisions + 1
    if replaced:
        with page.document.file.open("rb") as stored:
            assert stored.read() == new_content
    return response, replaced


def _delete(world: World) -> Outcome:
    response = world.client.post(url("group_page_delete", page_id=world.document.pk))
    return response, not Page.objects.filter(pk=world.document.pk).exists()


def _read_minutes(world: World) -> Outcome:
    response = world.client.get(world.minutes.get_url())
    return response, f"Décisions de la réunion {world.marker}".encode() in body(response)


def _publish(world: World) -> Outcome:
    organisation = world.group.organisation or OrganisationPage.objects.get(slug=NETWORK_ORGANISATION)
    response = world.client.post(url("group_page_publish", page_id=world.document.pk))
    published = ResourcePage.objects.child_of(organisation).filter(title=world.document.title).exists()
    return response, published


def _manage_members(world: World) -> Outcome:
    page = world.client.get(url("group_members", group_id=world.group.pk))
    listed = world.uploader.username.encode() in body(page)
    if EXPECTED[(world.visibility, world.role, "manage_members")]:
        assert_succeeded(page, "GET")
        assert listed, "the members' page does not list the group's members"
    else:
        assert_refused(page, role=world.role, visibility=world.visibility)
        assert not listed
    invitee = user_make("invitee")
    response = world.client.post(url("group_invite", group_id=world.group.pk), {"identifier": invitee.username})
    invited = WorkingGroupMembership.objects.filter(
        working_group=world.group, user=invitee, status=WorkingGroupMembershipStatus.INVITED
    ).exists()
    return response, invited and listed


ACTION_RUNS: dict[str, tuple[str, bool, Callable[[World], Outcome]]] = {
    "see_group": ("GET", False, _see_group),
    "list_documents": ("GET", False, _list_documents),
    "download": ("GET", False, _download),
    "upload": ("POST", False, _upload),
    "manage_folders": ("POST", False, _manage_folders),
    "replace": ("POST", False, _replace),
    "delete": ("POST", False, _delete),
    "read_minutes": ("GET", True, _read_minutes),
    "publish": ("POST", False, _publish),
    "manage_members": ("POST", False, _manage_members),
}


@pytest.mark.parametrize(
    ("visibility", "role", "action"),
    [pytest.param(*cell, id="-".join(cell)) for cell in EXPECTED],
)
def test_cell(visibility: str, role: str, action: str):
    method, needs_minutes, run = ACTION_RUNS[action]
    world = world_make(visibility, role, minutes=needs_minutes)
    response, took_effect = run(world)
    if EXPECTED[(visibility, role, action)]:
        assert_succeeded(response, method)
        assert took_effect, f"{role} may {action} in a {visibility} group: the action answered but did nothing"
    else:
        assert_refused(response, role=role, visibility=visibility, page=action in PAGE_ACTIONS)
        assert not took_effect, f"{role} may not {action} in a {visibility} group, yet it took effect"


# --- Around the grid ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_uploader_replaces_then_deletes_their_own_document(visibility: str):
    world = world_make(visibility, "member")
    client = client_for(world.uploader)
    first = world.document.document_id
    response = client.post(
        url("group_document_replace", page_id=world.document.pk), {"file": pdf_upload("a-jour.pdf", b"%PDF-1.4 v2")}
    )
    assert_succeeded(response, "POST")
    world.document.refresh_from_db()
    assert world.document.document_id != first
    assert world.document.revisions.count() == 2

    response = client.post(url("group_page_delete", page_id=world.document.pk))
    assert_succeeded(response, "POST")
    assert not Page.objects.filter(pk=world.document.pk).exists()


def test_members_manage_folders_when_the_group_allows_it():
    group = group_make("members", members_manage_folders=True)
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR)
    folder = folder_make(group, "Comptes rendus", coordinator)
    member = member_make(group)
    client = client_for(member)

    response = client.post(url("group_folder_create", group_id=group.pk), {"parent": group.pk, "title": "Budget"})
    assert_succeeded(response, "POST")
    assert DocumentFolderPage.objects.child_of(group).filter(title="Budget").exists()

    response = client.post(url("group_folder_rename", folder_id=folder.pk), {"title": "Relevés de décisions"})
    assert_succeeded(response, "POST")
    folder.refresh_from_db()
    assert folder.title == "Relevés de décisions"

    response = client.post(url("group_page_delete", page_id=folder.pk))
    assert_succeeded(response, "POST")
    assert not Page.objects.filter(pk=folder.pk).exists()
    # Publishing and managing members stay the coordinators'.
    document = document_make(group, member)
    response = client.post(url("group_page_publish", page_id=document.pk))
    assert response.status_code == 403
    assert client.get(url("group_members", group_id=group.pk)).status_code == 403
