"""The network's section pages: publication indexes, membership and newsletter landing pages.

Later capabilities fill them (aggregated publications, the membership form, the subscription form);
the pages, their types and slugs exist from the start so that the site's address plan never changes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page


class PublicationKind(models.TextChoices):
    NEWS = "news", _("News")
    EVENT = "event", _("Agenda")
    CALL = "call", _("Calls for projects")
    OFFER = "offer", _("Jobs and volunteering")
    TRAINING = "training", _("Trainings")
    RESOURCE = "resource", _("Resources")
    PROJECT = "project", _("Projects")


class IntroPageMixin(models.Model):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [FieldPanel("title"), FieldPanel("intro")]

    class Meta:
        abstract = True


class PublicationIndexPageMixin(RoutablePageMixin, IntroPageMixin):
    """Aggregates one kind of publication from every member organisation and the network.

    Its addresses: the listing with its filters, RSS and Atom feeds, the agenda's iCalendar file and,
    on the agenda, the visitors' event-proposal form.
    """

    kind = models.CharField(_("kind of publication"), max_length=16, choices=PublicationKind.choices, unique=True)

    content_panels = [*IntroPageMixin.content_panels, FieldPanel("kind")]

    class Meta:
        abstract = True

    @path("")
    def index_route(self, request):
        from ..views.publications import publication_index

        return publication_index(self, request)

    @re_path(r"^flux/(?P<fmt>rss|atom)/$", name="feed")
    def feed_route(self, request, fmt):
        from ..views.feeds import index_feed

        return index_feed(self, request, fmt)

    @path("calendrier/", name="ical")  # Wagtail serves no dotted path: no ".ics" in the URL
    def ical_route(self, request):
        from ..views.feeds import index_ical

        return index_ical(self, request)

    @path("proposer/", name="propose")
    def propose_route(self, request):
        from ..views.proposals import event_proposal

        return event_proposal(self, request)


class PublicationIndexPage(PublicationIndexPageMixin, Page):
    template = "casi_workspace/pages/publication_index_page.html"
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("publication index")
        verbose_name_plural = _("publication indexes")


class MembershipPageMixin(IntroPageMixin):
    """How to join the network; the application form lives here."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from ..views.applications import membership_page_serve

        return membership_page_serve(self, request)


class MembershipPage(MembershipPageMixin, Page):
    template = "casi_workspace/pages/membership_page.html"
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("membership page")
        verbose_name_plural = _("membership pages")


class NewsletterPageMixin(RoutablePageMixin, IntroPageMixin):
    """The newsletter's subscription page and public archive: the sent issues, each at its own address."""

    class Meta:
        abstract = True

    @path("")
    def index_route(self, request):
        from ..views.newsletter import newsletter_page_serve

        return newsletter_page_serve(self, request)

    @path("<int:issue_id>/", name="issue")
    def issue_route(self, request, issue_id):
        from ..views.newsletter import newsletter_issue_serve

        return newsletter_issue_serve(self, request, issue_id)


class NewsletterPage(NewsletterPageMixin, Page):
    template = "casi_workspace/pages/newsletter_page.html"
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("newsletter page")
        verbose_name_plural = _("newsletter pages")
