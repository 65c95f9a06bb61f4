"""What organisations publish: news, events, calls for projects, offers, trainings, resources, projects.

Every kind is a page under an organisation's page, so that the organisation's editors' group rights and
its moderation workflow apply to it. The kinds share one concrete table (`PublicationPage`): the network's
indexes, feeds and search read the shared columns in one query, and each index reads its own kind's
table joined to it, never `.specific()` row by row.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index

from casi_workspace.core.editor_tabs import EditorTabsMixin
from casi_workspace.core.images import DETAIL_IMAGE_SPECS, images_attach
from casi_workspace.core.page_routes import page_views
from casi_workspace.core.serializers import CountryCodesField, DocumentsField, OrganisationSummaryField
from casi_workspace.organisations.models import DEPARTMENT_CHOICES, OrganisationPage
from casi_workspace.publications.models.sections import PublicationKind

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class BodyBlock(blocks.StreamBlock):
    """A publication's body: text, titled sections, images (alt text required), quotes, videos, documents."""

    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", max_length=120)
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
    embed = EmbedBlock(label=_("Video or embedded content"), max_width=800)
    document = DocumentChooserBlock(label=_("Document"))

    class Meta:
        required = False


class PublicationTag(TaggedItemBase):
    content_object = ParentalKey(
        "casi_workspace.PublicationPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class PublicationPage(EditorTabsMixin, Page):
    """The columns every kind of publication shares. Not created directly: each kind is a subclass.

    `organisation` and `department` are copied on save (from the parent page, and from the
    organisation when the item names no place) so that listings filter on plain columns.
    """

    kind_value = ""

    kind = models.CharField(_("kind"), max_length=16, choices=PublicationKind.choices, editable=False, db_index=True)
    organisation = models.ForeignKey(
        OrganisationPage,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    summary = models.TextField(
        _("summary"), max_length=400, blank=True, help_text=_("Two or three sentences shown in listings and feeds.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("alternative text of the image"),
        max_length=255,
        blank=True,
        help_text=_("Describe the image for people who cannot see it."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    department = models.CharField(
        _("département"),
        max_length=3,
        choices=DEPARTMENT_CHOICES,
        blank=True,
        db_index=True,
        help_text=_("Where it takes place; the organisation's département when left empty."),
    )
    tags = ClusterTaggableManager(through=PublicationTag, blank=True, verbose_name=_("tags"))

    # Who proposed it from the public site, when a visitor did (seen by coordinators only).
    proposer_name = models.CharField(_("proposed by"), max_length=120, blank=True, editable=False)
    proposer_email = models.EmailField(_("proposer's email"), blank=True, editable=False)

    is_creatable = False
    parent_page_types = ["casi_workspace.OrganisationPage"]
    subpage_types: list[str] = []

    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Main image")),
        FieldPanel("body"),
    ]
    # Each kind puts its own fields between the shared ones: details first, then the body.
    details_panels: list = []
    classification_panels = [FieldPanel("department"), FieldPanel("tags")]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("organisation"),
        index.FilterField("department"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    # Wagtail API v2 (/api/v2/pages/): public columns only, never who proposed the item.
    api_fields = [
        APIField("kind"),
        APIField("summary"),
        APIField("organisation", serializer=OrganisationSummaryField()),
        APIField("department"),
        APIField("tags"),
        APIField("image", serializer=ImageRenditionField("max-800x600")),
        APIField("image_alt"),
        APIField("body"),
        APIField("last_published_at"),
    ]

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    @classmethod
    def panels_for_kind(cls, details: list, *, place: bool = False) -> list:
        """Title, summary, the kind's details, image and body, then département (unless the place has it), tags."""
        classification = cls.classification_panels[1:] if place else cls.classification_panels
        return [*cls.content_panels[:2], *details, *cls.content_panels[2:], *classification]

    def clean(self) -> None:
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Describe the image: its alternative text is required.")})

    def _parent_organisation_id(self) -> int | None:
        if not self.path or self.depth <= 1:
            return None
        parent_path = self.path[: -self.steplen]
        return OrganisationPage.objects.filter(path=parent_path).values_list("pk", flat=True).first()

    def save(self, *args, **kwargs):
        if self.kind_value:
            self.kind = self.kind_value
        if self.organisation_id is None:
            self.organisation_id = self._parent_organisation_id()
        if not self.department and self.organisation_id:
            self.department = (
                OrganisationPage.objects.filter(pk=self.organisation_id).values_list("department", flat=True).first()
                or ""
            )
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        # Routing has just fetched the organisation (this page's parent): reuse it rather than query it again.
        parent = getattr(self, "_cached_parent_obj", None)
        if isinstance(parent, OrganisationPage) and parent.pk == self.organisation_id:
            PublicationPage.organisation.field.set_cached_value(self, parent)
        images_attach([([self], "image")], *DETAIL_IMAGE_SPECS)  # the picture and its link preview, one query
        return super().get_context(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None) -> list[dict]:
        """No address once past the expiry date: the page stays live until `publish_scheduled` runs."""
        if self.expire_at is not None and self.expire_at <= timezone.now():
            return []
        return super().get_sitemap_urls(request)

    @property
    def listing_date(self) -> datetime.datetime | None:
        """The date a listing shows and a feed dates the item by."""
        return self.go_live_at or self.first_published_at or self.latest_revision_created_at

    def structured_data(self) -> dict:
        """schema.org description for search engines (JSON-LD); kinds override `schema_type` and add fields."""
        data: dict = {"@context": "https://schema.org", "@type": self.schema_type, "name": self.title}
        if self.summary:
            data["description"] = self.summary
        url = self.full_url
        if url:
            data["url"] = url
        return data

    schema_type = "CreativeWork"


def _validate_period(start, end, *, end_field: str = "end") -> None:
    if start and end and end < start:
        raise ValidationError({end_field: _("The end cannot be before the start.")})


def _validate_future(page: Page, value, field: str) -> None:
    """A deadline in the past is refused when the item is created (an old item keeps its past deadline)."""
    if value and page.pk is None and value < timezone.localdate():
        raise ValidationError({field: _("The deadline is already past.")})


class PlaceMixin(models.Model):
    """Where something happens: a venue in a commune, or online (one of the two is required)."""

    venue = models.CharField(_("venue"), max_length=160, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    online_url = models.URLField(_("online link"), blank=True, help_text=_("For an online event or training."))

    place_panels = [
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("commune"), FieldPanel("department")]),
                FieldPanel("online_url"),
            ],
            heading=_("Place"),
        )
    ]

    class Meta:
        abstract = True

    def clean_place(self) -> None:
        if not (self.commune.strip() or self.online_url):
            raise ValidationError({"commune": _("Give the commune where it takes place, or an online link.")})

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.commune

    def place_structured_data(self) -> dict:
        if self.is_online:
            return {"@type": "VirtualLocation", "url": self.online_url}
        return {
            "@type": "Place",
            "name": self.venue or self.commune,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": self.address,
                "addressLocality": self.commune,
                "addressCountry": "FR",
            },
        }


class ScheduledPlaceMixin(PlaceMixin):
    """What happens between a `start` and an optional `end`, at a place or online: events and trainings.

    The subclass declares `start` and `end` itself (no field here, so no column moves).
    """

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        _validate_period(self.start, self.end)
        self.clean_place()

    def structured_data(self) -> dict:
        data = super().structured_data()
        data["startDate"] = self.start.isoformat()
        if self.end:
            data["endDate"] = self.end.isoformat()
        return data


class NewsPage(PublicationPage):
    kind_value = PublicationKind.NEWS
    schema_type = "NewsArticle"
    template = "casi_workspace/pages/news_page.html"
    content_panels = PublicationPage.panels_for_kind([])

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")

    def structured_data(self) -> dict:
        data = super().structured_data()
        data["headline"] = self.title[:110]
        if self.first_published_at:
            data["datePublished"] = self.first_published_at.isoformat()
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        if self.organisation_id:
            data["author"] = {"@type": "Organization", "name": self.organisation.title}
        return data


class EventType(models.TextChoices):
    """What kind of event it is: the campaign programme's "kind" filter."""

    CONFERENCE = "conference", _("Talk or debate")
    SCREENING = "screening", _("Film screening")
    EXHIBITION = "exhibition", _("Exhibition")
    WORKSHOP = "workshop", _("Workshop or game")
    SHOW = "show", _("Concert or show")
    MEAL = "meal", _("Meal or market")
    OTHER = "other", _("Other")


class EventPage(RoutablePageMixin, ScheduledPlaceMixin, PublicationPage):
    kind_value = PublicationKind.EVENT
    schema_type = "Event"
    template = "casi_workspace/pages/event_page.html"

    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    price = models.CharField(_("price"), max_length=80, blank=True, help_text=_("For example: free, 5 €."))
    registration_url = models.URLField(_("registration link"), blank=True)
    registration_contact = models.CharField(
        _("registration contact"), max_length=160, blank=True, help_text=_("An email address or a phone number.")
    )
    event_type = models.CharField(
        _("kind of event"), max_length=16, choices=EventType.choices, blank=True, db_index=True
    )
    is_free = models.BooleanField(_("free of charge"), default=False)
    accessible = models.BooleanField(
        _("accessible to people with reduced mobility"), default=False, help_text=_("Step-free venue and toilets.")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The campaign whose programme lists the event (a string reference: campaigns sit above publications).
    # Part of the page, so it follows revisions and moderation; coordinators detach without re-moderating
    # (campaigns/services.py).
    campaign = models.ForeignKey(
        "casi_workspace.CampaignPage",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("A campaign whose dates contain the event, such as the Festival des Solidarités."),
    )

    content_panels = PublicationPage.panels_for_kind(
        [
            FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("Dates")),
            *PlaceMixin.place_panels,
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
                heading=_("Position on the map"),
                classname="collapsed",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("event_type"),
                    FieldPanel("campaign", widget=forms.Select),
                    FieldRowPanel([FieldPanel("is_free"), FieldPanel("accessible")]),
                ],
                heading=_("Kind and campaign"),
            ),
            MultiFieldPanel(
                [FieldPanel("price"), FieldPanel("registration_url"), FieldPanel("registration_contact")],
                heading=_("Registration"),
            ),
        ],
        place=True,
    )
    search_fields = [
        *PublicationPage.search_fields,
        index.SearchField("commune"),
        index.FilterField("start"),
        index.FilterField("campaign"),
    ]
    api_fields = [
        *PublicationPage.api_fields,
        *(APIField(name) for name in ("start", "end", "venue", "address", "commune", "online_url")),
        *(APIField(name) for name in ("price", "registration_url", "registration_contact")),
        *(APIField(name) for name in ("event_type", "is_free", "accessible")),
    ]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    @path("calendrier/", name="ical")  # Wagtail serves no dotted path: no ".ics" in the URL
    def ical_route(self, request):
        return page_views().event_ical(self, request)

    @path("inscription/", name="register")
    def register_route(self, request):
        return page_views().event_registration(self, request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_views().event_registration_context(request, self))
        return context

    def clean(self) -> None:
        super().clean()
        self.clean_campaign()

    def clean_campaign(self) -> None:
        """The event's days must fall within its campaign's (the campaign's own columns, one query)."""
        if not (self.campaign_id and self.start):
            return
        campaign = self.campaign
        first = timezone.localtime(self.start).date()
        last = timezone.localtime(self.end).date() if self.end else first
        if first < campaign.start_date or last > campaign.end_date:
            raise ValidationError(
                {
                    "campaign": _("The event must take place within the campaign's dates (%(start)s – %(end)s).")
                    % {"start": date_format(campaign.start_date), "end": date_format(campaign.end_date)}
                }
            )

    def structured_data(self) -> dict:
        data = super().structured_data()
        data["eventAttendanceMode"] = (
            "https://schema.org/OnlineEventAttendanceMode"
            if self.is_online
            else "https://schema.org/OfflineEventAttendanceMode"
        )
        data["location"] = self.place_structured_data()
        if self.organisation_id:
            data["organizer"] = {"@type": "Organization", "name": self.organisation.title}
        if self.registration_url or self.price:
            offer: dict = {"@type": "Offer", "url": self.registration_url or self.full_url}
            if self.price:
                offer["description"] = self.price
            data["offers"] = offer
        return data


