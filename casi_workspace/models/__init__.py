"""One import path for every model of the plugin."""

from .applications import ApplicationStatus, MembershipApplication
from .organisations import (
    ActorType,
    DirectoryPage,
    DirectoryPageMixin,
    MembershipStatus,
    OrganisationPage,
    OrganisationPageMixin,
    OrganisationTag,
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
from .thesaurus import Sector, SustainableDevelopmentGoal, Zone
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
    "ApplicationStatus",
    "DirectoryPage",
    "DirectoryPageMixin",
    "MembershipApplication",
    "MembershipPage",
    "MembershipPageMixin",
    "MembershipStatus",
    "NewsletterPage",
    "NewsletterPageMixin",
    "OrganisationPage",
    "OrganisationPageMixin",
    "OrganisationTag",
    "OrganisationWorkspace",
    "PublicationIndexPage",
    "PublicationIndexPageMixin",
    "PublicationKind",
    "Sector",
    "SustainableDevelopmentGoal",
    "WorkingGroupIndexPage",
    "WorkingGroupIndexPageMixin",
    "WorkingGroupPage",
    "WorkingGroupPageMixin",
    "WorkingGroupVisibility",
    "WorkingGroupWorkspace",
    "Zone",
]
