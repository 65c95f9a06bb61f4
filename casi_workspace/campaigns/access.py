"""Who may do what with a campaign: the one answer for the admin's menu, screens and templates."""

from __future__ import annotations

from dataclasses import dataclass

from casi_workspace.core.permissions import user_is_coordinator


@dataclass(frozen=True)
class CampaignAccess:
    """A person's rights on campaigns. The network's coordinators attach and detach any event, and read
    the statistics; association editors attach their own events from the event's page (its content)."""

    user: object

    @property
    def may_manage_programme(self) -> bool:
        return user_is_coordinator(self.user)

    @property
    def may_view_statistics(self) -> bool:
        return user_is_coordinator(self.user)