class CallForProjectsPage(PublicationPage):
    kind_value = PublicationKind.CALL
    template = "casi_workspace/pages/call_page.html"

    funder = models.CharField(_("funder"), max_length=160)
    deadline = models.DateField(_("deadline"), db_index=True)
    amount = models.CharField(_("amount"), max_length=120, blank=True, help_text=_("For example: up to 10,000 €."))
    eligibility = RichTextField(_("eligibility"), blank=True, features=RICH_TEXT_FEATURES)
    application_url = models.URLField(_("how to apply (link)"), blank=True)

    content_panels = PublicationPage.panels_for_kind(
        [
            FieldRowPanel([FieldPanel("funder"), FieldPanel("deadline"), FieldPanel("amount")]),
            FieldPanel("eligibility"),
            FieldPanel("application_url"),
        ]
    )
    search_fields = [*PublicationPage.search_fields, index.SearchField("funder"), index.FilterField("deadline")]
    api_fields = [
        *PublicationPage.api_fields,
        *(APIField(name) for name in ("funder", "deadline", "amount", "eligibility", "application_url")),
    ]

    class Meta:
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")

    def clean(self) -> None:
        super().clean()
        _validate_future(self, self.deadline, "deadline")

    @property
    def is_open(self) -> bool:
        return self.deadline >= timezone.localdate()


