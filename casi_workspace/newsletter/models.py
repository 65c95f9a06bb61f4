"""The e-newsletter: its subscribers (double opt-in, topics and départements of interest, the consent record)
and its issues, composed from moderated publications."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, TitleFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from casi_workspace.core.editor_tabs import EditorTabsMixin, search_panels
from casi_workspace.core.models import IntroPageMixin
from casi_workspace.core.page_routes import page_views
from casi_workspace.exchange.models import PartnerItem
from casi_workspace.publications.models.sections import PublicationKind


class NewsletterTopic(models.TextChoices):
    NEWS = "news", _("News")
    AGENDA = "agenda", _("Agenda")
    CALLS = "calls", _("Calls for projects")
    OFFERS = "offers", _("Jobs and volunteering")
    TRAININGS = "trainings", _("Trainings")


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    ACTIVE = "active", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class SubscriptionSource(models.TextChoices):
    NEWSLETTER_PAGE = "newsletter-page", _("Newsletter page")
    HOME_PAGE = "home-page", _("Home page")
    DEMO = "demo", _("Demo")


def new_key() -> str:
    return secrets.token_urlsafe(24)


class NewsletterSubscriber(models.Model):
    """One address. `confirmation_key` changes once used, so a confirmation link works once; `key` signs the
    unsubscribe and preferences links, which stay valid as long as the subscription."""

    email = models.EmailField(_("email address"), unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)
    departments = models.JSONField(_("départements"), default=list, blank=True)
    key = models.CharField(max_length=64, default=new_key, editable=False)
    confirmation_key = models.CharField(max_length=64, default=new_key, editable=False)
    created_at = models.DateTimeField(_("subscribed on"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed on"), null=True, blank=True)
    consent_source = models.CharField(_("consent given on"), max_length=32, choices=SubscriptionSource.choices)
    consent_at = models.DateTimeField(_("consent date"), null=True, blank=True)
    consent_ip_hash = models.CharField(_("hashed address of the consent"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        permissions = [("erase_newslettersubscriber", _("Can export and erase a subscriber's data"))]

    def __str__(self) -> str:
        return self.email


class NewsletterIssueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class NewsletterIssue(ClusterableModel):
    """One issue of the newsletter: an introduction, then moderated publications by section."""

    title = models.CharField(_("title"), max_length=255)
    intro = RichTextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=NewsletterIssueStatus.choices, default=NewsletterIssueStatus.DRAFT
    )
    period_start = models.DateTimeField(_("items published since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    send_started_at = models.DateTimeField(_("sending started on"), null=True, blank=True, editable=False)
    # The sending's one chain of batch tasks: starting, resuming or retrying makes a new chain, and a task of an
    # older one ends without sending. `next_batch_at` is when the next batch may start, whichever task runs it.
    send_chain = models.UUIDField(null=True, blank=True, editable=False)
    next_batch_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)

    panels = [
        TitleFieldPanel("title"),
        FieldPanel("intro"),
        InlinePanel("items", heading=_("Items"), label=_("item")),
        InlinePanel(
            "partner_items",
            heading=_("From partner networks"),
            label=_("partner item"),
            help_text=_(
                "Events, calls, trainings and resources received from partner networks are never in the "
                "newsletter unless picked here; each is shown with its network named and a link to the original."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "sent_at"])]
        permissions = [("send_newsletterissue", _("Can send a newsletter issue"))]

    def __str__(self) -> str:
        return self.title


class NewsletterIssueItem(Orderable):
    """A publication in an issue, in its section, with the coordinator's optional word about it."""

    issue = ParentalKey(NewsletterIssue, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey("casi_workspace.PublicationPage", verbose_name=_("publication"), on_delete=models.CASCADE)
    section = models.CharField(_("section"), max_length=16, choices=PublicationKind.choices)
    note = models.CharField(_("coordinator's note"), max_length=500, blank=True)

    panels = [FieldPanel("page"), FieldPanel("section"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("newsletter item")
        verbose_name_plural = _("newsletter items")
        constraints = [models.UniqueConstraint(fields=["issue", "page"], name="casi_newsletter_item_unique")]


# What a newsletter may relay from partner networks: not their offers (jobs are the partner's own business)
# nor their directory.
PARTNER_KINDS_IN_NEWSLETTER = ("event", "call", "training", "resource")


class NewsletterIssuePartnerItem(Orderable):
    """An item received from a partner network that a coordinator picked for an issue. It is shown with its source
    named and a link to the original, and dropped when the issue is read or sent if it has since been hidden or
    withdrawn (`selectors.issue_sections`)."""

    issue = ParentalKey(NewsletterIssue, on_delete=models.CASCADE, related_name="partner_items")
    partner_item = models.ForeignKey(
        PartnerItem,
        verbose_name=_("partner item"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={
            "kind__in": PARTNER_KINDS_IN_NEWSLETTER,
            "hidden": False,
            "withdrawn_at__isnull": True,
            "source__hidden": False,
            "source__active": True,
        },
    )
    note = models.CharField(_("coordinator's note"), max_length=500, blank=True)

    panels = [FieldPanel("partner_item"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("partner item of a newsletter")
        verbose_name_plural = _("partner items of a newsletter")
        constraints = [
            models.UniqueConstraint(fields=["issue", "partner_item"], name="casi_newsletter_partner_item_unique")
        ]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("To send")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Nothing for this subscriber's choices")
    FAILED = "failed", _("Failed")


class NewsletterDelivery(models.Model):
    """One issue to one subscriber: created for every recipient when the sending starts, then claimed, sent and
    marked one by one, so that a worker stopped at any moment can be resumed without sending anything twice.

    `claimed_at` is set when a worker takes the delivery, just before the email leaves: a delivery still
    "being sent" long after it is the one a killed worker was sending (see `services.sending` and `delivery`).
    """

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(NewsletterSubscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("reason of the failure"), max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="casi_newsletter_delivery_unique")]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}"


class NewsletterPageMixin(EditorTabsMixin, RoutablePageMixin, IntroPageMixin):
    """The newsletter's subscription page and public archive: the sent issues, each at its own address."""

    promote_panels = search_panels(main_menu=True)

    class Meta:
        abstract = True

    @path("")
    def index_route(self, request):
        return page_views().newsletter_page_serve(self, request)

    @path("<int:issue_id>/", name="issue")
    def issue_route(self, request, issue_id):
        return page_views().newsletter_issue_serve(self, request, issue_id)


class NewsletterPage(NewsletterPageMixin, Page):
    template = "casi_workspace/pages/newsletter_page.html"
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("newsletter page")
        verbose_name_plural = _("newsletter pages")
