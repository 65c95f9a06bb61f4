"""The signed tokens of the newsletter's emailed links: confirmation, and unsubscribe/preferences."""

from __future__ import annotations

from django.core import signing

from casi_workspace.newsletter.models import NewsletterSubscriber

CONFIRM_SALT = "casi_workspace.newsletter.confirm"
LINK_SALT = "casi_workspace.newsletter.link"


def confirmation_token(subscriber: NewsletterSubscriber) -> str:
    """The double opt-in link's token: it names the pending subscription's current confirmation key."""
    return signing.dumps([subscriber.pk, subscriber.confirmation_key], salt=CONFIRM_SALT)


def link_token(subscriber: NewsletterSubscriber) -> str:
    """The unsubscribe and preferences links' token: valid as long as the subscription."""
    return signing.dumps([subscriber.pk, subscriber.key], salt=LINK_SALT)
