"""Which pages a visitor or an editor may see: public, private, expired, and the editor's chooser and explorer."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, PageViewRestriction

from casi_workspace.core.permissions import user_is_coordinator


def pages_public(queryset: QuerySet) -> QuerySet:
    """Wagtail's `.public()` in a query whose size does not grow with the number of view restrictions.

    `.public()` adds one `NOT (path LIKE 'restricted%')` per restriction, and every folder of a working group
    is one: with 20 groups of 50 folders SQLite refuses the query (expression tree too large) and PostgreSQL
    tests a thousand patterns on every row. Here the restricted pages are grouped by depth: a row is left out
    when the start of its path at one of those depths is a restricted page's path, one lookup in a small set
    per depth. Like `.public()`, it costs one query first (the depths). The search backends cannot filter on
    such an expression: search `Model.objects.filter(pk__in=pages_public(…).values("pk"))` instead.
    """
    depths = sorted(set(PageViewRestriction.objects.values_list("page__depth", flat=True)))
    for depth in depths:
        prefix = f"casi_prefix_{depth}"
        paths = PageViewRestriction.objects.filter(page__depth=depth).values("page__path")
        queryset = queryset.alias(**{prefix: Substr("path", 1, depth * Page.steplen)}).exclude(
            **{f"{prefix}__in": paths}
        )
    return queryset


def page_is_expired(page: Page) -> bool:
    """Past its expiry date: out of every list already, and answered 404 from that moment on."""
    return page.expire_at is not None and page.expire_at <= timezone.now()


def _paths_q(paths: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def pages_visible_to_editor(pages: QuerySet, user) -> QuerySet:
    """What a page chooser may list: live, public pages, plus the subtrees the user may edit.

    Coordinators and superusers see everything; everyone else never sees another organisation's
    drafts or private pages.
    """
    if user_is_coordinator(user):
        return pages
    own = GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True).distinct()
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True).distinct()
    public_live = Q(live=True) & ~_paths_q(restricted)
    return pages.filter(public_live | _paths_q(own))


PRIVATE_CHECK_DEPTH = 16  # pages deeper than this are left out by `pages_exclude_private`


def pages_exclude_private(queryset: QuerySet) -> QuerySet:
    """`.public()` computed inside the query, for short lists (a menu, a page's own items): no extra query.

    Each row looks its ancestors up among the restricted pages by path, one index lookup per level (the
    row's path cut at each depth), whatever the number of restrictions. Pages deeper than
    PRIVATE_CHECK_DEPTH levels are left out rather than half-checked. Long lists use `pages_public`.
    """
    ancestors = [Substr(OuterRef("path"), 1, level * Page.steplen) for level in range(1, PRIVATE_CHECK_DEPTH + 1)]
    restricted = PageViewRestriction.objects.filter(page__path__in=ancestors)
    return queryset.filter(depth__lte=PRIVATE_CHECK_DEPTH).exclude(Exists(restricted))


def pages_readable_by(queryset: QuerySet, user) -> QuerySet:
    """The pages `user` may read, by Wagtail's own view restrictions, computed inside the query (no extra query).

    A page is left out when it or one of its ancestors carries a restriction the person does not pass, as
    Wagtail's `accept_request` decides it: "signed in" passes every signed-in person, "groups" a member of
    one of its groups and superusers, a password nobody (it is a browser session's, not an account's). Like
    `pages_exclude_private`, for bounded lists; pages deeper than PRIVATE_CHECK_DEPTH are left out.
    """
    ancestors = [Substr(OuterRef("path"), 1, level * Page.steplen) for level in range(1, PRIVATE_CHECK_DEPTH + 1)]
    refused = PageViewRestriction.objects.filter(page__path__in=ancestors)
    if user.is_authenticated and user.is_active:
        refused = refused.exclude(restriction_type=PageViewRestriction.LOGIN)
        if user.is_superuser:
            refused = refused.exclude(restriction_type=PageViewRestriction.GROUPS)
        else:
            in_its_groups = PageViewRestriction.groups.through.objects.filter(
                pageviewrestriction_id=OuterRef("pk"), group__user=user.pk
            )
            refused = refused.exclude(Q(restriction_type=PageViewRestriction.GROUPS) & Exists(in_its_groups))
    return queryset.filter(depth__lte=PRIVATE_CHECK_DEPTH).exclude(Exists(refused))
