"""Wagtail's edit and delete views of a document, preceded by the library's refusal for version files.

The permission policy (document_permissions.py) already refuses them everywhere in the documents admin
(edit, delete, multiple upload, bulk actions); on these two pages the refusal says why, in French, as a 403.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from wagtail.documents import get_document_model, get_permission_policy
from wagtail.documents.views.documents import DeleteView, EditView

from casi_workspace.workgroups.services.library import library_document_protected


def _refusal(request: HttpRequest, document_id: int, action: str) -> HttpResponse | None:
    """The French 403 for whoever Wagtail alone would let through; others get Wagtail's usual refusal."""
    document = get_object_or_404(get_document_model(), pk=document_id)
    wagtail_allows = get_permission_policy().user_has_permission_for_instance(request.user, action, document)
    if not wagtail_allows or not library_document_protected(document):
        return None
    return TemplateResponse(request, "casi_workspace/admin/document_protected.html", {"document": document}, status=403)


def document_edit(request: HttpRequest, document_id: int) -> HttpResponse:
    return _refusal(request, document_id, "change") or EditView.as_view()(request, document_id=document_id)


def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    return _refusal(request, document_id, "delete") or DeleteView.as_view()(request, document_id=document_id)
