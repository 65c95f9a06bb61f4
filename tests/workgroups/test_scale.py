"""`casi_demo --groups N --group-documents M`: synthetic working groups, provisioned like any other, with
their documents private, resumable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from casi_workspace.demo.scale import WORKING_GROUP_SLUG_PREFIX
from casi_workspace.models import (
    SharedDocumentPage,
    WorkingGroupMembership,
    WorkingGroupPage,
    WorkingGroupRole,
    WorkingGroupWorkspace,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]


def test_groups_are_added_up_to_the_total_provisioned_and_private_and_a_rerun_adds_nothing():
    before = WorkingGroupPage.objects.count()
    call_command("casi_demo", groups=before + 2, group_documents=6, group_folders=2, stdout=StringIO())
    synthetic = list(WorkingGroupPage.objects.filter(slug__startswith=WORKING_GROUP_SLUG_PREFIX))
    assert WorkingGroupPage.objects.count() == before + 2 and len(synthetic) == 2
    for group in synthetic:
        assert WorkingGroupWorkspace.objects.filter(working_group=group).exists()
        assert WorkingGroupMembership.objects.get(working_group=group, user__username="animation-gt").role == (
            WorkingGroupRole.COORDINATOR
        )
        documents = SharedDocumentPage.objects.descendant_of(group)
        assert documents.count() == 6
        assert Client().get(group.url).status_code == 200
        assert Client().get(documents.first().url).status_code in (302, 403, 404)  # private to its members

    call_command("casi_demo", groups=before + 2, group_documents=6, group_folders=2, stdout=StringIO())
    assert WorkingGroupPage.objects.count() == before + 2
    assert SharedDocumentPage.objects.filter(slug__startswith="document-synthetique-").count() == 6 * 3  # ecsi too


def test_a_bad_number_of_groups_is_refused_in_french():
    with pytest.raises(CommandError, match="--groups prend un nombre entre 0 et 1000"):
        call_command("casi_demo", groups=-1)
