"""The coordinators' campaign screens in the admin: the list of campaigns, each one's programme (attach,
detach) and statistics (with their CSV).

Only network coordinators see them (`CampaignAccess`); everyone else gets the 403 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from casi_workspace.campaigns.access import CampaignAccess
from casi_workspace.campaigns.exports.statistics_csv import statistics_csv_response
from casi_workspace.campaigns.forms import AttachForm
from casi_workspace.campaigns.models import CampaignPage, CampaignProgramme
from casi_workspace.campaigns.selectors import attach_candidates, campaign_attached, campaign_statistics
from casi_workspace.campaigns.services import campaign_event_attach, campaign_event_detach
from casi_workspace.core.errors import CasiError, answer_403
from casi_workspace.core.pagination import paginate
from casi_workspace.publications.models.publications import EventPage
from casi_workspace.registrations.selectors import confirmed_places_by_event


def _require_coordinator(request: HttpRequest) -> None:
    if not CampaignAccess(request.user).may_manage_programme:
        raise PermissionDenied


@never_cache
@answer_403
def campaign_list(request: HttpRequest) -> TemplateResponse:
    _require_coordinator(request)
    campaigns = CampaignPage.objects.order_by("-start_date", "pk")
    return TemplateResponse(request, "casi_workspace/admin/campaigns.html", {"campaigns": paginate(request, campaigns)})


@never_cache
@answer_403
def campaign_programme_admin(request: HttpRequest, pk: int) -> TemplateResponse:
    """The events attached to the campaign, each with a "detach" button, and the form to attach one."""
    _require_coordinator(request)
    campaign = get_object_or_404(CampaignPage, pk=pk)
    page_obj = paginate(request, campaign_attached(campaign), 100)
    context = {
        "campaign": campaign,
        "events": page_obj,
        "attach_form": AttachForm(candidates=attach_candidates(campaign)),
        "programme": CampaignProgramme.objects.filter(campaign=campaign).first(),
    }
    return TemplateResponse(request, "casi_workspace/admin/campaign_programme.html", context)


def _programme_change(request: HttpRequest, campaign: CampaignPage, event_pk: int, *, attach: bool) -> HttpResponse:
    """Attach or detach the event, tell the coordinator how it went, back to the campaign's programme."""
    event = get_object_or_404(EventPage, pk=event_pk)
    change = campaign_event_attach if attach else campaign_event_detach
    try:
        change(campaign=campaign, event=event)
    except CasiError as error:
        messages.error(request, error.message)
    else:
        done = _("“%(title)s” is in the programme.") if attach else _("“%(title)s” is no longer in the programme.")
        messages.success(request, done % {"title": event.title})
    return redirect("casi_campaigns:programme", pk=campaign.pk)


@require_POST
@answer_403
def campaign_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach one of the events the form offers (live, within the campaign's dates, in no campaign)."""
    _require_coordinator(request)
    campaign = get_object_or_404(CampaignPage, pk=pk)
    form = AttachForm(request.POST, candidates=attach_candidates(campaign))
    if not form.is_valid():
        messages.error(request, _("Choose an event among those listed."))
        return redirect("casi_campaigns:programme", pk=campaign.pk)
    return _programme_change(request, campaign, form.cleaned_data["event"], attach=True)


@require_POST
@answer_403
def campaign_detach(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    _require_coordinator(request)
    return _programme_change(request, get_object_or_404(CampaignPage, pk=pk), event_pk, attach=False)


@never_cache
@answer_403
def campaign_statistics_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Counts for the activity report, on screen or as CSV (`?format=csv`)."""
    if not CampaignAccess(request.user).may_view_statistics:
        raise PermissionDenied
    campaign = get_object_or_404(CampaignPage, pk=pk)
    registrations = confirmed_places_by_event(EventPage.objects.filter(campaign=campaign).values("pk"))
    statistics = campaign_statistics(campaign, registrations_by_event=registrations)
    if request.GET.get("format") == "csv":
        return statistics_csv_response(campaign, statistics)
    context = {
        "campaign": campaign,
        "statistics": statistics,
        "csv_url": f"{reverse('casi_campaigns:statistics', args=[campaign.pk])}?format=csv",
    }
    return TemplateResponse(request, "casi_workspace/admin/campaign_statistics.html", context)


class CampaignsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return CampaignAccess(request.user).may_manage_programme


class CampaignsViewSet(ViewSet):
    name = "casi_campaigns"
    url_prefix = "casi_workspace/campagnes"
    icon = "date"
    menu_label = gettext_lazy("Campaigns")
    menu_name = "casi-campaigns"
    menu_order = 96
    add_to_admin_menu = True
    menu_item_class = CampaignsMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", campaign_list, name="index"),
            path("<int:pk>/programme/", campaign_programme_admin, name="programme"),
            path("<int:pk>/rattacher/", campaign_attach, name="attach"),
            path("<int:pk>/detacher/<int:event_pk>/", campaign_detach, name="detach"),
            path("<int:pk>/statistiques/", campaign_statistics_view, name="statistics"),
        ]
