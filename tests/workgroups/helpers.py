"""Working groups made by the tests themselves, with accounts in each role, so that no test depends on demo content."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from casi_workspace.demo.data import DEFAULT_PASSWORD
from casi_workspace.models import (
    DocumentFolderPage,
    SharedDocumentPage,
    WorkingGroupIndexPage,
    WorkingGroupJoinPolicy,
    WorkingGroupPage,
    WorkingGroupRole,
)
from casi_workspace.workgroups.provisioning import working_group_provision
from casi_workspace.workgroups.services.library import documents_upload, folder_create
from casi_workspace.workgroups.services.memberships import membership_add

_numbers = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "compte-rendu.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def user_make(prefix: str = "personne", **fields):
    number = next(_numbers)
    username = f"{prefix}-{number}"
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=DEFAULT_PASSWORD, **fields
    )


def group_make(
    visibility: str = "members",
    join_policy: str = WorkingGroupJoinPolicy.REQUEST,
    *,
    title: str | None = None,
    members_manage_folders: bool = False,
) -> WorkingGroupPage:
    """A live, provisioned working group under the demo's /groupes/ index."""
    index = WorkingGroupIndexPage.objects.get()
    number = next(_numbers)
    group = WorkingGroupPage(
        title=title or f"Groupe d'essai {number}",
        slug=f"groupe-essai-{number}",
        visibility=visibility,
        join_policy=join_policy,
        members_manage_folders=members_manage_folders,
    )
    index.add_child(instance=group)
    group.save_revision().publish()
    working_group_provision(working_group=group)
    return group


def member_make(group: WorkingGroupPage, role: str = WorkingGroupRole.MEMBER, prefix: str = "membre"):
    user = user_make(prefix)
    membership_add(group=group, user=user, role=role)
    return user


def folder_make(parent, title: str, user) -> DocumentFolderPage:
    return folder_create(parent=parent, title=title, user=user)


def document_make(parent, user, name: str = "rapport.pdf", content: bytes = PDF) -> SharedDocumentPage:
    return documents_upload(parent=parent, uploads=[pdf_upload(name, content)], user=user)[0]


def client_for(user) -> Client:
    """A test client signed in as `user` (None: anonymous) with the real password."""
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def url(name: str, **kwargs) -> str:
    return reverse(f"casi_workspace:{name}", kwargs=kwargs)
