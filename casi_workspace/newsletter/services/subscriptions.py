"""Newsletter subscriptions: double opt-in by signed links, preferences, unsubscription, export and erasure.

The answer to a subscription never says whether the address was known: the page says the same thing,
and the address receives either a confirmation link or, when it is already subscribed, a link to its
preferences. Only a keyed hash of the client address is kept with the consent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casi_workspace.conf import get_setting
from casi_workspace.core.errors import CasiError
from casi_workspace.core.queue import enqueue_on_commit
from casi_workspace.core.ratelimit import client_address_hash, rate_limit_exceeded
from casi_workspace.newsletter.models import NewsletterSubscriber, NewsletterTopic, SubscriberStatus, new_key
from casi_workspace.newsletter.tasks import newsletter_confirmation_email_send, newsletter_subscribed_already_email_send
from casi_workspace.newsletter.tokens import CONFIRM_SALT, LINK_SALT


class NewsletterError(CasiError):
    """A refused newsletter request."""


class NewsletterRateLimited(NewsletterError):
    pass


def email_normalise(email: str) -> str:
    return BaseUserManager.normalize_email((email or "").strip()).lower()


def _choices(values: Iterable[str], allowed: Iterable[str]) -> list[str]:
    allowed = list(allowed)
    return [value for value in allowed if value in set(values)]


def subscription_request(
    *, email: str, topics: Iterable[str], departments: Iterable[str], source: str, ip: str
) -> None:
    """Ask for a subscription: the address gets its confirmation link (or, if subscribed, its preferences)."""
    if rate_limit_exceeded("newsletter", ip, get_setting("NEWSLETTER_RATE_LIMIT")):
        raise NewsletterRateLimited(_("Too many subscriptions from your connection: please try again in an hour."))
    email = email_normalise(email)
    topics = _choices(topics, NewsletterTopic.values) or list(NewsletterTopic.values)
    departments = _choices(departments, get_setting("NEWSLETTER_DEPARTMENTS"))
    with transaction.atomic():
        subscriber, _created = NewsletterSubscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"consent_source": source}
        )
        if subscriber.status == SubscriberStatus.ACTIVE:
            enqueue_on_commit(newsletter_subscribed_already_email_send, subscriber_id=subscriber.pk)
            return
        subscriber.status = SubscriberStatus.PENDING
        subscriber.topics, subscriber.departments = topics, departments
        subscriber.consent_source, subscriber.consent_ip_hash = source, client_address_hash("newsletter", ip)
        subscriber.save()
        enqueue_on_commit(newsletter_confirmation_email_send, subscriber_id=subscriber.pk)


def _token_parts(token: str, *, salt: str, max_age: int | None = None) -> tuple[int, str]:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise NewsletterError(_("This confirmation link has expired: subscribe again to receive a new one.")) from None
    except signing.BadSignature:
        raise NewsletterError(_("This link is not valid: check that it was copied whole from the email.")) from None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        raise NewsletterError(_("This link is not valid: check that it was copied whole from the email."))
    return value[0], value[1]


def subscriber_for_confirmation(token: str) -> NewsletterSubscriber:
    """The pending subscriber a confirmation link names, or a French refusal (expired, used, tampered)."""
    pk, key = _token_parts(token, salt=CONFIRM_SALT, max_age=get_setting("NEWSLETTER_CONFIRM_MAX_AGE"))
    subscriber = NewsletterSubscriber.objects.filter(pk=pk).first()
    if subscriber is None or subscriber.confirmation_key != key:
        raise NewsletterError(_("This confirmation link was already used, or replaced by a newer one."))
    return subscriber


@transaction.atomic
def subscription_confirm(token: str) -> NewsletterSubscriber:
    subscriber = subscriber_for_confirmation(token)
    subscriber = NewsletterSubscriber.objects.select_for_update().get(pk=subscriber.pk)
    now = timezone.now()
    subscriber.status = SubscriberStatus.ACTIVE
    subscriber.confirmed_at = subscriber.consent_at = now
    subscriber.unsubscribed_at = None
    subscriber.confirmation_key = new_key()  # the link works once
    subscriber.save()
    return subscriber


def subscriber_for_link(token: str) -> NewsletterSubscriber:
    """The subscriber an unsubscribe or preferences link names, or a French refusal."""
    pk, key = _token_parts(token, salt=LINK_SALT)
    subscriber = NewsletterSubscriber.objects.filter(pk=pk).first()
    if subscriber is None or subscriber.key != key:
        raise NewsletterError(_("This link is no longer valid: the address is not subscribed."))
    return subscriber


def subscription_cancel(subscriber: NewsletterSubscriber) -> NewsletterSubscriber:
    """Unsubscribe at once; doing it twice changes nothing."""
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber


def preferences_set(
    subscriber: NewsletterSubscriber, *, topics: Iterable[str], departments: Iterable[str]
) -> NewsletterSubscriber:
    topics = _choices(topics, NewsletterTopic.values)
    if not topics:
        raise NewsletterError(_("Choose at least one topic, or unsubscribe."))
    subscriber.topics = topics
    subscriber.departments = _choices(departments, get_setting("NEWSLETTER_DEPARTMENTS"))
    subscriber.save(update_fields=["topics", "departments"])
    return subscriber


def subscriber_export(subscriber: NewsletterSubscriber) -> dict[str, Any]:
    """Everything kept about one subscriber (the right of access)."""

    def when(value):
        return value.isoformat() if value else None

    return {
        "email": subscriber.email,
        "status": subscriber.status,
        "topics": subscriber.topics,
        "departments": subscriber.departments,
        "subscribed_on": when(subscriber.created_at),
        "confirmed_on": when(subscriber.confirmed_at),
        "unsubscribed_on": when(subscriber.unsubscribed_at),
        "consent": {
            "source": subscriber.consent_source,
            "date": when(subscriber.consent_at),
            "hashed_ip_address": subscriber.consent_ip_hash,
        },
    }


def subscriber_erase(subscriber: NewsletterSubscriber) -> None:
    """The right to erasure: the record goes; nothing about the address is kept."""
    subscriber.delete()
