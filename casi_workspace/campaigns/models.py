"""A campaign (such as the Festival des Solidarités) and the generated file of its printable programme.

Events point at their campaign (`EventPage.campaign`, in publications): the link is part of the event's
content. The printed programme is not content: it lives in its own row, outside the page's revisions, so
that publishing an old revision of the campaign never brings back an old file.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page

from casi_workspace.core.editor_tabs import EditorTabsMixin, search_panels
from casi_workspace.core.models import IntroPageMixin
from casi_workspace.core.page_routes import page_views


class CampaignPageMixin(EditorTabsMixin, RoutablePageMixin, IntroPageMixin):
    """A campaign's page: its dates, presentation and partners, and its programme of member events.

    Its addresses: the programme with filters (the page itself), the events' map markers, RSS feed and
    iCalendar file.
    """

    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    presentation = RichTextField(_("presentation"), blank=True)
    partners = models.TextField(
        _("partners"), blank=True, help_text=_("One partner per line: funders, local authorities, co-organisers.")
    )

    content_panels = [
        *IntroPageMixin.content_panels,
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Dates")),
        FieldPanel("presentation"),
        FieldPanel("partners"),
    ]
    promote_panels = search_panels(main_menu=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})

    @property
    def partner_names(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    @path("")
    def programme_route(self, request):
        return page_views().campaign_programme(self, request)

    @path("carte/", name="markers")
    def markers_route(self, request):
        return page_views().campaign_markers(self, request)

    @re_path(r"^flux/(?P<fmt>rss|atom)/$", name="feed")
    def feed_route(self, request, fmt):
        return page_views().campaign_feed(self, request, fmt)

    @path("calendrier/", name="ical")  # Wagtail serves no dotted path: no ".ics" in the URL
    def ical_route(self, request):
        return page_views().campaign_ical(self, request)


class CampaignPage(CampaignPageMixin, Page):
    template = "casi_workspace/pages/campaign_page.html"
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")


class CampaignProgramme(models.Model):
    """The printable programme (PDF) of a campaign, rebuilt by a task whenever the programme changes.

    `requested_at` moves at every change, `built_at` to the moment a build started: a build whose
    `built_at` is already past the last request has nothing to do, so that a burst of changes makes one PDF.
    """

    campaign = models.OneToOneField(CampaignPage, on_delete=models.CASCADE, related_name="programme")
    pdf = models.FileField(_("printable programme"), upload_to="campagnes/", blank=True)
    requested_at = models.DateTimeField(_("change requested at"), null=True, blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    event_count = models.PositiveIntegerField(_("events in the file"), default=0)
    build_seconds = models.FloatField(_("build time (seconds)"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign programme")
        verbose_name_plural = _("campaign programmes")

    def __str__(self) -> str:
        return str(self.campaign)

    @property
    def is_stale(self) -> bool:
        return self.requested_at is not None and (self.built_at is None or self.built_at < self.requested_at)
