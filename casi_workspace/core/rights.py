"""Page and collection rights given to Django groups: the building blocks of provisioning, idempotent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

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
    # Partner networks: the sources followed (add, change, remove) and the items received (read, hide).
    "add_partnersource",
    "change_partnersource",
    "delete_partnersource",
    "view_partnersource",
    "change_partneritem",
    "view_partneritem",
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


def collections_append(parent: Collection, names: Sequence[str]) -> list[Collection]:
    """New last children of `parent`, in four queries whatever their number.

    Collections keep their children sorted by name (`node_order_by`): Wagtail's `add_child` moves every
    later sibling to make room, one query each, so the 10,000th organisation's collection would cost
    thousands. Organisations' collections are simply appended, in the order the organisations came.
    """
    locked = Collection.objects.select_for_update().get(pk=parent.pk)
    last = locked.get_last_child()
    children = []
    for name in names:
        path = last._inc_path() if last is not None else Collection._get_path(locked.path, locked.depth + 1, 1)
        last = Collection(name=name, path=path, depth=locked.depth + 1, numchild=0)
        children.append(last)
    Collection.objects.bulk_create(children)
    Collection.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(children))
    if any(child.pk is None for child in children):  # backends that return no ids from a bulk insert
        by_path = dict(Collection.objects.filter(path__in=[c.path for c in children]).values_list("path", "pk"))
        for child in children:
            child.pk = by_path[child.path]
    return children


def admin_group(name: str) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(admin_access_permission())
    return group


def _group_names(title: str, role: str, page_id: int) -> tuple[str, str]:
    """ "<title> — <role>" cut to fit, and the same with the page's id, for when another group has the first."""
    suffix = f" — {role}"
    marker = f" (n° {page_id})"
    return (
        f"{title[: GROUP_NAME_LENGTH - len(suffix)]}{suffix}",
        f"{title[: GROUP_NAME_LENGTH - len(suffix) - len(marker)]}{marker}{suffix}",
    )


def _group_name(title: str, role: str, page_id: int, group: Group | None) -> str:
    name, with_id = _group_names(title, role, page_id)
    taken = Group.objects.filter(name=name).exclude(pk=group.pk if group else None).exists()
    return with_id if taken else name


def named_groups_create(pages: Sequence[Any], role: str) -> list[Group]:
    """A new group "<title> — <role>" for each page, with the admin's access, in four queries: `named_group`'s
    names, a page's id added to a name another group (or another of these pages) already has."""
    candidates = [_group_names(page.title, role, page.pk) for page in pages]
    taken = set(Group.objects.filter(name__in=[name for name, _with_id in candidates]).values_list("name", flat=True))
    names = []
    for name, with_id in candidates:
        name = with_id if name in taken else name
        taken.add(name)
        names.append(name)
    Group.objects.bulk_create([Group(name=name) for name in names])
    groups = list(Group.objects.filter(name__in=names))
    by_name = {group.name: group for group in groups}
    access = admin_access_permission()
    Group.permissions.through.objects.bulk_create(
        [Group.permissions.through(group_id=group.pk, permission_id=access.pk) for group in groups]
    )
    return [by_name[name] for name in names]


def pages_grant_new(grants: Sequence[tuple[Group, Any]], actions: Iterable[str]) -> None:
    """Grant `actions` to each (group, page) pair that holds nothing yet: two queries for them all."""
    permissions = page_permissions(actions)
    GroupPagePermission.objects.bulk_create(
        [GroupPagePermission(group=g, page=page, permission=p) for g, page in grants for p in permissions],
        ignore_conflicts=True,
    )


def collections_grant_new(grants: Sequence[tuple[Group, Collection]], actions: Iterable[str]) -> None:
    """Grant `actions` on documents and images to each (group, collection) pair: two queries for them all."""
    permissions = media_permissions(actions)
    GroupCollectionPermission.objects.bulk_create(
        [GroupCollectionPermission(group=g, collection=c, permission=p) for g, c in grants for p in permissions],
        ignore_conflicts=True,
    )


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