class OfferKind(models.TextChoices):
    PERMANENT = "permanent", _("Permanent contract")
    FIXED_TERM = "fixed_term", _("Fixed-term contract")
    INTERNSHIP = "internship", _("Internship")
    CIVIC_SERVICE = "civic_service", _("Civic service")
    INTERNATIONAL_VOLUNTEERING = "international_volunteering", _("International volunteering")
    VOLUNTEERING = "volunteering", _("Volunteering")


# schema.org JobPosting employmentType for each kind of offer.
EMPLOYMENT_TYPES = {
    OfferKind.PERMANENT: "FULL_TIME",
    OfferKind.FIXED_TERM: "TEMPORARY",
    OfferKind.INTERNSHIP: "INTERN",
    OfferKind.CIVIC_SERVICE: "VOLUNTEER",
    OfferKind.INTERNATIONAL_VOLUNTEERING: "VOLUNTEER",
    OfferKind.VOLUNTEERING: "VOLUNTEER",
}


class OfferPage(PublicationPage):
    kind_value = PublicationKind.OFFER
    schema_type = "JobPosting"
    template = "casi_workspace/pages/offer_page.html"

    offer_kind = models.CharField(_("kind of offer"), max_length=32, choices=OfferKind.choices, db_index=True)
    commune = models.CharField(_("place"), max_length=120, blank=True, help_text=_("Commune, or country abroad."))
    country = CountryField(_("country"), blank=True, default="FR")
    deadline = models.DateField(_("application deadline"), null=True, blank=True, db_index=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    application_url = models.URLField(_("how to apply (link)"), blank=True)
    application_email = models.EmailField(_("how to apply (email)"), blank=True)

    content_panels = PublicationPage.panels_for_kind(
        [
            FieldRowPanel([FieldPanel("offer_kind"), FieldPanel("deadline"), FieldPanel("start_date")]),
            FieldRowPanel([FieldPanel("commune"), FieldPanel("department"), FieldPanel("country")]),
            FieldRowPanel([FieldPanel("application_url"), FieldPanel("application_email")]),
        ],
        place=True,
    )
    search_fields = [
        *PublicationPage.search_fields,
        index.SearchField("commune"),
        index.FilterField("offer_kind"),
        index.FilterField("deadline"),
    ]
    api_fields = [
        *PublicationPage.api_fields,
        *(APIField(name) for name in ("offer_kind", "commune", "deadline", "start_date")),
        APIField("country", serializer=CountryCodesField()),
        *(APIField(name) for name in ("application_url", "application_email")),
    ]

    class Meta:
        verbose_name = _("job or volunteering offer")
        verbose_name_plural = _("jobs and volunteering offers")

    def clean(self) -> None:
        super().clean()
        _validate_future(self, self.deadline, "deadline")

    def structured_data(self) -> dict:
        data = super().structured_data()
        data["title"] = self.title
        data["description"] = self.summary or self.title
        if self.first_published_at:
            data["datePosted"] = self.first_published_at.date().isoformat()
        if self.deadline:
            data["validThrough"] = datetime.datetime.combine(self.deadline, datetime.time(23, 59)).isoformat()
        data["employmentType"] = EMPLOYMENT_TYPES.get(self.offer_kind, "OTHER")
        if self.organisation_id:
            data["hiringOrganization"] = {"@type": "Organization", "name": self.organisation.title}
        data["jobLocation"] = {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": self.commune,
                "addressCountry": str(self.country or "FR"),
            },
        }
        return data


