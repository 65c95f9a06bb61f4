"""Search-query hygiene shared by every search box of the site."""

from __future__ import annotations

import re

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 20
# Control characters (NUL included), and double quotes: the SQLite backend wraps each word in quotes
# without escaping them, so an odd number of them is an FTS5 syntax error (a 500).
_CONTROL = re.compile(r'[\x00-\x1f\x7f"]')


def clean_query(raw: str) -> str:
    """Drop control characters (NUL included) and double quotes, and bound the query in length and number of words.

    Wagtail's database backend builds one expression per word: an unbounded query recurses until
    it fails, so a 500-word query must be cut before it reaches the backend.
    """
    text = _CONTROL.sub(" ", raw[: MAX_QUERY_LENGTH * 4])
    words = text.split()[:MAX_QUERY_WORDS]
    return " ".join(words)[:MAX_QUERY_LENGTH]
