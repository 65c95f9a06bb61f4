"""How the site names a person: by the name they chose to show, never by their username or address."""

from __future__ import annotations

from django.utils.translation import gettext as _


def person_public_name(user) -> str:
    """The person's full name as set in their account; "A member" when they set none.

    Usernames are sign-in identifiers (often an email address): pages and lists never show them.
    """
    if user is None:
        return ""
    return user.get_full_name().strip() or _("A member")
