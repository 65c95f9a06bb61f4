"""The working groups' wiring: their library's files in the documents admin, and outsiders' answers."""

from __future__ import annotations

from django.urls import path
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.permissions import register_permission_policy

from casi_workspace.workgroups.document_permissions import LibraryDocumentPermissionPolicy
from casi_workspace.workgroups.views import documents_admin
from casi_workspace.workgroups.views.serving import refuse_signed_in_outsiders

# Versions' files of shared documents are changed and deleted through the library only, by everyone.
register_permission_policy(get_document_model(), LibraryDocumentPermissionPolicy(), exact_class=True)


@hooks.register("register_admin_urls")
def register_document_urls():
    # The files of working groups' document versions: refused with a reason (document_permissions.py).
    return [
        path("documents/edit/<int:document_id>/", documents_admin.document_edit),
        path("documents/delete/<int:document_id>/", documents_admin.document_delete),
    ]


hooks.register("on_serve_page", refuse_signed_in_outsiders, order=-1)
