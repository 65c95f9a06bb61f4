"""Provisioning gives each organisation its own group and collection, whatever its name."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from casi_workspace.models import OrganisationWorkspace
from casi_workspace.workspaces.provisioning import organisation_provision
from tests.factories import OrganisationPageFactory

pytestmark = pytest.mark.django_db


def test_two_organisations_with_the_same_title_get_their_own_group_and_collection():
    first = OrganisationPageFactory(title="Artisans du Monde", slug="adm-brest", commune="Brest")
    second = OrganisationPageFactory(title="Artisans du Monde", slug="adm-vannes", commune="Vannes")
    one = organisation_provision(organisation=first)
    two = organisation_provision(organisation=second)
    assert one.editors_group != two.editors_group
    assert one.collection != two.collection
    assert one.editors_group.name == "Artisans du Monde — éditeurs"
    assert two.editors_group.name == f"Artisans du Monde (n° {second.pk}) — éditeurs"
    assert organisation_provision(organisation=second) == two
    assert OrganisationWorkspace.objects.filter(organisation__title="Artisans du Monde").count() == 2


def test_a_very_long_title_fits_the_group_name():
    organisation = OrganisationPageFactory(title=("Solidarité internationale " * 10)[:250], slug="tres-long")
    workspace = organisation_provision(organisation=organisation)
    assert len(workspace.editors_group.name) <= 150
    assert workspace.editors_group.name.endswith(" — éditeurs")


def test_renaming_renames_the_group_and_collection():
    organisation = OrganisationPageFactory(title="Ancien nom", slug="ancien-nom")
    workspace = organisation_provision(organisation=organisation)
    organisation.title = "Nouveau nom"
    organisation.save()
    assert organisation_provision(organisation=organisation).pk == workspace.pk
    workspace.refresh_from_db()
    assert Group.objects.get(pk=workspace.editors_group_id).name == "Nouveau nom — éditeurs"
    assert workspace.collection.name == "Nouveau nom"
