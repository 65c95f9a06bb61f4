"""The slug of a page the plugin creates itself (a proposal, an approved member, an imported organisation)."""

from __future__ import annotations

from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import Page

from casi_workspace.conf import host_setting

SLUG_MAX_LENGTH = 200


def page_slug_available(parent: Page, title: str, *, fallback: str) -> str:
    """A slug for a new child of `parent` titled `title`, free among its siblings.

    Made as Wagtail's admin makes one (accents kept when WAGTAIL_ALLOW_UNICODE_SLUGS is on), so that
    these pages' addresses look like the editors' own. `fallback` serves when nothing of the title
    survives slugification; a taken slug is numbered by Wagtail ("-1", "-2"…). The length leaves room
    for that number within the column's 255 characters.
    """
    allow_unicode = host_setting("WAGTAIL_ALLOW_UNICODE_SLUGS")
    base = slugify(title, allow_unicode=allow_unicode)[:SLUG_MAX_LENGTH].strip("-") or fallback
    return find_available_slug(parent, base)
