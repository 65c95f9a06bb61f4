"""What an organisation costs the import: a fixed number of queries, wherever its name sorts among the others."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection

from casi_workspace.models import DirectoryPage, OrganisationWorkspace
from tests.directory.test_import import _csv, _import, _name, _row

pytestmark = pytest.mark.django_db

# New organisations are inserted a batch at a time: the organisations the batch's rows may name are read in one
# query, and the batch's inserts, search and reference index entries, workspaces and history take about fifty
# in all (under six queries an organisation for ten, under two for a batch of a hundred).
MAX_QUERIES_PER_ORGANISATION = 20


@pytest.fixture
def directory() -> DirectoryPage:
    return DirectoryPage.objects.get(slug="annuaire")


def _queries_per_created(directory, rows: list[dict[str, str]]) -> float:
    with CaptureQueriesContext(connection) as queries:
        result = _import(_csv(rows), directory)
    assert (result.created, result.row_errors) == (len(rows), [])
    return len(queries) / len(rows)


def test_an_organisation_costs_the_same_wherever_its_name_sorts(directory):
    """Wagtail keeps collections sorted by name and moves every later one to insert another: the workspaces'
    collections are appended instead, or the 10,000th organisation would cost thousands of queries."""
    _import(_csv([_row(21)]), directory)  # what is read once a process (content types…) is read here
    last = _queries_per_created(directory, [_row(seed, nom=f"Zz {_name(seed)}") for seed in range(1, 11)])
    first = _queries_per_created(directory, [_row(seed, nom=f"Aa {_name(seed)}") for seed in range(11, 21)])
    assert first == last
    assert last <= MAX_QUERIES_PER_ORGANISATION


def test_appended_collections_form_a_sound_tree(directory):
    _import(_csv([_row(seed, nom=f"{letter} association") for seed, letter in enumerate("ZAM", start=1)]), directory)
    workspaces = OrganisationWorkspace.objects.filter(organisation__title__endswith=" association")
    parent = workspaces.first().collection.get_parent()
    assert sorted(workspace.collection.get_parent() == parent for workspace in workspaces) == [True] * 3
    assert parent.numchild == parent.get_children().count()
    assert Collection.find_problems() == ([], [], [], [], [])
    assert [c.name for c in parent.get_children()][-3:] == ["Z association", "A association", "M association"]
