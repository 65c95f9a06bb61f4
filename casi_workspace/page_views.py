"""Every view a page type serves, gathered for the page types' route methods (`core.page_routes.page_views`).

Page types live in the domains' `models`, the views above them: a route method reaches its view through
this module, which nothing imports at load time.
"""

from casi_workspace.applications.views import membership_page_serve
from casi_workspace.campaigns.views.public import campaign_feed, campaign_ical, campaign_markers, campaign_programme
from casi_workspace.directory.views.listing import (
    directory_export,
    directory_index,
    directory_markers,
    directory_statistics_view,
)
from casi_workspace.directory.views.organisation import organisation_page_context
from casi_workspace.exchange.selectors import PARTNER_LISTED_KINDS, partner_months, publications_with_partners
from casi_workspace.newsletter.views.public import newsletter_issue_serve, newsletter_page_serve
from casi_workspace.publications.views.feeds import event_ical, index_feed, index_ical, organisation_feed
from casi_workspace.publications.views.indexes import PartnerListing
from casi_workspace.publications.views.indexes import publication_index as publications_index
from casi_workspace.publications.views.proposals import event_proposal
from casi_workspace.registrations.views import event_registration, event_registration_context
from casi_workspace.workgroups.views.pages import group_page_context, working_group_index_context

PARTNER_LISTING = PartnerListing(
    kinds=frozenset(PARTNER_LISTED_KINDS), listing=publications_with_partners, months=partner_months
)


def publication_index(index, request):
    """A publication index, listing on request the partner networks' items of its kind too (the exchange)."""
    return publications_index(index, request, partners=PARTNER_LISTING)


__all__ = [
    "campaign_feed",
    "campaign_ical",
    "campaign_markers",
    "campaign_programme",
    "directory_export",
    "directory_index",
    "directory_markers",
    "directory_statistics_view",
    "event_ical",
    "event_proposal",
    "event_registration",
    "event_registration_context",
    "group_page_context",
    "index_feed",
    "index_ical",
    "membership_page_serve",
    "newsletter_issue_serve",
    "newsletter_page_serve",
    "organisation_feed",
    "organisation_page_context",
    "publication_index",
    "working_group_index_context",
]
