"""Page and collection rights given to Django groups: the building blocks of provisioning, idempotent."""

from __future__ import annotations

from collections.abc import Iterable

import swapper
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
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
    permissions = []
    for app_label, model in (("wagtaildocs", "document"), ("wagtailimages", "image")):
        codenames = [f"{action}_{model}" for action in actions]
        permissions += Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    return permissions


def pages_grant(group: Group, page, actions: Iterable[str]) -> None:
    wanted = page_permissions(actions)
    GroupPagePermission.objects.filter(group=group, page=page).exclude(permission__in=wanted).delete()
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def collection_grant(group: Group, collection: Collection, actions: Iterable[str]) -> None:
    for permission in media_permissions(actions):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def collection_child(parent: Collection, name: str) -> Collection:
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(instance=Collection(name=name))


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
