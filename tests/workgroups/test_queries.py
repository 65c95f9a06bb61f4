"""A group with 1,000 documents in 50 folders renders each of its views with a constant number of queries.

The same group is measured twice: small (3 documents in 2 folders, three members, one request, a document with
two versions, one minutes) and grown (1,000 documents in 50 folders, twenty more members, more requests,
versions and minutes). Each view answers within its budget below at both sizes, and the grown group never
costs more than the small one. The budgets are the counts measured at small scale, the same on SQLite and
PostgreSQL: a listing that starts querying per row, or a view that gains a query, fails here.

The documents are written in bulk by demo.scale (the benchmark's seeding), not through the page API: a
thousand pages with revisions would take minutes.
"""

from __future__ import annotations

import pytest
from django.test import Client

from casi_workspace.conf import get_setting
from casi_workspace.demo.scale import group_documents_scale
from casi_workspace.models import DocumentFolderPage, SharedDocumentPage, WorkingGroupPage, WorkingGroupRole
from casi_workspace.workgroups.services.library import document_replace
from casi_workspace.workgroups.services.memberships import membership_join

from .helpers import client_for, document_make, group_make, member_make, pdf_upload, url, user_make
from .test_matrix import _minutes_make

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

# Queries per view, as measured with the small group (SQLite and PostgreSQL give the same counts).
BUDGETS = {
    "group": 37,  # the group's page: folder tree, top-level documents, minutes, members
    "folder": 40,  # a folder's page: tree, subfolders, its documents
    "document": 43,  # a document's page with its versions and the "move to" choices
    "minutes": 35,
    "members": 22,  # the members' management page, as the group's coordinator
    "search": 39,  # the group's page with ?q=
    "anonymous": 10,  # the group's public page, signed out
}
SEARCH = "synthétique"  # in every synthetic document's title


def _quiet(_line: str) -> None:
    pass


def _scale(group: WorkingGroupPage, *, documents: int, folders: int) -> None:
    group_documents_scale(group=group, documents=documents, folders=folders, search_index=True, report=_quiet)
    group.refresh_from_db()  # written below the page API: the tree columns in memory are stale


def _folder(group: WorkingGroupPage, number: int) -> DocumentFolderPage:
    return DocumentFolderPage.objects.child_of(group).get(slug=f"dossier-synthetique-{number:04d}")


def _measure(client: Client, address: str, budget: int, django_assert_max_num_queries):
    """The view's queries, once the per-process caches (Wagtail's site root paths…) are warm."""
    assert client.get(address).status_code == 200, address
    with django_assert_max_num_queries(budget, info=address) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured), response


def test_a_group_with_1000_documents_in_50_folders_renders_each_view_in_constant_queries(
    django_assert_max_num_queries,
):
    group = group_make("members")
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR, prefix="animation")
    member = member_make(group)
    membership_join(group=group, user=user_make("candidat"), message="Bonjour")
    # The minutes first: the bulk seeding needs a group that already has a child page (its numchild is
    # recounted through treebeard's get_children(), which is empty for a page that had none).
    minutes = _minutes_make(group, coordinator, "petit")
    _scale(group, documents=3, folders=2)
    folder = _folder(group, 1)
    document = document_make(folder, member, name="versions.pdf")
    document_replace(page=document, upload=pdf_upload("versions-2.pdf", b"%PDF-1.4 v2"), user=member)

    views = {
        "group": (member, group.get_url()),
        "folder": (member, folder.get_url()),
        "document": (member, document.get_url()),
        "minutes": (member, minutes.get_url()),
        "members": (coordinator, url("group_members", group_id=group.pk)),
        "search": (member, f"{group.get_url()}?q={SEARCH}"),
        "anonymous": (None, group.get_url()),
    }
    clients = {user: client_for(user) for user in (member, coordinator, None)}
    small = {}
    for name, (user, address) in views.items():
        small[name], response = _measure(clients[user], address, BUDGETS[name], django_assert_max_num_queries)
    assert len(response.context["coordinators"]) == 1  # the anonymous page does show the public part

    # Grow the same group: 1,000 documents in 50 folders, more members, requests, versions and minutes.
    _scale(group, documents=1000, folders=50)
    for _ in range(20):
        member_make(group)
    for _ in range(5):
        membership_join(group=group, user=user_make("candidat"))
    for number in range(3, 7):
        document_replace(page=document, upload=pdf_upload(f"versions-{number}.pdf", b"%PDF-1.4 vn"), user=member)
    for number in range(3):
        _minutes_make(group, coordinator, f"grand-{number}")
    assert SharedDocumentPage.objects.descendant_of(group).count() == 1001
    assert DocumentFolderPage.objects.child_of(group).count() == 50

    for name, (user, address) in views.items():
        _count, response = _measure(clients[user], address, small[name], django_assert_max_num_queries)
        context = response.context
        # What was measured is the grown group, not an empty page.
        if name == "folder":
            assert context["documents"].paginator.count == 20  # synthetic 1, 2 and 4 to 20, and ours
            assert len(context["folder_tree"]) == 50
        elif name == "document":
            assert len(context["versions"]) == 6
        elif name == "search":
            assert len(context["search_results"]) == get_setting("GROUP_LIBRARY_PAGE_SIZE")
        elif name == "group":
            assert context["members"].paginator.count == 22
            assert context["minutes"].paginator.count == 4
        elif name == "members":
            assert len(context["pending"]) == 6


def test_a_folder_pages_its_documents_and_survives_a_bad_page_number(django_assert_max_num_queries):
    size = get_setting("GROUP_LIBRARY_PAGE_SIZE")
    group = group_make("members")
    coordinator = member_make(group, WorkingGroupRole.COORDINATOR, prefix="animation")
    member = member_make(group)
    _minutes_make(group, coordinator, "pagination")
    _scale(group, documents=size + 7, folders=1)
    folder = _folder(group, 1)
    client = client_for(member)

    def listed(page: str) -> tuple[int, list[int]]:
        _count, response = _measure(
            client, f"{folder.get_url()}?page={page}", BUDGETS["folder"], django_assert_max_num_queries
        )
        documents = response.context["documents"]
        pks = [item.pk for item in documents.object_list]
        html = response.content.decode()
        for item in documents.object_list:
            assert item.get_url() in html
        return documents.number, pks

    number, first = listed("1")
    assert number == 1
    assert len(first) == size
    number, second = listed("2")
    assert number == 2
    assert len(second) == 7
    assert not set(first) & set(second)
    assert set(first) | set(second) == set(SharedDocumentPage.objects.child_of(folder).values_list("pk", flat=True))
    # A malformed number is the first page, one past the end the last one: never an error.
    assert listed("abc") == (1, first)
    assert listed("") == (1, first)
    assert listed("999") == (2, second)
