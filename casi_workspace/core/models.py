"""Abstract models the domains' page types share, and the network's identity.

`LiveOnlyFieldsMixin`: page fields that grant rights live on the live record only, never in a revision.
`IntroPageMixin`: a section page's introduction.
`SiteBrand`: the network's name, logo, colours, contact details and legal pages, a Wagtail site setting
that the coordinators edit (Settings › Network identity); `core/brand.py` reads it for the templates.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string

from casi_workspace.core.colours import HEX_COLOUR, TEXT_CONTRAST, WHITE, contrast_ratio
from casi_workspace.core.page_cache import page_cache_invalidate


class LiveOnlyFieldsMixin(models.Model):
    """Page types list their rights-granting fields in `live_only_fields`; only holders of
    `live_fields_permission` see them in the edit form (`workspaces.forms.LiveFieldsPageForm`)."""

    live_only_fields: ClassVar[tuple[str, ...]] = ()
    live_fields_permission: ClassVar[str] = "casi_workspace.change_organisation_membership"

    class Meta:
        abstract = True

    def serializable_data(self) -> dict[str, Any]:
        data = super().serializable_data()
        for name in self.live_only_fields:
            data.pop(name, None)
        return data

    def with_content_json(self, content: dict[str, Any]):
        page = super().with_content_json(content)
        for name in self.live_only_fields:
            attname = self._meta.get_field(name).attname
            setattr(page, attname, getattr(self, attname))
        return page


class IntroPageMixin(models.Model):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [TitleFieldPanel("title"), FieldPanel("intro")]

    class Meta:
        abstract = True


DEFAULT_PRIMARY_COLOUR = "#0b5c7a"  # 7.4:1 on white
DEFAULT_ACCENT_COLOUR = "#b4441b"  # 5.5:1 on white
hex_colour_validator = RegexValidator(
    HEX_COLOUR, _("Enter a colour as # followed by six hexadecimal digits, e.g. #0b5c7a.")
)


class ColourInput(forms.TextInput):
    """The browser's colour picker; it always sends `#rrggbb`."""

    input_type = "color"


class SiteBrand(BaseSiteSetting):
    """The network's identity on one site: what its header, footer, favicon and colours show.

    Every field may stay empty: the site then shows its Wagtail site name and the default palette.
    Saving it starts a new generation of the anonymous page cache, so that no page shows the old identity.
    """

    network_name = models.CharField(
        _("network name"), max_length=120, blank=True, help_text=_("Leave empty to use the site's name.")
    )
    tagline = models.CharField(
        _("tagline"), max_length=140, blank=True, help_text=_("One short sentence shown under the name.")
    )
    logo = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in the header (48 pixels high) and as the browser tab's icon. PNG or WebP."),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=DEFAULT_PRIMARY_COLOUR,
        validators=[hex_colour_validator],
        help_text=_("Links, buttons and the menu bar. It must be dark enough to read on white (4.5:1 or more)."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT_COLOUR,
        validators=[hex_colour_validator],
        help_text=_(
            "Highlights: the line above the header, the current menu item's mark. Also 4.5:1 or more on white."
        ),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website_url = models.URLField(_("website"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("legal notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("French law requires a legal notice (publisher, host) linked from every page."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("personal data page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("How the network processes personal data and how to exercise one's rights (GDPR)."),
    )

    select_related = ["logo", "legal_notice_page", "privacy_page"]

    COLOUR_FIELDS: ClassVar[tuple[str, ...]] = ("primary_colour", "accent_colour")
    SOCIAL_FIELDS: ClassVar[tuple[str, ...]] = (
        "website_url",
        "mastodon_url",
        "linkedin_url",
        "facebook_url",
        "instagram_url",
        "youtube_url",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("network_name"), FieldPanel("tagline"), FieldPanel("logo")], heading=_("Name and logo")
        ),
        MultiFieldPanel(
            [
                FieldPanel("primary_colour", widget=ColourInput),
                FieldPanel("accent_colour", widget=ColourInput),
            ],
            heading=_("Colours"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("phone"), FieldPanel("postal_address")],
            heading=_("Contact details"),
        ),
        MultiFieldPanel([FieldPanel(name) for name in SOCIAL_FIELDS], heading=_("Website and social networks")),
        MultiFieldPanel(
            [FieldPanel("legal_notice_page"), FieldPanel("privacy_page")], heading=_("Legal pages (footer)")
        ),
    ]

    class Meta:
        verbose_name = _("network identity")
        verbose_name_plural = _("network identities")

    def clean(self) -> None:
        super().clean()
        errors = {}
        for name in self.COLOUR_FIELDS:
            value = getattr(self, name) or ""
            if not HEX_COLOUR.match(value):
                continue  # the field's own validator reports it
            setattr(self, name, value.lower())
            ratio = contrast_ratio(value, WHITE)
            if ratio < TEXT_CONTRAST:
                errors[name] = ValidationError(
                    _(
                        "This colour is too light to read on white: its contrast is %(ratio)s:1, "
                        "and accessibility (WCAG 2.1 AA) asks for at least 4.5:1. Choose a darker shade."
                    ),
                    code="contrast",
                    params={"ratio": number_format(ratio, 2)},
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        page_cache_invalidate()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        page_cache_invalidate()
        return result


class ScheduledRun(models.Model):
    """When a periodic command (cron, timer) last finished without error: the health check reports one that
    has not run for longer than its schedule allows, which is how a stopped cron gets noticed."""

    command = models.CharField(max_length=64, primary_key=True)
    finished_at = models.DateTimeField()

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return self.command


# A setting of the Wagtail admin when the host site installs wagtail.contrib.settings (the README asks it):
# its menu item links to that app's views. Without it the site still serves, with the defaults above.
if apps.is_installed("wagtail.contrib.settings"):
    register_setting(icon="site")(SiteBrand)


class OutgoingEmailStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("refused")
    INTERRUPTED = "interrupted", _("interrupted")


class OutgoingEmail(models.Model):
    """An email the site sends, kept until the mail server has accepted it (`core.mail.QueuedEmailBackend`).

    While the server refuses for now it waits "pending" until `next_attempt_at`; "sending" is claimed by one
    worker; "interrupted" was being sent when its worker stopped: the server may have accepted it, so it is
    reported and never sent again by itself; "failed" was refused for good (or too many times), with why.
    """

    message = models.JSONField()
    recipients = models.TextField(blank=True)  # for the listing and searches: the message holds the truth
    subject = models.CharField(max_length=998, blank=True)
    status = models.CharField(max_length=16, choices=OutgoingEmailStatus.choices, default=OutgoingEmailStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipients}"
