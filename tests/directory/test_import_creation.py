"""An import's new organisations are inserted a batch at a time: each must come out as the admin would have made it
(its revision, search entry, history, address), and the batch must judge its own rows as it judges the directory's."""

from __future__ import annotations

import pytest
from django.utils.html import escape
from wagtail.models import PageLogEntry, ReferenceIndex

from casi_workspace.directory.services.import_jobs import import_job_create
from casi_workspace.models import DirectoryPage, OrganisationPage, PossibleDuplicate
from tests.directory.test_import import COLLECTIVE, _csv, _errors, _import, _name, _row, _siren

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory() -> DirectoryPage:
    return DirectoryPage.objects.get(slug="annuaire")


def test_the_revision_holds_what_the_live_page_holds(directory):
    _import(_csv([_row(1)]), directory)
    page = OrganisationPage.objects.get(siren=_siren(1))

    draft = page.get_latest_revision_as_object()

    assert page.live_revision_id == page.latest_revision_id
    assert (draft.pk, draft.title, draft.acronym, draft.commune) == (page.pk, page.title, page.acronym, "Brest")
    assert sorted(zone.code for zone in draft.zones.all()) == ["afrique-ouest", "bretagne"]
    assert sorted(tag.name for tag in draft.tags.all()) == ["festival", "jumelage"]
    assert sorted(goal.number for goal in draft.sdgs.all()) == [3, 4]


def test_history_says_created_and_published_once_each(directory):
    _import(_csv([_row(1), _row(2)]), directory)
    page = OrganisationPage.objects.get(siren=_siren(1))

    actions = list(PageLogEntry.objects.filter(page=page).order_by("action").values_list("action", flat=True))

    assert actions == ["wagtail.create", "wagtail.publish"]


@pytest.mark.parametrize("backend", [None, "django_tasks_db.DatabaseBackend"], ids=["immediate", "database"])
def test_new_organisations_are_found_by_the_site_and_directory_searches(
    client, directory, settings, worker, backend, django_capture_on_commit_callbacks
):
    """Imported in the background as production imports (the database task backend and its worker) or as the
    test settings do (at once): found by the header's site search and by the directory's own search."""
    if backend:
        settings.TASKS = {"default": {"BACKEND": backend}}
    rows = [_row(1, nom="Tisserands de Ouagadougou", sigle="TDO"), _row(2, nom="Potiers de Ziguinchor")]
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(data=_csv(rows), file_name="annuaire.csv", directory=directory, user=None)
    worker()
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", 2)

    for url, query in ((directory.url, "Tisserands"), ("/recherche/", "Tisserands"), ("/recherche/", "Ziguinchor")):
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        assert escape(OrganisationPage.objects.get(title__contains=query).title) in response.content.decode(), url


def test_the_parent_collective_is_in_the_reference_index(directory):
    _import(_csv([_row(1)]), directory)
    page = OrganisationPage.objects.get(siren=_siren(1))

    referenced = ReferenceIndex.get_references_for_object(page).values_list("to_object_id", flat=True)

    assert str(page.parent_collective_id) in referenced and page.parent_collective.title == COLLECTIVE


def test_same_titles_get_numbered_addresses_within_the_batch_and_after_the_directory(directory):
    rows = [_row(seed, nom="Terre des Possibles", commune=commune) for seed, commune in ((1, "Brest"), (2, "Vannes"))]
    _import(_csv(rows), directory)
    _import(_csv([_row(3, nom="Terre des Possibles", commune="Lorient")]), directory)

    slugs = sorted(OrganisationPage.objects.filter(title="Terre des Possibles").values_list("slug", flat=True))

    assert slugs == ["terre-des-possibles", "terre-des-possibles-1", "terre-des-possibles-2"]
    for page in OrganisationPage.objects.filter(title="Terre des Possibles"):
        assert page.url_path.endswith(f"/annuaire/{page.slug}/")


def test_two_new_rows_close_in_one_commune_with_other_numbers_are_a_possible_duplicate(directory):
    rows = [_row(1, nom="Solidarité Bretagne Afrique"), _row(2, nom="Solidarite Bretagne - Afrique")]

    result = _import(_csv(rows), directory)

    assert (result.created, result.errors) == (2, 0), _errors(result)
    first, second = (OrganisationPage.objects.get(siren=_siren(seed)) for seed in (1, 2))
    pair = PossibleDuplicate.objects.get()
    assert {pair.organisation_a_id, pair.organisation_b_id} == {first.pk, second.pk} and pair.found_line == 3


def test_a_row_with_the_siren_of_a_new_row_of_an_earlier_batch_is_refused(directory):
    rows = [_row(seed, nom=f"Zz {_name(seed)}") for seed in range(1, 103)]
    rows.append(_row(200, siren=_siren(1), siret=""))

    result = _import(_csv(rows), directory)

    assert (result.created, result.errors) == (102, 1)
    assert _errors(result)[0][0] == 104 and "ligne 2" in _errors(result)[0][2]


def test_a_new_organisation_opens_in_the_admin_editor(client, directory, django_user_model):
    _import(_csv([_row(1)]), directory)
    page = OrganisationPage.objects.get(siren=_siren(1))
    client.force_login(django_user_model.objects.get(username="admin"))

    response = client.get(f"/admin/pages/{page.pk}/edit/")

    assert response.status_code == 200
    assert escape(page.title) in response.content.decode()


def test_a_number_an_update_just_gave_names_that_organisation_for_the_rows_after_it(directory):
    """The organisations a batch may name are read when it starts: one a row updates is read again."""
    _import(_csv([_row(1, siren="", siret="")]), directory)
    rows = [_row(1), _row(99, nom="Tout autre nom", commune="Quimper", siren=_siren(1), siret="")]

    result = _import(_csv(rows), directory)

    assert (result.updated, result.created) == (1, 0)
    assert _errors(result) == [(3, "", f"Même structure que la ligne 2 (« {_name(1)} »).")]
    assert OrganisationPage.objects.filter(siren=_siren(1)).count() == 1
