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
from .teams import Invitation, MembershipRole, OrganisationMembership
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
    "Invitation",
    "MembershipApplication",
    "MembershipPage",
    "MembershipPageMixin",
    "MembershipRole",
    "MembershipStatus",
    "NewsletterPage",
    "NewsletterPageMixin",
    "OrganisationMembership",
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
