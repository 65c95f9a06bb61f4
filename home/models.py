"""The network's home page."""

from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from casi_workspace.core.images import CARD_IMAGE_SPECS, CARD_LOGO_SPECS, images_attach
from casi_workspace.core.visibility import pages_exclude_private, pages_public
from casi_workspace.models import CallForProjectsPage, EventPage, MembershipStatus, NewsPage, OrganisationPage
from casi_workspace.publications.selectors.listings import calls_open, events_next, publications_latest

HOME_ITEMS = 3
HOME_MEMBERS = 6
# The hero's renditions ({% srcset_image page.hero_image fill-{640x360,1200x675} format-webp %}).
HERO_IMAGE_SPECS = ("fill-640x360|format-webp", "fill-1200x675|format-webp")


def members_featured(limit: int = HOME_MEMBERS) -> list[OrganisationPage]:
    """A few live, public member organisations, those with a logo first, the latest to join first: one query."""
    queryset = pages_exclude_private(OrganisationPage.objects.live().filter(membership_status=MembershipStatus.MEMBER))
    without_logo = Case(When(logo__isnull=True, then=Value(1)), default=Value(0))
    return list(queryset.order_by(without_logo, "-first_published_at", "-pk")[:limit])


class HomePage(Page):
    headline = models.CharField(_("headline"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A wide picture shown beside the headline (16:9, at least 1200 pixels wide)."),
    )
    hero_image_alt = models.CharField(
        _("alternative text of the hero image"),
        max_length=255,
        blank=True,
        help_text=_("Describe the picture if it tells something; leave empty if it is only decorative."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("headline"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading=_("Hero image")),
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        """The sections, the latest news, the next events, the open calls, a few members, the main links.

        A fixed number of queries whatever the number of publications or organisations: one per list, one for
        the addresses of the sections, one for every picture with its renditions.
        """
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = pages_public(self.get_children().live().in_menu())
        context["news"] = publications_latest(NewsPage, limit=HOME_ITEMS)
        context["events"] = events_next(EventPage, limit=HOME_ITEMS)
        context["calls"] = calls_open(CallForProjectsPage, limit=HOME_ITEMS)
        context["members"] = members_featured()
        context["links"] = self._section_links(request)
        images_attach(
            [
                ([*context["news"], *context["events"], *context["calls"]], "image"),
                (context["members"], "logo"),
                ([self], "hero_image"),
            ],
            *CARD_IMAGE_SPECS,
            *CARD_LOGO_SPECS,
            *HERO_IMAGE_SPECS,
        )
        return context

    def _section_links(self, request) -> dict[str, str]:
        """The index of each kind ("news", "event"…), the directory, the membership and the newsletter pages."""
        pages = (
            Page.objects.live()
            .filter(
                Q(publicationindexpage__isnull=False)
                | Q(newsletterpage__isnull=False)
                | Q(directorypage__isnull=False)
                | Q(membershippage__isnull=False)
            )
            .annotate(
                kind=Case(
                    When(publicationindexpage__isnull=False, then=F("publicationindexpage__kind")),
                    When(directorypage__isnull=False, then=Value("directory")),
                    When(membershippage__isnull=False, then=Value("membership")),
                    default=Value("newsletter"),
                    output_field=CharField(),
                )
            )
            .order_by("path")
            .only("id", "path", "url_path")
        )
        links: dict[str, str] = {}
        for page in pages:
            links.setdefault(page.kind, page.get_url(request))
        return links
