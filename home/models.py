"""The network's home page."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from casi_workspace.core.visibility import pages_public
from casi_workspace.models import CallForProjectsPage, EventPage, NewsPage
from casi_workspace.publications.selectors.listings import calls_open, events_next, publications_latest

HOME_ITEMS = 3


class HomePage(Page):
    headline = models.CharField(_("headline"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("intro")]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        """The sections, the latest news, the next events, the open calls and the newsletter's address.

        A fixed number of queries whatever the number of publications: one per list, one for the
        addresses of the indexes and of the newsletter page.
        """
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = pages_public(self.get_children().live().in_menu())
        context["news"] = publications_latest(NewsPage, limit=HOME_ITEMS)
        context["events"] = events_next(EventPage, limit=HOME_ITEMS)
        context["calls"] = calls_open(CallForProjectsPage, limit=HOME_ITEMS)
        context["links"] = self._section_links(request)
        return context

    def _section_links(self, request) -> dict[str, str]:
        """The index of each kind ("news", "event"…) and the newsletter page ("newsletter"), by address."""
        pages = (
            Page.objects.live()
            .filter(Q(publicationindexpage__isnull=False) | Q(newsletterpage__isnull=False))
            .annotate(kind=F("publicationindexpage__kind"))
            .only("id", "path", "url_path")
        )
        links: dict[str, str] = {}
        for page in pages:
            links.setdefault(page.kind or "newsletter", page.get_url(request))
        return links
