"""Membership applications sent from the public site and decided by the coordinators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from casi_workspace.core.editor_tabs import EditorTabsMixin, search_panels
from casi_workspace.core.models import IntroPageMixin
from casi_workspace.core.page_routes import page_views
from casi_workspace.core.validators import validate_rna, validate_siren, validate_siret
from casi_workspace.organisations.models import DEPARTMENT_CHOICES, ActorType

# What an applicant fills in, in form order; status, decision and fingerprint belong to the services.
SUBMITTED_FIELDS = (
    "organisation_name",
    "acronym",
    "actor_type",
    "rna",
    "siren",
    "siret",
    "website",
    "address",
    "postcode",
    "commune",
    "department",
    "contact_name",
    "contact_email",
    "contact_phone",
    "motivation",
    "consent",
)


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MembershipApplication(models.Model):
    organisation_name = models.CharField(_("organisation name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    actor_type = models.CharField(_("actor type"), max_length=32, choices=ActorType.choices)
    rna = models.CharField(_("RNA number"), max_length=10, blank=True, validators=[validate_rna])
    siren = models.CharField(_("SIREN number"), max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField(_("SIRET number"), max_length=14, blank=True, validators=[validate_siret])
    address = models.CharField(_("head-office address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)
    commune = models.CharField(_("commune"), max_length=120)
    department = models.CharField(_("département"), max_length=3, choices=DEPARTMENT_CHOICES)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    motivation = models.TextField(_("motivation"))
    consent = models.BooleanField(_("consent to the processing of these data"), default=False)

    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING, db_index=True
    )
    fingerprint = models.CharField(max_length=64, editable=False, db_index=True)
    matching_organisation = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        verbose_name=_("possible existing organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "casi_workspace.OrganisationPage",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_applications",
    )
    decision_message = models.TextField(_("message sent with the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    ip_hash = models.CharField(max_length=64, editable=False, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=models.Q(status="pending"),
                name="casi_workspace_one_pending_application",
            )
        ]

    def __str__(self) -> str:
        return self.organisation_name


class MembershipPageMixin(EditorTabsMixin, IntroPageMixin):
    """How to join the network; the application form lives here."""

    promote_panels = search_panels(main_menu=True)

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        return page_views().membership_page_serve(self, request)


class MembershipPage(MembershipPageMixin, Page):
    template = "casi_workspace/pages/membership_page.html"
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("membership page")
        verbose_name_plural = _("membership pages")
