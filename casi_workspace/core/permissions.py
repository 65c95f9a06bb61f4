"""Who the network coordinators are: their group, and whether a user belongs to it."""

from __future__ import annotations

from django.contrib.auth.models import Group

from casi_workspace.conf import get_setting


def user_is_coordinator(user) -> bool:
    """Superuser or member of the network coordinators' group; remembered on the user for the request."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_casi_is_coordinator"):
        user._casi_is_coordinator = (
            user.is_superuser or user.groups.filter(name=get_setting("COORDINATORS_GROUP")).exists()
        )
    return user._casi_is_coordinator


def coordinators_group() -> Group | None:
    return Group.objects.filter(name=get_setting("COORDINATORS_GROUP")).first()
