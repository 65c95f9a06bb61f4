"""An organisation's page: what it shows besides its own columns."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from casi_workspace.conf import get_setting
from casi_workspace.core.images import CARD_IMAGE_SPECS, PROFILE_LOGO_SPECS, images_attach
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.organisations.selectors import organisation_details
from casi_workspace.publications.selectors.listings import organisation_publications_latest


def organisation_page_context(request: HttpRequest, page: OrganisationPage) -> dict[str, Any]:
    """Relations, latest publications, then the logo and the publications' pictures with their renditions: three
    queries whatever the number of items; the feeds' and the map's addresses."""
    details = organisation_details(page, preview=getattr(request, "is_preview", False))
    publications = organisation_publications_latest(page) if page.pk else []
    images_attach([(publications, "image"), ([page], "logo")], *CARD_IMAGE_SPECS, *PROFILE_LOGO_SPECS)
    base_url = page.get_url(request) or ""
    return {
        "details": details,
        "collective_members": details.members,
        "publications": publications,
        "feed_urls": {fmt: f"{base_url}{page.reverse_subpage('feed', kwargs={'fmt': fmt})}" for fmt in ("rss", "atom")},
        "map_tile_url": get_setting("MAP_TILE_URL"),
        "map_tile_attribution": get_setting("MAP_TILE_ATTRIBUTION"),
    }
