"""Small helpers of the team tests."""

from __future__ import annotations

import html
import re

NEW_PASSWORD = "Baobab-Tamarin-2026"  # a test account's password
INVITATION_LINK = re.compile(r"http://testserver(/casi/invitation/[^/\s]+/)")


def invitation_path(body: str) -> str:
    """The acceptance page's path, from an invitation email's text."""
    match = INVITATION_LINK.search(body)
    assert match, body
    return match.group(1)


def text(response) -> str:
    """A response's HTML with its entities decoded, to compare with messages that hold apostrophes."""
    return html.unescape(response.content.decode())
