"""Publications built through Wagtail's page tree, as an editor's admin form would save them."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from casi_workspace.models import PUBLICATION_MODELS, OrganisationPage, PublicationPage

_numbers = itertools.count(1)

# The network's index of each kind, at the demo site's paths.
INDEXES = {
    "news": "/actualites/",
    "event": "/agenda/",
    "call": "/appels-a-projets/",
    "offer": "/emploi-volontariat/",
    "training": "/formations/",
    "resource": "/ressources/",
    "project": "/projets/",
}

# Fields a test may set that the model's validation refuses on creation (a deadline already past) or
# that publishing overwrites (dates): they are written after the page is saved.
_AFTER_SAVE = ("deadline", "first_published_at", "last_published_at", "expire_at", "go_live_at")


def _defaults(kind: str) -> dict[str, Any]:
    now = timezone.now()
    today = timezone.localdate()
    return {
        "news": {},
        "event": {
            "start": now + datetime.timedelta(days=7),
            "end": now + datetime.timedelta(days=7, hours=2),
            "commune": "Brest",
        },
        "call": {"funder": "Région Bretagne", "deadline": today + datetime.timedelta(days=30)},
        "offer": {"offer_kind": "internship", "commune": "Brest", "deadline": today + datetime.timedelta(days=30)},
        "training": {"start": now + datetime.timedelta(days=14), "commune": "Quimper"},
        "resource": {"resource_kind": "guide"},
        "project": {"status": "ongoing"},
    }[kind]


def publication_create(
    kind: str, organisation: OrganisationPage | str, *, live: bool = True, **fields: Any
) -> PublicationPage:
    """Create one publication of `kind` ("news", "event"…) under an organisation; published unless `live=False`.

    `tags` takes a list of names. A past `deadline`, or publishing dates, are written after saving.
    A draft (`live=False`) has a revision, as one saved in the admin.
    """
    if isinstance(organisation, str):
        organisation = OrganisationPage.objects.get(slug=organisation)
    number = next(_numbers)
    tags = fields.pop("tags", [])
    after = {name: fields.pop(name) for name in _AFTER_SAVE if name in fields}
    values = {"title": f"Publication de test {kind} {number}", "slug": f"test-{kind}-{number}"} | _defaults(kind)
    values |= fields
    page = PUBLICATION_MODELS[kind](live=live, **values)
    if tags:
        page.tags.add(*tags)
    organisation.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    if after:
        type(page).objects.filter(pk=page.pk).update(**after)
    page.refresh_from_db()
    return page