class TrainingPage(ScheduledPlaceMixin, PublicationPage):
    kind_value = PublicationKind.TRAINING
    schema_type = "Event"
    template = "casi_workspace/pages/training_page.html"

    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    price = models.CharField(_("price"), max_length=80, blank=True)
    registration_url = models.URLField(_("registration link"), blank=True)

    content_panels = PublicationPage.panels_for_kind(
        [
            FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("Dates")),
            FieldPanel("audience"),
            *PlaceMixin.place_panels,
            FieldRowPanel([FieldPanel("price"), FieldPanel("registration_url")]),
        ],
        place=True,
    )
    search_fields = [*PublicationPage.search_fields, index.SearchField("audience"), index.FilterField("start")]
    api_fields = [
        *PublicationPage.api_fields,
        *(APIField(name) for name in ("start", "end", "audience", "venue", "address", "commune", "online_url")),
        *(APIField(name) for name in ("price", "registration_url")),
    ]

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def structured_data(self) -> dict:
        data = super().structured_data()
        data["location"] = self.place_structured_data()
        if self.audience:
            data["audience"] = {"@type": "Audience", "audienceType": self.audience}
        return data


class ResourceKind(models.TextChoices):
    ANALYSIS = "analysis", _("Analysis")
    SURVEY = "survey", _("Survey")
    GUIDE = "guide", _("Guide")
    POSITION = "position", _("Position paper")


