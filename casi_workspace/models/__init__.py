"""One import path for every model of the plugin."""

from .organisations import (
    ActorType,
    DirectoryPage,
    DirectoryPageMixin,
    MembershipStatus,
    OrganisationPage,
    OrganisationPageMixin,
)
from .sections import (
    MembershipPage,
    MembershipPageMixin,
    NewsletterPage,
    NewsletterPageMixin,
    PublicationIndexPage,
    PublicationIndexPageMixin,
    PublicationKind,
)
from .workgroups import (
    WorkingGroupIndexPage,
    WorkingGroupIndexPageMixin,
    WorkingGroupPage,
    WorkingGroupPageMixin,
    WorkingGroupVisibility,
)
from .workspaces import OrganisationWorkspace, WorkingGroupWorkspace

__all__ = [
    "ActorType",
    "DirectoryPage",
    "DirectoryPageMixin",
    "MembershipPage",
    "MembershipPageMixin",
    "MembershipStatus",
    "NewsletterPage",
    "NewsletterPageMixin",
    "OrganisationPage",
    "OrganisationPageMixin",
    "OrganisationWorkspace",
    "PublicationIndexPage",
    "PublicationIndexPageMixin",
    "PublicationKind",
    "WorkingGroupIndexPage",
    "WorkingGroupIndexPageMixin",
    "WorkingGroupPage",
    "WorkingGroupPageMixin",
    "WorkingGroupVisibility",
    "WorkingGroupWorkspace",
]
