"""The e-newsletter's subscribers: double opt-in, topics and départements of interest, the consent record."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


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
