"""Who may see and manage an event's registrations: its organisers and the coordinators, nobody else.

One rule for the organiser's pages, the exports and the admin: whoever may edit the event page — the
editors of the association that publishes it, its collective's coordinators and the network's (Wagtail's
page permissions, given by workspaces/provisioning). Registrations are personal data: an editor of
another association never sees them.
"""

from __future__ import annotations

from casi_workspace.publications.models.publications import EventPage


def may_manage_registrations(user, event: EventPage) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return event.permissions_for_user(user).can_edit()