class ResourcePage(PublicationPage):
    kind_value = PublicationKind.RESOURCE
    template = "casi_workspace/pages/resource_page.html"

    resource_kind = models.CharField(_("kind of resource"), max_length=16, choices=ResourceKind.choices, db_index=True)
    attachments = StreamField(
        [("document", DocumentChooserBlock(label=_("Document")))],
        verbose_name=_("attached documents"),
        blank=True,
    )

    content_panels = PublicationPage.panels_for_kind([FieldPanel("resource_kind"), FieldPanel("attachments")])
    search_fields = [*PublicationPage.search_fields, index.FilterField("resource_kind")]
    api_fields = [
        *PublicationPage.api_fields,
        APIField("resource_kind"),
        APIField("attachments", serializer=DocumentsField()),
    ]

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class ProjectPage(PublicationPage):
    kind_value = PublicationKind.PROJECT
    template = "casi_workspace/pages/project_page.html"

    countries = CountryField(_("countries"), multiple=True, blank=True)
    partners = models.TextField(_("partners"), blank=True, help_text=_("One partner per line."))
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING, db_index=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    content_panels = PublicationPage.panels_for_kind(
        [
            FieldRowPanel([FieldPanel("status"), FieldPanel("start_date"), FieldPanel("end_date")]),
            FieldPanel("countries"),
            FieldPanel("partners"),
        ]
    )
    search_fields = [*PublicationPage.search_fields, index.SearchField("partners"), index.FilterField("status")]
    api_fields = [
        *PublicationPage.api_fields,
        APIField("countries", serializer=CountryCodesField()),
        *(APIField(name) for name in ("partners", "status", "start_date", "end_date")),
    ]

    class Meta:
        verbose_name = _("operational project")
        verbose_name_plural = _("operational projects")

    def clean(self) -> None:
        super().clean()
        _validate_period(self.start_date, self.end_date, end_field="end_date")

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


PUBLICATION_MODELS: dict[str, type[PublicationPage]] = {
    PublicationKind.NEWS: NewsPage,
    PublicationKind.EVENT: EventPage,
    PublicationKind.CALL: CallForProjectsPage,
    PublicationKind.OFFER: OfferPage,
    PublicationKind.TRAINING: TrainingPage,
    PublicationKind.RESOURCE: ResourcePage,
    PublicationKind.PROJECT: ProjectPage,
}
