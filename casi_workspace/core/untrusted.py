"""Text, links and dates received from outside (a partner's feed), made safe to store and to show.

Nothing received is trusted: HTML is cut down to a few harmless tags (no script, style, event handler, SVG,
iframe or form; links only to http and https, opened as user-generated and never followed by search engines),
plain text has its tags removed and its length bounded, an address must be http or https, and a date must fall
in a sensible range.
"""

from __future__ import annotations

import datetime
import html
import re

import nh3
from django.utils import timezone

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https"})
MAX_URL_LENGTH = 500
EARLIEST = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
SPACES = re.compile(r"\s+")


def clean_html(value: str, *, max_length: int = 20000) -> str:
    """HTML reduced to the allowed tags; what does not fit in `max_length` characters of input is dropped."""
    return nh3.clean(
        (value or "")[:max_length],
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    ).strip()


def clean_text(value: str, *, max_length: int) -> str:
    """Plain text: tags removed, entities decoded, spaces collapsed, at most `max_length` characters."""
    text = nh3.clean((value or "")[: max_length * 4], tags=set(), strip_comments=True)
    text = SPACES.sub(" ", html.unescape(text)).strip()
    return text[:max_length].strip()


def clean_url(value: str) -> str:
    """An http or https address of reasonable length, or "" for anything else."""
    url = (value or "").strip()
    if len(url) > MAX_URL_LENGTH or any(character in url for character in "\r\n\t \"'<>\\"):
        return ""
    scheme, _separator, rest = url.partition("://")
    if scheme.lower() not in URL_SCHEMES or not rest or rest.startswith("/"):
        return ""
    return url


def clean_datetime(value: datetime.datetime | datetime.date | None) -> datetime.datetime | None:
    """An aware date and time between 1970 and 2100 (a date alone is its first moment), or None."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value if EARLIEST <= value < LATEST else None
