"""Pages of a demo network, made the way an editor makes them."""

from __future__ import annotations

from collections.abc import Callable

from wagtail.models import Page


def child_page(parent: Page, slug: str, build: Callable[[], Page]) -> Page:
    """The child of `parent` with this slug, created and published through Wagtail when missing: seeding again
    adds nothing."""
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        return existing
    page = build()
    page.slug = slug
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
