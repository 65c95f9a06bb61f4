"""The network's actors: the directory and one page per organisation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from localflavor.fr.fr_department import DEPARTMENT_CHOICES_PER_REGION
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ..pagination import paginate

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


class DirectoryPageMixin(models.Model):
    """The directory of actors: lists the live organisation pages below it."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [FieldPanel("title"), FieldPanel("intro")]

    class Meta:
        abstract = True

    def organisations(self):
        return OrganisationPage.objects.child_of(self).live().public().order_by("title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["organisations"] = paginate(request, self.organisations())
        return context


class DirectoryPage(DirectoryPageMixin, Page):
    template = "casi_workspace/pages/directory_page.html"
    subpage_types = ["casi_workspace.OrganisationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("directory of actors")
        verbose_name_plural = _("directories of actors")


class OrganisationPageMixin(models.Model):
    """A member or known actor of the network. Its subtree is the association's workspace."""

    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
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
    website = models.URLField(_("website"), blank=True)
    public_email = models.EmailField(_("public email"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=30, blank=True)
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
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
        FieldPanel("title"),
        FieldPanel("acronym"),
        FieldPanel("actor_type"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("postcode"),
                FieldPanel("commune"),
                FieldPanel("department"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
            heading=_("Head office"),
        ),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("public_email"), FieldPanel("public_phone")],
            heading=_("Public contact"),
        ),
        FieldPanel("year_founded"),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("membership_status"),
                FieldPanel("parent_collective"),
                FieldPanel("is_trusted"),
            ],
            heading=_("Membership"),
            permission="casi_workspace.change_organisation_membership",
        ),
    ]

    search_fields = [
        index.SearchField("acronym"),
        index.SearchField("description"),
        index.SearchField("commune"),
        index.FilterField("actor_type"),
        index.FilterField("department"),
        index.FilterField("membership_status"),
    ]

    class Meta:
        abstract = True

    @property
    def is_collective(self) -> bool:
        return self.actor_type == ActorType.COLLECTIVE

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.is_collective:
            context["collective_members"] = self.collective_members.live().public().order_by("title")
        return context


class OrganisationPage(OrganisationPageMixin, Page):
    template = "casi_workspace/pages/organisation_page.html"
    parent_page_types = ["casi_workspace.DirectoryPage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + OrganisationPageMixin.search_fields
    settings_panels = Page.settings_panels + OrganisationPageMixin.settings_panels

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [("change_organisation_membership", _("Can change membership status and trust"))]
