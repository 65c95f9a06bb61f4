"""The network's publication indexes: one per kind, with its listing, feeds, calendar and proposal form."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page

from casi_workspace.core.editor_tabs import EditorTabsMixin, search_panels
from casi_workspace.core.models import IntroPageMixin
from casi_workspace.core.page_routes import page_views


class PublicationKind(models.TextChoices):
    NEWS = "news", _("News")
    EVENT = "event", _("Agenda")
    CALL = "call", _("Calls for projects")
    OFFER = "offer", _("Jobs and volunteering")
    TRAINING = "training", _("Trainings")
    RESOURCE = "resource", _("Resources")
    PROJECT = "project", _("Projects")


class PublicationIndexPageMixin(EditorTabsMixin, RoutablePageMixin, IntroPageMixin):
    """Aggregates one kind of publication from every member organisation and the network.

    Its addresses: the listing with its filters, RSS and Atom feeds, the agenda's iCalendar file and,
    on the agenda, the visitors' event-proposal form.
    """

    kind = models.CharField(_("kind of publication"), max_length=16, choices=PublicationKind.choices, unique=True)

    content_panels = [*IntroPageMixin.content_panels, FieldPanel("kind")]
    promote_panels = search_panels(main_menu=True)

    class Meta:
        abstract = True

    @path("")
    def index_route(self, request):
        return page_views().publication_index(self, request)

    @re_path(r"^flux/(?P<fmt>rss|atom)/$", name="feed")
    def feed_route(self, request, fmt):
        return page_views().index_feed(self, request, fmt)

    @path("calendrier/", name="ical")  # Wagtail serves no dotted path: no ".ics" in the URL
    def ical_route(self, request):
        return page_views().index_ical(self, request)

    @path("proposer/", name="propose")
    def propose_route(self, request):
        return page_views().event_proposal(self, request)


class PublicationIndexPage(PublicationIndexPageMixin, Page):
    template = "casi_workspace/pages/publication_index_page.html"
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("publication index")
        verbose_name_plural = _("publication indexes")
