"""A working group's public page names people by the names they chose to show, never by their username."""

from __future__ import annotations

import pytest

from casi_workspace.models import WorkingGroupRole, WorkingGroupVisibility
from casi_workspace.workgroups.services.memberships import membership_add

from .helpers import group_make, user_make

pytestmark = pytest.mark.django_db


def test_the_demo_groups_page_shows_names_and_no_username(client):
    page = client.get("/groupes/ecsi/").content.decode()
    assert "Katell Le Meur" in page and "Gwenola Morvan" in page
    for username in ("animation-gt", "membre-gt-2", "membre-gt"):
        assert username not in page


def test_a_member_without_a_name_is_a_member_not_an_address(client):
    group = group_make(WorkingGroupVisibility.PUBLIC)
    nameless = user_make("sans-nom")
    named = user_make("avec-nom", first_name="Maïwenn", last_name="Kervella")
    membership_add(group=group, user=nameless)
    membership_add(group=group, user=named, role=WorkingGroupRole.COORDINATOR)
    page = client.get(group.url).content.decode()
    assert "Maïwenn Kervella" in page
    assert "Un membre" in page
    assert nameless.username not in page and nameless.email not in page
    assert named.username not in page and named.email not in page
