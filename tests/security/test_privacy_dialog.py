"""The page privacy dialog names only the groups the person may name: no secret working group's, no other
organisation's."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from casi_workspace.demo.data import DEFAULT_PASSWORD, TRUSTED_ASSOCIATION
from casi_workspace.models import OrganisationPage, WorkingGroupPage
from tests.permissions.support import body

pytestmark = pytest.mark.django_db

SECRET_GROUP = "groupe-pays-sahel"


def _sign_in(client, username: str):
    assert client.login(username=username, password=DEFAULT_PASSWORD)
    return client


def _secret_groups() -> list[Group]:
    workspace = WorkingGroupPage.objects.get(slug=SECRET_GROUP).workspace
    return [workspace.members_group, workspace.coordinators_group]


def test_an_editor_sees_only_its_own_groups(client):
    page = OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)
    _sign_in(client, "asso-a")
    response = client.get(f"/admin/pages/{page.pk}/privacy/")
    assert response.status_code == 200
    html = body(response)
    assert page.workspace.editors_group.name in html
    for group in _secret_groups():
        assert group.name not in html
    others = Group.objects.exclude(user__username="asso-a")
    assert not [group.name for group in others if group.name in html]


def test_a_forged_group_is_refused_and_nothing_is_restricted(client):
    page = OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)
    _sign_in(client, "asso-a")
    secret = _secret_groups()[0]
    response = client.post(
        f"/admin/pages/{page.pk}/privacy/", {"restriction_type": "groups", "groups": [str(secret.pk)]}
    )
    assert response.status_code == 200
    assert secret.name not in body(response)
    assert not PageViewRestriction.objects.filter(page=page).exists()


def test_an_existing_restriction_keeps_its_groups(client):
    """A group the coordinators chose stays offered (and checked), so that saving the dialog drops nothing."""
    page = OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)
    coordinators = Group.objects.get(name="Coordination du réseau")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    restriction.groups.add(coordinators)
    _sign_in(client, "asso-a")
    html = body(client.get(f"/admin/pages/{page.pk}/privacy/"))
    assert coordinators.name in html


def test_coordinators_see_every_group(client):
    page = OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)
    _sign_in(client, "coordination")
    html = body(client.get(f"/admin/pages/{page.pk}/privacy/"))
    for group in _secret_groups():
        assert group.name in html
