"""A working group's document library on the public site: upload, folders, move, delete (a GET of the
deletion's address is the page that asks to confirm), versions, publication to the network and download.

The views read the form, name the pages it points at (always inside the group of the address) and call
services.library, which holds the rules. Files are only ever served here, after the group's check,
as attachments that the browser must not sniff.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.documents import get_document_model

from casi_workspace.core.request_values import parsed_id
from casi_workspace.core.upload_policy import stored_file_download
from casi_workspace.workgroups.access import WorkingGroupError
from casi_workspace.workgroups.models import DocumentFolderPage, MinutesPage, SharedDocumentPage
from casi_workspace.workgroups.provisioning import workspace_of
from casi_workspace.workgroups.selectors import breadcrumbs
from casi_workspace.workgroups.services import library
from casi_workspace.workgroups.views.guards import container_in, group_page, group_view, reader_group

DELETE_CONFIRM_TEMPLATE = "casi_workspace/pages/library_delete_confirm.html"


def _parent(request: HttpRequest, group_id: int):
    group, _access = reader_group(request, group_id)
    parent = container_in(group, request.POST.get("parent"), field_missing=_("Choose a folder of this group."))
    return group, parent


@require_POST
@group_view
def upload(request: HttpRequest, group_id: int) -> HttpResponse:
    _group, parent = _parent(request, group_id)
    pages = library.documents_upload(parent=parent, uploads=request.FILES.getlist("files"), user=request.user)
    messages.success(
        request, ngettext("%(count)s document added.", "%(count)s documents added.", len(pages)) % {"count": len(pages)}
    )
    return redirect(parent.get_url(request))


@require_POST
@group_view
def folder_create(request: HttpRequest, group_id: int) -> HttpResponse:
    _group, parent = _parent(request, group_id)
    folder = library.folder_create(parent=parent, title=request.POST.get("title", ""), user=request.user)
    messages.success(request, _("The folder “%(title)s” is created.") % {"title": folder.title})
    return redirect(folder.get_url(request))


@require_POST
@group_view
def folder_rename(request: HttpRequest, folder_id: int) -> HttpResponse:
    folder, _group, _access = group_page(request, folder_id, DocumentFolderPage)
    library.folder_rename(folder=folder, title=request.POST.get("title", ""), user=request.user)
    messages.success(request, _("The folder is renamed."))
    return redirect(folder.get_url(request))


@require_POST
@group_view
def move(request: HttpRequest, page_id: int) -> HttpResponse:
    page, group, _access = group_page(request, page_id, DocumentFolderPage, SharedDocumentPage)
    target = container_in(group, request.POST.get("target"), field_missing=_("Choose a folder of this group."))
    page = library.page_move(page=page, target=target, user=request.user)
    messages.success(request, _("“%(title)s” is moved.") % {"title": page.title})
    return redirect(page.get_url(request))


@require_http_methods(["GET", "POST"])
@group_view
def delete(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET: the confirmation page (after the same checks as the deletion; nothing is deleted). POST: delete."""
    page, group, _access = group_page(request, page_id, DocumentFolderPage, SharedDocumentPage, MinutesPage)
    if request.method != "POST":
        library.page_delete_check(page=page, user=request.user)
        is_folder = isinstance(page, DocumentFolderPage)
        context = {
            "item": page,
            "group": group,
            "breadcrumbs": breadcrumbs(group, page),
            "kind": "folder" if is_folder else "minutes" if isinstance(page, MinutesPage) else "document",
            "held": page.get_descendants().count() if is_folder else 0,
        }
        return TemplateResponse(request, DELETE_CONFIRM_TEMPLATE, context)
    parent = page.get_parent()
    title = page.title
    library.page_delete(page=page, user=request.user)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
    return redirect(parent.get_url(request))


@require_POST
@group_view
def publish(request: HttpRequest, page_id: int) -> HttpResponse:
    page, _group, _access = group_page(request, page_id, SharedDocumentPage, MinutesPage)
    resource, live = library.group_item_publish(page=page, user=request.user)
    if live:
        messages.success(request, _("“%(title)s” is published to the network.") % {"title": resource.title})
    else:
        messages.success(
            request, _("“%(title)s” is submitted to the network's moderation.") % {"title": resource.title}
        )
    return redirect(page.get_url(request))


@require_POST
@group_view
def replace(request: HttpRequest, page_id: int) -> HttpResponse:
    page, _group, _access = group_page(request, page_id, SharedDocumentPage)
    upload_ = request.FILES.get("file")
    if upload_ is None:
        raise WorkingGroupError(_("Choose a file."))
    library.document_replace(page=page, upload=upload_, user=request.user)
    messages.success(request, _("A new version is online; the previous ones are kept."))
    return redirect(page.get_url(request))


@require_POST
@group_view
def restore(request: HttpRequest, page_id: int, revision_id: int) -> HttpResponse:
    page, _group, _access = group_page(request, page_id, SharedDocumentPage)
    library.document_restore(page=page, revision_id=parsed_id(str(revision_id)) or 0, user=request.user)
    messages.success(request, _("The chosen version is the current one again."))
    return redirect(page.get_url(request))


def _version_document(page: SharedDocumentPage, raw_version: str | None):
    """The file of the page now, or of one of its own revisions (`?version=<revision id>`)."""
    if raw_version is None:
        return page.document
    revision_id = parsed_id(raw_version)
    revision = page.revisions.filter(pk=revision_id).first() if revision_id else None
    document_id = revision.content.get("document") if revision else None
    if not document_id:
        raise Http404
    return get_document_model().objects.filter(pk=document_id).first()


@require_GET
@group_view
def download(request: HttpRequest, page_id: int) -> HttpResponse:
    page, group, _access = group_page(request, page_id, SharedDocumentPage)
    document = _version_document(page, request.GET.get("version"))
    # Only a file kept in this group's collection: a revision cannot point the view at another one.
    if document is None or document.collection_id != workspace_of(group).collection_id:
        raise Http404
    return stored_file_download(document.file, os.path.basename(document.file.name))
