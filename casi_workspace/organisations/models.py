"""The network's actors: the directory and one page per organisation."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from localflavor.fr.fr_department import DEPARTMENT_CHOICES_PER_REGION
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page, PagePermissionTester
from wagtail.search import index

from casi_workspace.core.editor_tabs import EditorTabsMixin, RegisteredPanels, search_panels
from casi_workspace.core.models import LiveOnlyFieldsMixin
from casi_workspace.core.page_routes import page_views
from casi_workspace.core.permissions import user_is_coordinator
from casi_workspace.core.serializers import CountryCodesField, NamesField, OrganisationSummaryField
from casi_workspace.core.validators import validate_rna, validate_siren, validate_siret

DEPARTMENT_CHOICES = [(code, f"{name} ({code})") for code, name, _region in DEPARTMENT_CHOICES_PER_REGION]


class ActorType(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    COLLECTIVE = "collective", _("Collective or network")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    EDUCATION = "education", _("School or university")
    POPULAR_EDUCATION = "popular_education", _("Popular-education body")
    PUBLIC_BODY = "public_body", _("Public body")
    BUSINESS = "business", _("Social-economy company or business")
    OTHER = "other", _("Other")


class MembershipStatus(models.TextChoices):
    MEMBER = "member", _("Member")
    ACTOR = "actor", _("Non-member actor")
    FORMER = "former", _("Former member")


class DirectoryPageMixin(EditorTabsMixin, RoutablePageMixin, models.Model):
    """The directory of actors: filters, map, open-data exports and statistics of the pages below it."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [TitleFieldPanel("title"), FieldPanel("intro")]
    promote_panels = search_panels(main_menu=True)

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Reach an organisation (and its publications) with one query where Wagtail's routing takes two.

        Wagtail fetches the child page, then its specific row; every child of a directory is an
        organisation, so its own model reads both at once. The directory's sub-addresses still come first.
        """
        if self.live and path_components:
            try:
                match = self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                match = None
            if match is None:
                organisation = OrganisationPage.objects.child_of(self).filter(slug=path_components[0]).first()
                if organisation is not None:
                    organisation._cached_parent_obj = self
                    return organisation.route(request, path_components[1:])
        return super().route(request, path_components)

    @path("")
    def index_route(self, request):
        return page_views().directory_index(self, request)

    @path("carte/", name="markers")
    def markers_route(self, request):
        return page_views().directory_markers(self, request)

    @re_path(r"^export/(?P<fmt>csv|json|xlsx)/$", name="export")
    def export_route(self, request, fmt):
        return page_views().directory_export(self, request, fmt)

    @path("etat-des-lieux/", name="statistics")
    def statistics_route(self, request):
        return page_views().directory_statistics_view(self, request)


class DirectoryPage(DirectoryPageMixin, Page):
    template = "casi_workspace/pages/directory_page.html"
    subpage_types = ["casi_workspace.OrganisationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("directory of actors")
        verbose_name_plural = _("directories of actors")


class OrganisationPagePermissionTester(PagePermissionTester):
    """Only the network's coordinators delete or move an organisation page: its workspace hangs on it.

    Wagtail lets anyone who may publish a leaf page delete (and so move) it; for an organisation
    that would let a trusted association, or its collective, remove it from the directory.
    """

    def _coordinator(self) -> bool:
        return user_is_coordinator(self.user)

    def can_delete(self, ignore_bulk=False) -> bool:
        """Its publications go with it: coordinators need no `bulk_delete` right (which would reach every section)."""
        return self._coordinator() and super().can_delete(ignore_bulk=True)

    def can_move(self) -> bool:
        return super().can_move() and self._coordinator()


class OrganisationPageMixin(EditorTabsMixin, RoutablePageMixin, LiveOnlyFieldsMixin, models.Model):
    """A member or known actor of the network. Its subtree is the association's workspace.

    Its publications are its child pages; its feeds (everything it published) are sub-addresses.
    Membership, collective and trust grant rights: they live on the live record only (`LiveOnlyFieldsMixin`),
    and so does being a collective (which gives a coordinators' group and a moderation workflow).
    """

    live_only_fields = ("membership_status", "parent_collective", "is_trusted")

    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    rna = models.CharField(_("RNA number"), max_length=10, blank=True, validators=[validate_rna])
    siren = models.CharField(_("SIREN number"), max_length=9, blank=True, db_index=True, validators=[validate_siren])
    siret = models.CharField(_("SIRET number"), max_length=14, blank=True, validators=[validate_siret])
    actor_type = models.CharField(
        _("actor type"), max_length=32, choices=ActorType.choices, default=ActorType.ASSOCIATION
    )
    membership_status = models.CharField(
        _("membership status"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.MEMBER
    )
    description = RichTextField(_("description"), blank=True)
    address = models.CharField(_("head-office address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    department = models.CharField(_("département"), max_length=3, choices=DEPARTMENT_CHOICES, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    zones = ParentalManyToManyField("casi_workspace.Zone", verbose_name=_("zones of intervention"), blank=True)
    countries = CountryField(_("countries of intervention"), multiple=True, blank=True)
    sectors = ParentalManyToManyField(
        "casi_workspace.Sector", verbose_name=_("sectors"), blank=True, related_name="organisations"
    )
    sdgs = ParentalManyToManyField(
        "casi_workspace.SustainableDevelopmentGoal",
        verbose_name=_("sustainable development goals"),
        blank=True,
        related_name="organisations",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    public_email = models.EmailField(_("public email"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=30, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    private_email = models.EmailField(
        _("private email"), blank=True, help_text=_("Seen by the network's coordinators only.")
    )
    private_phone = models.CharField(
        _("private phone"), max_length=30, blank=True, help_text=_("Seen by the network's coordinators only.")
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    parent_collective = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        verbose_name=_("departmental collective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collective_members",
        limit_choices_to={"actor_type": ActorType.COLLECTIVE},
    )
    is_trusted = models.BooleanField(
        _("trusted"),
        default=False,
        help_text=_("A trusted organisation publishes directly; the others go through moderation."),
    )

    content_panels = [
        TitleFieldPanel("title"),
        FieldRowPanel([FieldPanel("acronym"), FieldPanel("actor_type"), FieldPanel("year_founded")]),
        FieldPanel("logo"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("rna"), FieldPanel("siren"), FieldPanel("siret")])],
            heading=_("Legal identifiers"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("commune"), FieldPanel("department")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Head office"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("zones"),
                FieldPanel("countries"),
                FieldPanel("sectors"),
                FieldPanel("sdgs"),
                FieldPanel("tags"),
            ],
            heading=_("Activity"),
        ),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("public_email"), FieldPanel("public_phone")],
            heading=_("Public contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("private_email"), FieldPanel("private_phone")],
            heading=_("Private contact"),
        ),
    ]
    # Only the coordinators see this tab: what the organisation is to the network, and so what it may do.
    settings_heading = _("Membership")
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel(name, permission="casi_workspace.change_organisation_membership")
                for name in ("membership_status", "parent_collective", "is_trusted")
            ],
            heading=_("Membership"),
            help_text=_(
                "Applied as soon as the page is saved, whatever the button: these facts give rights, "
                "they are not part of the page's versions. Each change is recorded in the page's history."
            ),
        ),
    ]

    search_fields = [
        index.SearchField("acronym", boost=2),
        index.SearchField("description"),
        index.SearchField("commune"),
        index.AutocompleteField("acronym"),
        index.FilterField("actor_type"),
        index.FilterField("department"),
        index.FilterField("membership_status"),
    ]

    class Meta:
        abstract = True

    @re_path(r"^flux/(?P<fmt>rss|atom)/$", name="feed")
    def feed_route(self, request, fmt):
        return page_views().organisation_feed(self, request, fmt)

    @property
    def is_collective(self) -> bool:
        return self.actor_type == ActorType.COLLECTIVE

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_views().organisation_page_context(request, self))
        return context

    def permissions_for_user(self, user):
        return OrganisationPagePermissionTester(user, self)

    def with_content_json(self, content):
        """The actor type travels in revisions, but not across the line between collective and the rest."""
        page = super().with_content_json(content)
        if page.is_collective != self.is_collective:
            page.actor_type = self.actor_type
        return page

    def structured_data(self) -> dict:
        """schema.org Organization, for search engines (JSON-LD)."""
        data: dict = {"@context": "https://schema.org", "@type": "Organization", "name": self.title}
        optional = {
            "url": self.full_url,
            "alternateName": self.acronym,
            "email": self.public_email,
            "telephone": self.public_phone,
            "foundingDate": str(self.year_founded or ""),
            "taxID": self.siret or self.siren,
        }
        data.update({key: value for key, value in optional.items() if value})
        if self.website:
            data["sameAs"] = [self.website]
        if self.commune:
            data["address"] = {
                "@type": "PostalAddress",
                "streetAddress": self.address,
                "postalCode": self.postcode,
                "addressLocality": self.commune,
                "addressCountry": "FR",
            }
        if self.latitude is not None and self.longitude is not None:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
        collective = self.parent_collective
        if collective is not None and collective.live:
            data["memberOf"] = {"@type": "Organization", "name": collective.title}
        return data


class OrganisationTag(TaggedItemBase):
    content_object = ParentalKey(
        "casi_workspace.OrganisationPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class OrganisationPage(OrganisationPageMixin, Page):
    template = "casi_workspace/pages/organisation_page.html"
    parent_page_types = ["casi_workspace.DirectoryPage"]
    subpage_types = [
        "casi_workspace.NewsPage",
        "casi_workspace.EventPage",
        "casi_workspace.CallForProjectsPage",
        "casi_workspace.OfferPage",
        "casi_workspace.TrainingPage",
        "casi_workspace.ResourcePage",
        "casi_workspace.ProjectPage",
    ]
    tags = ClusterTaggableManager(through=OrganisationTag, blank=True, verbose_name=_("tags"))
    search_fields = Page.search_fields + OrganisationPageMixin.search_fields
    # Wagtail API v2 (/api/v2/pages/): the public card only, never the private contact or the trust flag.
    api_fields = [
        *(APIField(name) for name in ("acronym", "actor_type", "membership_status", "description", "year_founded")),
        *(APIField(name) for name in ("rna", "siren", "siret")),
        *(APIField(name) for name in ("address", "postcode", "commune", "department", "latitude", "longitude")),
        APIField("countries", serializer=CountryCodesField()),
        *(APIField(name, serializer=NamesField()) for name in ("zones", "sectors", "sdgs")),
        APIField("tags"),
        APIField("logo", serializer=ImageRenditionField("max-160x160")),
        *(APIField(name) for name in ("website", "public_email", "public_phone")),
        APIField("parent_collective", serializer=OrganisationSummaryField()),
    ]
    # Panels of other domains (`casi_organisation_edit_panels` hook), such as the support requests' one.
    settings_panels = [
        *Page.settings_panels,
        *OrganisationPageMixin.settings_panels,
        RegisteredPanels("casi_organisation_edit_panels"),
    ]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("change_organisation_membership", _("Can change membership status and trust")),
            ("import_organisations", _("Can import organisations from CSV")),
        ]


class Sector(index.Indexed, models.Model):
    """A sector of activity. Coordinators edit the list (a Wagtail snippet)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """A world region of intervention (fixed list, seeded by migration)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("zone of intervention")
        verbose_name_plural = _("zones of intervention")

    def __str__(self) -> str:
        return self.name


class SustainableDevelopmentGoal(models.Model):
    """One of the United Nations' 17 Sustainable Development Goals (seeded by migration)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=160)

    class Meta:
        ordering = ["number"]
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"
