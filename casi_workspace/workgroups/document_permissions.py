"""Wagtail's documents admin may not change or delete the file of a shared document's version.

Each revision of a working group's shared document points at its own Document, in the group's collection,
uploaded by its uploader (or a coordinator). Wagtail's document policy lets the uploader (and anyone with
`change_document`) edit or delete it at `/admin/documents/…`, which would break the versions that point at
it. This policy, registered for the document model in wagtail_hooks, refuses "change" and "delete" on such
files to everyone; the library replaces and deletes them, and deleting the page is the way to remove them.
"""

from __future__ import annotations

from wagtail.documents import get_document_model_string
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from casi_workspace.workgroups.services.library import library_document_protected

PROTECTED_ACTIONS = frozenset({"change", "delete"})


class LibraryDocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's own policy for documents, less "change" and "delete" on the library's version files."""

    def __init__(self) -> None:
        super().__init__(
            get_document_model_string(), auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
        )

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        if PROTECTED_ACTIONS.intersection(actions) and library_document_protected(instance):
            actions = [action for action in actions if action not in PROTECTED_ACTIONS]
            if not actions:
                return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)
