"""A working group's document library: folders and shared documents as pages, files as private documents.

Every operation checks the rules of `access.GroupAccess`, goes through Wagtail's revisions and
page actions (so the audit log, versions and the admin see the same thing) and raises WorkingGroupError
with a French message when refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.rich_text import RichText

from casi_workspace.conf import get_setting
from casi_workspace.core.stored_files import files_atomic
from casi_workspace.core.upload_policy import document_extensions, upload_check
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.publications.models.publications import ResourceKind, ResourcePage
from casi_workspace.workgroups.access import GroupAccess, WorkingGroupError, group_access
from casi_workspace.workgroups.models import DocumentFolderPage, MinutesPage, SharedDocumentPage, WorkingGroupPage
from casi_workspace.workgroups.provisioning import working_group_child_restrict, workspace_of
from casi_workspace.workspaces.models import OrganisationWorkspace

TITLE_MAX_LENGTH = 255


def upload_validate(upload: UploadedFile) -> None:
    """A working group's document follows the site's upload policy, up to `GROUP_DOCUMENT_MAX_SIZE`."""
    problem = upload_check(upload, extensions=document_extensions(), limit=get_setting("GROUP_DOCUMENT_MAX_SIZE"))
    if problem:
        raise WorkingGroupError(problem)


def _title(value: str) -> str:
    title = " ".join((value or "").split())[:TITLE_MAX_LENGTH]
    if not title:
        raise WorkingGroupError(_("Give a title."))
    return title


def _group_of(page: Page) -> WorkingGroupPage:
    if isinstance(page, WorkingGroupPage):
        return page
    group = WorkingGroupPage.objects.ancestor_of(page).first()
    if group is None:
        raise WorkingGroupError(_("This page is not in a working group."))
    return group


def _container(page: Page) -> Page:
    """The group page or a folder: where documents and folders may go."""
    page = page.specific
    if not isinstance(page, WorkingGroupPage | DocumentFolderPage):
        raise WorkingGroupError(_("Documents and folders go into the group or one of its folders."))
    return page


def _publish(page: Page, user, *, previous_revision: Revision | None = None) -> None:
    revision = page.save_revision(user=user, log_action=True, previous_revision=previous_revision)
    revision.publish(user=user, skip_permission_checks=True)


def _add_child(parent: Page, page: Page, user) -> Page:
    page.owner = user
    parent.add_child(instance=page)
    log(instance=page, action="wagtail.create", user=user)
    _publish(page, user)
    working_group_child_restrict(page=page)
    return page


def _document_create(upload, *, group: WorkingGroupPage, user, title: str):
    Document = get_document_model()
    document = Document(title=title, collection=workspace_of(group).collection, uploaded_by_user=user)
    document.file = File(upload, name=os.path.basename(upload.name))  # written when the row is saved
    document.file_size = upload.size
    document.save()
    return document


def _checked(user, page: Page) -> tuple[WorkingGroupPage, GroupAccess]:
    group = _group_of(page)
    access = group_access(user, group)
    if not access.reader:
        raise WorkingGroupError(_("This working group's documents are for its members only."), forbidden=True)
    return group, access


def _unlocked(page: Page, user) -> None:
    """A page locked in the admin (Wagtail's locking) is changed by nobody else until it is unlocked."""
    lock = page.get_lock()
    if lock is not None and lock.for_user(user):
        raise WorkingGroupError(
            _("“%(title)s” is locked in the admin: it can be changed once it is unlocked.") % {"title": page.title},
            forbidden=True,
        )


@files_atomic()
def documents_upload(*, parent: Page, uploads: list[UploadedFile], user) -> list[SharedDocumentPage]:
    """Each file becomes a shared document in `parent`; one refused file refuses the whole upload."""
    parent = _container(parent)
    group, access = _checked(user, parent)
    if not access.may_upload:
        raise WorkingGroupError(_("This working group's documents are for its members only."), forbidden=True)
    if not uploads:
        raise WorkingGroupError(_("Choose at least one file."))
    if len(uploads) > get_setting("GROUP_UPLOAD_MAX_FILES"):
        raise WorkingGroupError(
            _("Send at most %(count)s files at once.") % {"count": get_setting("GROUP_UPLOAD_MAX_FILES")}
        )
    for upload in uploads:
        upload_validate(upload)
    pages = []
    for upload in uploads:
        title = _title(os.path.splitext(os.path.basename(upload.name))[0].replace("_", " "))
        document = _document_create(upload, group=group, user=user, title=title)
        pages.append(_add_child(parent, SharedDocumentPage(title=title, document=document, uploaded_by=user), user))
    return pages


@transaction.atomic
def folder_create(*, parent: Page, title: str, user) -> DocumentFolderPage:
    parent = _container(parent)
    _group, access = _checked(user, parent)
    if not access.may_manage_folders:
        raise WorkingGroupError(_("Only the group's coordinators may manage its folders."), forbidden=True)
    return _add_child(parent, DocumentFolderPage(title=_title(title)), user)


@transaction.atomic
def folder_rename(*, folder: DocumentFolderPage, title: str, user) -> DocumentFolderPage:
    _group, access = _checked(user, folder)
    if not access.may_manage_folders:
        raise WorkingGroupError(_("Only the group's coordinators may manage its folders."), forbidden=True)
    _unlocked(folder, user)
    folder.title = _title(title)
    _publish(folder, user)
    return folder


@transaction.atomic
def page_move(*, page: Page, target: Page, user) -> Page:
    """Move a folder or a document to another folder (or the group's top level) of the same group."""
    page = page.specific
    group, access = _checked(user, page)
    target = _container(target)
    if isinstance(page, DocumentFolderPage):
        allowed = access.may_manage_folders
    elif isinstance(page, SharedDocumentPage):
        allowed = access.may_change_document(page.uploaded_by_id, user) or access.may_manage_folders
    else:
        allowed = False
    if not allowed:
        raise WorkingGroupError(_("You may not move this item."), forbidden=True)
    _unlocked(page, user)
    if _group_of(target).pk != group.pk:
        raise WorkingGroupError(_("Items move only inside their own working group."))
    if target.pk == page.pk or target.path.startswith(page.path):
        raise WorkingGroupError(_("A folder cannot move into itself."))
    MovePageAction(page, target, pos="last-child", user=user).execute(skip_permission_checks=True)
    page.refresh_from_db()
    working_group_child_restrict(page=page)
    return page


def page_delete_check(*, page: Page, user) -> None:
    """Raise the refusal `page_delete` would raise, and change nothing: what the confirmation page asks first."""
    page = page.specific
    _group, access = _checked(user, page)
    if isinstance(page, DocumentFolderPage):
        allowed = access.may_manage_folders
    elif isinstance(page, SharedDocumentPage):
        allowed = access.may_change_document(page.uploaded_by_id, user)
    else:
        allowed = access.may_manage_minutes
    if not allowed:
        raise WorkingGroupError(_("You may not delete this item."), forbidden=True)
    _unlocked(page, user)


@transaction.atomic
def page_delete(*, page: Page, user) -> None:
    """Delete a folder (coordinators, or members if the group allows it) or a document (uploader, coordinators)."""
    page = page.specific
    page_delete_check(page=page, user=user)
    DeletePageAction(page, user=user).execute(skip_permission_checks=True)


def _changeable(page: SharedDocumentPage, user, refusal: str) -> WorkingGroupPage:
    """A document its uploader or a coordinator may change, unless it is locked; else `refusal` (403)."""
    group, access = _checked(user, page)
    if not access.may_change_document(page.uploaded_by_id, user):
        raise WorkingGroupError(refusal, forbidden=True)
    _unlocked(page, user)
    return group


@files_atomic()
def document_replace(*, page: SharedDocumentPage, upload: UploadedFile, user) -> SharedDocumentPage:
    """A new version: a new file in a new revision; the previous revisions keep their own files."""
    group = _changeable(page, user, _("Only the person who shared this document, or a coordinator, may replace it."))
    upload_validate(upload)
    page.document = _document_create(upload, group=group, user=user, title=page.title)
    _publish(page, user)
    return page


@transaction.atomic
def document_restore(*, page: SharedDocumentPage, revision_id: int, user) -> SharedDocumentPage:
    """Make an earlier version the current one again, as a new revision (the history is kept)."""
    _changeable(page, user, _("Only the person who shared this document, or a coordinator, may restore a version."))
    revision = page.revisions.filter(pk=revision_id).first()
    if revision is None:
        raise WorkingGroupError(_("This version does not exist."))
    restored = revision.as_object()
    _publish(restored, user, previous_revision=revision)
    return restored


def _publication_organisation(group: WorkingGroupPage) -> OrganisationPage:
    organisation = (
        group.organisation or OrganisationPage.objects.filter(slug=get_setting("PROPOSALS_ORGANISATION")).first()
    )
    if organisation is None:
        raise WorkingGroupError(_("The group has no organisation to publish under."))
    return organisation


def _public_copy(document, organisation: OrganisationPage, user):
    """A copy of the file in the organisation's public collection: the group's collection stays private."""
    Document = get_document_model()
    workspace = OrganisationWorkspace.objects.get(organisation=organisation)
    copy = Document(title=document.title, collection=workspace.collection, uploaded_by_user=user)
    with document.file.open("rb") as source:
        copy.file = File(source, name=os.path.basename(document.file.name))  # written when the row is saved
        copy.file_size = document.file_size
        copy.save()
    return copy


@files_atomic()
def group_item_publish(*, page: Page, user) -> tuple[ResourcePage, bool]:
    """Publish a document or minutes to the network as a Resource under the group's organisation.

    Published at once when that organisation is trusted or the person may publish there; otherwise the
    resource is submitted to the organisation's moderation workflow. Returns the resource and whether it is live.
    """
    page = page.specific
    group, access = _checked(user, page)
    if not access.may_publish:
        raise WorkingGroupError(_("Only the group's coordinators may publish to the network."), forbidden=True)
    organisation = _publication_organisation(group)
    if isinstance(page, SharedDocumentPage):
        if page.document is None:
            raise WorkingGroupError(_("This document has no file."))
        summary = page.description or _("A document shared by the working group “%(group)s”.") % {"group": group.title}
        resource = ResourcePage(
            title=page.title,
            summary=Truncator(summary).chars(400),
            resource_kind=ResourceKind.GUIDE,
            attachments=[("document", _public_copy(page.document, organisation, user))],
        )
    elif isinstance(page, MinutesPage):
        resource = ResourcePage(
            title=page.title,
            summary=_("Minutes of the working group “%(group)s”, meeting of %(date)s.")
            % {"group": group.title, "date": page.meeting_date.strftime("%d/%m/%Y")},
            resource_kind=ResourceKind.ANALYSIS,
            body=[("paragraph", RichText(page.body))],
        )
    else:
        raise WorkingGroupError(_("Only a document or minutes can be published to the network."))
    resource.owner = user
    # A draft until published below: a new page is live by default, which would skip the moderation.
    resource.live = False
    organisation.add_child(instance=resource)
    revision = resource.save_revision(user=user, log_action=True)
    if organisation.is_trusted or resource.permissions_for_user(user).can_publish():
        revision.publish(user=user, skip_permission_checks=True)
        return resource, True
    workflow = resource.get_workflow()
    if workflow is not None:
        workflow.start(resource, user)
    return resource, False


def _version_revisions():
    return Revision.objects.filter(content_type=ContentType.objects.get_for_model(SharedDocumentPage))


def library_documents_in_use(document_ids: Iterable[int]) -> set[int]:
    """The documents among `document_ids` that a shared document, or one of its versions (revisions), uses.

    A revision of a shared-document page points at its own file (replacing makes a new Document), so a file
    that only an older version still points at is needed to restore that version.
    """
    ids = {int(pk) for pk in document_ids if pk is not None}
    if not ids:
        return set()
    current = set(SharedDocumentPage.objects.filter(document_id__in=ids).values_list("document_id", flat=True))
    versions = _version_revisions().filter(content__document__in=list(ids))
    in_versions = versions.values_list("content__document", flat=True)
    return current | {int(pk) for pk in in_versions if pk is not None}


def library_document_protected(document) -> bool:
    """A file the library's versions need is changed through the library only, never in Wagtail's documents admin."""
    return bool(library_documents_in_use([document.pk]))


def library_page_files(page: Page) -> set[int]:
    """The documents a library page holds: the file of each version of a shared document (others hold none)."""
    if not isinstance(page, SharedDocumentPage):
        return set()
    in_versions = _version_revisions().filter(object_id=str(page.pk)).values_list("content__document", flat=True)
    return {int(pk) for pk in [page.document_id, *in_versions] if pk is not None}


def library_files_delete_unused(document_ids: Iterable[int]) -> int:
    """Delete those of `document_ids` that no shared document, no version of one and no other page uses.

    Another page may still hold the file: a shared document copied elsewhere, a version of another page, a
    link from another page's content (Wagtail's reference index). Returns how many documents went.
    """
    ids = set(document_ids)
    if not ids:
        return 0
    ids -= library_documents_in_use(ids)
    Document = get_document_model()
    deleted = 0
    for document in Document.objects.filter(pk__in=ids):
        if ReferenceIndex.get_references_to(document).exists():
            continue
        document.delete()  # Wagtail removes the file from the storage once the transaction commits
        deleted += 1
    return deleted


def library_page_deleting(page: Page) -> None:
    """A library page is being deleted (from the library, the admin, or with its folder or group).

    Its files go with it once the deletion is committed, unless another page or version still uses them:
    read now, while the page's revisions still exist; decided after the commit, when they are gone.
    """
    files = library_page_files(page)
    if files:
        transaction.on_commit(lambda: library_files_delete_unused(files))
