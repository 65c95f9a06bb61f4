"""Page and collection rights given to Django groups: the building blocks of provisioning, idempotent."""

from __future__ import annotations

from collections.abc import Iterable

import swapper
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
)

EDITOR_PAGE_ACTIONS = ("add", "change")
PUBLISHER_PAGE_ACTIONS = ("add", "change", "publish")
COORDINATOR_PAGE_ACTIONS = ("add", "change", "publish", "lock", "unlock")
MEDIA_ACTIONS = ("add", "change", "choose")
COORDINATOR_MODEL_PERMISSIONS = (
    "change_organisation_membership",
    "import_organisations",
    # Membership applications: see them and decide on them (change); never add or delete.
    "view_membershipapplication",
    "change_membershipapplication",
    # Newsletter issues: compose, test and send them.
    "add_newsletterissue",
    "change_newsletterissue",
    "view_newsletterissue",
    "send_newsletterissue",
    # Newsletter subscribers: see them, export and erase one's data (the data-protection rights).
    "view_newslettersubscriber",
    "erase_newslettersubscriber",
    # The directory thesaurus.
    "add_sector",
    "change_sector",
    "delete_sector",
    # The network's identity: name, logo, colours, contact details, legal pages (Settings › Network identity).
    "change_sitebrand",
)
GROUP_NAME_LENGTH = 150


def admin_access_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def page_permissions(actions: Iterable[str]) -> list[Permission]:
    page_model = swapper.load_model("wagtailcore", "Page")
    content_type = ContentType.objects.get_for_model(page_model)
    codenames = [get_permission_codename(action, page_model._meta) for action in actions]
    return list(Permission.objects.filter(content_type=content_type, codename__in=codenames))


def media_permissions(actions: Iterable[str]) -> list[Permission]:
    """The documents' and images' permissions for `actions`, in one query."""
    codenames = [f"{action}_{model}" for model in ("document", "image") for action in actions]
    return list(
        Permission.objects.filter(content_type__app_label__in=("wagtaildocs", "wagtailimages"), codename__in=codenames)
    )


def pages_grant(group: Group, page, actions: Iterable[str]) -> None:
    """`group` holds exactly `actions` on `page`: in at most four queries, whatever it held before."""
    wanted = {permission.pk: permission for permission in page_permissions(actions)}
    held = GroupPagePermission.objects.filter(group=group, page=page)
    held_ids = set(held.values_list("permission_id", flat=True))
    if held_ids - wanted.keys():
        held.exclude(permission_id__in=wanted).delete()
    missing = wanted.keys() - held_ids
    if missing:
        GroupPagePermission.objects.bulk_create(
            [GroupPagePermission(group=group, page=page, permission=wanted[pk]) for pk in missing],
            ignore_conflicts=True,
        )


def collection_grant(group: Group, collection: Collection, actions: Iterable[str]) -> None:
    """`group` holds at least `actions` on `collection`'s documents and images: three queries at most."""
    wanted = {permission.pk: permission for permission in media_permissions(actions)}
    held = GroupCollectionPermission.objects.filter(group=group, collection=collection)
    missing = wanted.keys() - set(held.values_list("permission_id", flat=True))
    if missing:
        GroupCollectionPermission.objects.bulk_create(
            [GroupCollectionPermission(group=group, collection=collection, permission=wanted[pk]) for pk in missing],
            ignore_conflicts=True,
        )


def collection_child(parent: Collection, name: str) -> Collection:
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(instance=Collection(name=name))


def collection_append(parent: Collection, name: str) -> Collection:
    """A new last child of `parent`, in a constant number of queries.

    Collections keep their children sorted by name (`node_order_by`): Wagtail's `add_child` moves every
    later sibling to make room, one query each, so the 10,000th organisation's collection would cost
    thousands. Organisations' collections are simply appended, in the order the organisations came.
    """
    locked = Collection.objects.select_for_update().get(pk=parent.pk)
    last = locked.get_last_child()
    path = last._inc_path() if last is not None else Collection._get_path(locked.path, locked.depth + 1, 1)
    child = Collection.objects.create(name=name, path=path, depth=locked.depth + 1, numchild=0)
    Collection.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    return child


def admin_group(name: str) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(admin_access_permission())
    return group


def _group_name(title: str, role: str, page_id: int, group: Group | None) -> str:
    """ "<title> — <role>", cut to fit, with the page id added when another group already has that name."""
    suffix = f" — {role}"
    name = f"{title[: GROUP_NAME_LENGTH - len(suffix)]}{suffix}"
    taken = Group.objects.filter(name=name).exclude(pk=group.pk if group else None).exists()
    if taken:
        marker = f" (n° {page_id})"
        name = f"{title[: GROUP_NAME_LENGTH - len(suffix) - len(marker)]}{marker}{suffix}"
    return name


def named_group(group: Group | None, title: str, role: str, page_id: int) -> Group:
    """The recorded group, renamed with its page, or a new group of its own (never another page's)."""
    name = _group_name(title, role, page_id, group)
    if group is None:
        group = Group.objects.create(name=name)
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    group.permissions.add(admin_access_permission())
    return group
