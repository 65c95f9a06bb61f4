"""The signed tokens of the registrations' emailed links: cancel a registration, confirm an offered place.

A token names the registration and its random key, signed with the site's secret: a forged token fails
the signature, and a token for a registration already cancelled (or an offer already answered) is refused
by the service that reads it.
"""

from __future__ import annotations

from django.core import signing

from casi_workspace.registrations.models import EventRegistration

CANCEL_SALT = "casi_workspace.registrations.cancel"
OFFER_SALT = "casi_workspace.registrations.offer"


def link_token(registration: EventRegistration, *, salt: str) -> str:
    """The token of one of the registration's links: `CANCEL_SALT` or `OFFER_SALT` says which."""
    return signing.dumps([registration.pk, registration.key], salt=salt)


def cancel_token(registration: EventRegistration) -> str:
    return link_token(registration, salt=CANCEL_SALT)


def registration_for_token(token: str, *, salt: str) -> EventRegistration | None:
    """The registration a token names, or None when the token is forged, damaged or names nothing."""
    try:
        pk, key = signing.loads(token, salt=salt)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(key, str):
        return None
    return EventRegistration.objects.select_related("event").filter(pk=pk, key=key).first()
