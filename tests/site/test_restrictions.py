"""A network with more than a thousand view restrictions: every public surface still answers, without them.

Each folder and top-level document of a working group that is not secret carries a view restriction. Wagtail's
`.public()` turns each restriction into a clause of its own: past about a thousand, SQLite refuses the query
("Expression tree is too large") and PostgreSQL tests every pattern on every row. The benchmark's network (20
groups of 50 folders) met it; `selectors.pages_public` keeps the query's size constant.
"""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from casi_workspace.core.visibility import pages_public
from casi_workspace.demo.scale import group_documents_scale
from casi_workspace.models import DocumentFolderPage
from tests.workgroups.helpers import group_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

FOLDERS = 1100
SURFACES = [
    "/",
    "/annuaire/",
    "/annuaire/?q=solidarit%C3%A9",
    "/annuaire/carte/",
    "/annuaire/etat-des-lieux/",
    "/actualites/",
    "/actualites/flux/rss/",
    "/agenda/calendrier/",
    "/recherche/?q=synth%C3%A9tique",
    "/sitemap.xml",
    "/api/v2/pages/?search=synth%C3%A9tique",
    "/api/v2/pages/?limit=20",
    "/groupes/",
]


@pytest.fixture
def restricted_network():
    """A public group with 1,100 restricted folders (20 holding a document) and a secret group."""
    group = group_make("public")
    group_documents_scale(group=group, documents=20, folders=FOLDERS, search_index=True, report=lambda _line: None)
    secret = group_make("secret")
    assert PageViewRestriction.objects.count() > FOLDERS
    return group, secret


def test_pages_public_leaves_out_exactly_the_pages_at_or_under_a_restriction(restricted_network):
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    expected = {pk for pk, path in Page.objects.values_list("pk", "path") if not path.startswith(tuple(restricted))}
    assert set(pages_public(Page.objects.all()).values_list("pk", flat=True)) == expected
    group, secret = restricted_network
    assert group.pk in expected and secret.pk not in expected


@pytest.mark.parametrize("address", SURFACES)
def test_every_public_surface_answers_without_the_restricted_pages(restricted_network, address):
    response = Client().get(address)
    assert response.status_code == 200, address
    body = response.content.decode()
    assert "dossier-synthetique-" not in body and "document-synthetique-" not in body, address
    assert "Document synthétique" not in body, address


def test_the_public_group_page_shows_the_group_but_not_its_folders(restricted_network):
    group, _secret = restricted_network
    response = Client().get(group.url)
    assert response.status_code == 200
    folder = DocumentFolderPage.objects.child_of(group).first()
    assert folder.title not in response.content.decode()
    assert Client().get(folder.url).status_code in (302, 403, 404)
