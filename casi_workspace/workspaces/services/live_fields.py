"""Change the rights-granting facts of a page on its live record: never through a revision.

See `core.models.LiveOnlyFieldsMixin`: these fields are not stored in revisions, so a change to them is written
straight to the page's row, recorded in its history (`casi_workspace.live_fields` log entries, with the
values before and after) and followed by the provisioning that turns them into rights.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page

from casi_workspace.core.page_cache import page_cache_invalidate
from casi_workspace.organisations.models import OrganisationPage
from casi_workspace.workspaces.provisioning import organisation_provision

LOG_ACTION = "casi_workspace.live_fields"


def _shown(page: Page, field: models.Field) -> str:
    """The value as a coordinator reads it in the history, whatever becomes of it later."""
    if field.is_relation:
        related = getattr(page, field.name)
        return related.title if related is not None else "—"
    if field.choices:
        return str(getattr(page, f"get_{field.name}_display")())
    value = getattr(page, field.attname)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value) if value not in (None, "") else "—"


def live_fields_of(page: Page) -> tuple[str, ...]:
    """The page type's rights-granting fields (and, for an organisation, its actor type, whose collective
    value gives a coordinators' group)."""
    names = tuple(getattr(page, "live_only_fields", ()))
    if isinstance(page, OrganisationPage):
        names += ("actor_type",)
    return names


@transaction.atomic
def page_live_fields_change(*, page: Page, user, values: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Write `values` (field name → value, related objects as instances or None) on the page's live record.

    Callers decide who may: the admin form offers these fields only to holders of the page type's
    `live_fields_permission`, the import to those who may import. Returns the changes as shown in the
    history, {field name: (before, after)}; nothing is written or logged when nothing changes.
    """
    model = page.specific_class
    allowed = live_fields_of(page)
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not a live-only field of {model.__name__}: {', '.join(sorted(unknown))}")
    live = model.objects.select_for_update().get(pk=page.pk)
    changes: dict[str, tuple[str, str]] = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        new = (value.pk if value is not None else None) if field.is_relation else value
        if getattr(live, field.attname) == new:
            continue
        before = _shown(live, field)
        setattr(live, name if field.is_relation else field.attname, value)
        changes[name] = (before, _shown(live, field))
    if not changes:
        return changes
    live.save(update_fields=[model._meta.get_field(name).attname for name in changes], clean=False)
    for name in changes:
        field = model._meta.get_field(name)
        setattr(page, field.attname, getattr(live, field.attname))
    log(
        instance=live,
        action=LOG_ACTION,
        user=user,
        # A list: PostgreSQL's jsonb keeps no key order, and the history lists the changes in the form's order.
        data={
            "changes": [{"field": name, "before": before, "after": after} for name, (before, after) in changes.items()]
        },
    )
    if isinstance(live, OrganisationPage):
        organisation_provision(organisation=live)
    page_cache_invalidate()
    return changes
