"""Small helpers shared by the tests."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext


def french(msgid: str) -> str:
    """The French text of a message, as a French visitor reads it."""
    with translation.override("fr"):
        return gettext(msgid)
