"""The campaign page's addresses: the programme with its filters, its map markers, RSS feed and iCalendar file.

Each answers in a fixed number of queries: the filters' choices (two), the page of events (a count and
the rows with their organisation), the printed programme's row; links come from the site's root paths.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from casi_workspace.campaigns.forms import ProgrammeFilterForm
from casi_workspace.campaigns.models import CampaignPage, CampaignProgramme
from casi_workspace.campaigns.selectors import (
    campaign_days,
    campaign_events,
    programme_filter,
    programme_filter_choices,
    programme_group,
    programme_markers,
)
from casi_workspace.conf import get_setting
from casi_workspace.core.pagination import paginate
from casi_workspace.publications.models.publications import EventPage
from casi_workspace.publications.views.feeds import (
    FEED_CLASSES,
    FEED_SIZE,
    ICAL_CONTENT_TYPE,
    calendar_body,
    page_feed,
    site_name,
    with_tag_names,
)

# Events per page of the programme: a regional programme fits in a few pages, a national one is paginated.
PROGRAMME_PAGE_SIZE = 60
# The iCalendar file lists every event of a campaign, up to this many (a national festival counts 4,000).
CAMPAIGN_ICAL_MAX = 5000


def _filtered(campaign: CampaignPage, request: HttpRequest):
    base = campaign_events(campaign)
    form = ProgrammeFilterForm(
        request.GET or None, choices=programme_filter_choices(base), days=campaign_days(campaign)
    )
    filters = form.filters()
    return form, filters, programme_filter(base, filters)


def _links(campaign: CampaignPage, request: HttpRequest) -> dict[str, str]:
    query = request.GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    base = campaign.get_url(request) or ""
    return {
        "index": base,
        "markers": f"{base}{campaign.reverse_subpage('markers')}{suffix}",
        "rss": f"{base}{campaign.reverse_subpage('feed', kwargs={'fmt': 'rss'})}",
        "ical": f"{base}{campaign.reverse_subpage('ical')}",
    }


def campaign_programme(campaign: CampaignPage, request: HttpRequest) -> TemplateResponse:
    """The campaign's presentation and its programme: one page of events, grouped by day and commune."""
    form, filters, events = _filtered(campaign, request)
    page_obj = paginate(request, events, PROGRAMME_PAGE_SIZE)
    page_obj.object_list = list(page_obj.object_list)
    programme = CampaignProgramme.objects.filter(campaign=campaign).first()
    context = campaign.get_context(request)
    context.update(
        {
            "filter_form": form,
            "filters": filters,
            "events": page_obj,
            "days": programme_group(page_obj.object_list),
            "links": _links(campaign, request),
            "programme_pdf": programme if programme and programme.pdf else None,
            "form_action": campaign.get_url(request),
            "map_tile_url": get_setting("MAP_TILE_URL"),
            "map_tile_attribution": get_setting("MAP_TILE_ATTRIBUTION"),
        }
    )
    return TemplateResponse(request, campaign.get_template(request), context)


def campaign_markers(campaign: CampaignPage, request: HttpRequest) -> JsonResponse:
    """The filtered events' positions for the map; each marker links to its event."""
    _form, _filters, events = _filtered(campaign, request)
    markers = programme_markers(events)
    for marker in markers:
        page = EventPage(pk=marker.pop("id"), url_path=marker.pop("url_path"), title=marker["name"])
        marker["url"] = page.get_url(request) or ""
        start = timezone.localtime(marker.pop("start"))
        marker["name"] = f"{marker['name']} — {marker['commune']}, {start:%d/%m %H:%M}"
    return JsonResponse({"count": len(markers), "markers": markers})


def campaign_feed(campaign: CampaignPage, request: HttpRequest, fmt: str) -> HttpResponse:
    """The campaign's latest events in its programme (RSS or Atom), newest announced first."""
    if fmt not in FEED_CLASSES:
        raise Http404
    events = campaign_events(campaign).order_by("-first_published_at", "-pk")[:FEED_SIZE]
    description = _("Programme of %(campaign)s") % {"campaign": campaign.title}
    return page_feed(campaign, request, fmt, description=description, items=with_tag_names(events))


def campaign_ical(campaign: CampaignPage, request: HttpRequest) -> HttpResponse:
    """Every public event of the campaign as a calendar to subscribe to."""
    events = campaign_events(campaign).order_by("start", "pk")[:CAMPAIGN_ICAL_MAX]
    body = calendar_body(f"{campaign.title} — {site_name(request)}", with_tag_names(events), request)
    response = HttpResponse(body, content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{campaign.slug}.ics")
    return response
