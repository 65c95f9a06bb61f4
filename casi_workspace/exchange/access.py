"""Who may do what with partner networks: one answer for the admin's views, menus and buttons.

The network's coordinators follow sources (add, change, remove, hide them), read what was received, hide or show
an item, and decide on likely duplicates. A departmental collective's coordinators get none of it: partner
networks are regional ones, followed for the whole network, and what the public sees of them is the network's
choice. Nobody, not even a superuser, adds, rewrites or deletes a partner item here: it is a copy of what the
partner published, kept in step by the fetches (deleting one would only bring it back at the next fetch;
hiding it is what keeps it off the site).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

from casi_workspace.exchange.models import PartnerItem

HIDE_ITEM_PERMISSION = "casi_workspace.change_partneritem"
HIDE_SOURCE_PERMISSION = "casi_workspace.change_partnersource"


class PartnerItemPermissionPolicy(ModelPermissionPolicy):
    """Partner items: read, and "change" (which is hiding and showing: the edit form holds nothing else)."""

    NEVER = frozenset({"add", "delete"})

    def __init__(self) -> None:
        super().__init__(PartnerItem)

    def user_has_permission(self, user, action: str) -> bool:
        return action not in self.NEVER and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in self.NEVER]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


def may_hide_item(user) -> bool:
    return user.is_active and user.has_perm(HIDE_ITEM_PERMISSION)


def may_hide_source(user) -> bool:
    return user.is_active and user.has_perm(HIDE_SOURCE_PERMISSION)


def may_review_duplicates(user) -> bool:
    """Deciding that a partner item is another's duplicate hides it: whoever may hide items."""
    return may_hide_item(user)
