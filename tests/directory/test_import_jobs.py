"""Directory imports in the background: progress, the report line by line, cancellation, a stopped worker resumed
without creating anything twice, and the job's page for coordinators only."""

from __future__ import annotations

import datetime
import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casi_workspace.directory.services.import_jobs import import_job_batch_run, import_job_create
from casi_workspace.models import DirectoryPage, OrganisationImport, OrganisationPage
from tests.directory.test_import import _csv, _import, _name, _row, _siren

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/casi_workspace/organisations/import/"


@pytest.fixture
def directory() -> DirectoryPage:
    return DirectoryPage.objects.get(slug="annuaire")


def _job_url(job: OrganisationImport) -> str:
    return f"{IMPORT_URL}{job.pk}/"


def _queued(directory, rows, django_capture_on_commit_callbacks, *, user=None) -> OrganisationImport:
    """A job queued with no worker running yet."""
    with django_capture_on_commit_callbacks(execute=False):
        return import_job_create(data=_csv(rows), file_name="annuaire.csv", directory=directory, user=user)


def _imported() -> int:
    return OrganisationPage.objects.filter(title__startswith="Association d'essai").count()


def test_the_coordinator_follows_an_import_line_by_line(login, directory, django_capture_on_commit_callbacks):
    client = login("coordination")
    rows = [_row(1), _row(2, siren="123456789"), _row(3), _row(1, nom="Autre nom", commune="Quimper")]
    upload = SimpleUploadedFile("annuaire.csv", _csv(rows), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT_URL, {"file": upload, "directory": directory.pk})
    job = OrganisationImport.objects.get()
    assert response.status_code == 302 and response.url == _job_url(job)

    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Importation terminée" in html or "Terminé" in html
    progress = page.context["progress"]
    assert (progress["total"], progress["done"], progress["created"], progress["errors"]) == (4, 4, 2, 2)
    assert progress["percent"] == 100 and progress["running"] is False
    lines = [(line.line, line.outcome, line.column) for line in page.context["lines"]]
    assert lines == [(2, "created", ""), (3, "error", "siren"), (4, "created", ""), (5, "error", "")]
    assert "Même structure que la ligne 2" in html
    assert job.requested_by.username == "coordination"

    # The list of imports on the import page leads back to it.
    assert f'href="{_job_url(job)}"' in client.get(IMPORT_URL).content.decode()
    assert client.get(_job_url(job), {"format": "json"}).json()["done"] == 4


def test_a_stopped_worker_resumes_at_the_first_row_not_done(login, directory, django_capture_on_commit_callbacks):
    job = _queued(directory, [_row(seed) for seed in range(1, 6)], django_capture_on_commit_callbacks)
    assert import_job_batch_run(job.pk, limit=2) is True  # a worker did two rows, then stopped
    job.refresh_from_db()
    assert (job.status, job.done, job.created, _imported()) == ("running", 2, 2, 2)

    # Nothing moves for longer than the lease: the page offers to resume.
    OrganisationImport.objects.filter(pk=job.pk).update(progressed_at=timezone.now() - datetime.timedelta(hours=1))
    client = login("coordination")
    page = client.get(_job_url(job)).content.decode()
    assert "Reprendre l’importation" in page
    assert client.get(_job_url(job), {"format": "json"}).json()["running"] is True

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_job_url(job), {"action": "resume"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.done, job.created, job.errors, _imported()) == ("done", 5, 5, 0, 5)
    assert job.lines.filter(outcome="created").count() == 5
    assert import_job_batch_run(job.pk) is False  # a late duplicate task does nothing
    assert _imported() == 5


def test_in_file_duplicates_are_still_found_after_a_resume(directory, django_capture_on_commit_callbacks):
    job = _queued(directory, [_row(1), _row(2), _row(1, nom="Autre nom")], django_capture_on_commit_callbacks)
    import_job_batch_run(job.pk, limit=2)
    import_job_batch_run(job.pk)
    job.refresh_from_db()
    assert (job.created, job.errors) == (2, 1)
    error = job.lines.get(outcome="error")
    assert (error.line, error.message) == (4, f"Même structure que la ligne 2 (« {_name(1)} »).")


def test_cancelling_stops_after_the_batch_being_imported(login, directory, django_capture_on_commit_callbacks):
    job = _queued(directory, [_row(seed) for seed in range(1, 5)], django_capture_on_commit_callbacks)
    import_job_batch_run(job.pk, limit=1)
    client = login("coordination")
    response = client.post(_job_url(job), {"action": "cancel"}, follow=True)
    assert "L’importation s’arrête après le lot de lignes en cours." in response.content.decode()
    assert import_job_batch_run(job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.done, _imported()) == ("cancelled", 1, 1)
    assert "Annuler l’importation" not in client.get(_job_url(job)).content.decode()
    response = client.post(_job_url(job), {"action": "cancel"}, follow=True)
    assert "Cette importation est déjà terminée." in response.content.decode()


def test_a_queued_import_cancelled_never_starts(login, directory, django_capture_on_commit_callbacks):
    job = _queued(directory, [_row(1)], django_capture_on_commit_callbacks)
    login("coordination").post(_job_url(job), {"action": "cancel"})
    assert import_job_batch_run(job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.done, _imported()) == ("cancelled", 0, 0)


def test_a_refused_file_is_never_queued(login, directory):
    upload = SimpleUploadedFile("x.csv", b"Adresse;Ville\n1 rue;Brest\n", content_type="text/csv")
    response = login("coordination").post(IMPORT_URL, {"file": upload, "directory": directory.pk})
    assert response.status_code == 200
    assert "Colonnes obligatoires manquantes" in response.content.decode()
    assert not OrganisationImport.objects.exists()


@pytest.mark.parametrize("username", ["asso-a", "collectif-29", "membre-gt"])
def test_only_those_who_may_import_see_an_import(login, directory, username, django_capture_on_commit_callbacks):
    job = _queued(directory, [_row(1)], django_capture_on_commit_callbacks)
    client = login(username)
    assert client.get(_job_url(job)).status_code == 403
    assert client.post(_job_url(job), {"action": "cancel"}).status_code == 403
    job.refresh_from_db()
    assert (job.status, job.cancel_requested) == ("queued", False)


def test_anonymous_visitors_are_sent_to_sign_in(client, directory, django_capture_on_commit_callbacks):
    job = _queued(directory, [_row(1)], django_capture_on_commit_callbacks)
    response = client.get(_job_url(job))
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("path", ["999999/", "0/"])
def test_a_forged_import_id_is_a_french_404(login, path):
    response = login("coordination").get(f"{IMPORT_URL}{path}")
    assert response.status_code == 404
    assert "Cette importation n’existe pas (ou plus)." in response.content.decode()


@pytest.mark.parametrize("number", ["abc", "-1", "99999", "1" * 40])
def test_bad_page_numbers_of_the_report_still_give_a_page(login, directory, number, django_capture_on_commit_callbacks):
    job = _queued(directory, [_row(1)], django_capture_on_commit_callbacks)
    assert login("coordination").get(_job_url(job), {"page": number}).status_code == 200


def test_the_report_page_costs_the_same_at_any_size(
    login, directory, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = login("coordination")
    job = _queued(directory, [_row(seed, siren="1") for seed in range(1, 4)], django_capture_on_commit_callbacks)
    import_job_batch_run(job.pk)
    with django_assert_max_num_queries(30) as small:
        client.get(_job_url(job))
    big = _queued(directory, [_row(seed, siren="1") for seed in range(1, 60)], django_capture_on_commit_callbacks)
    import_job_batch_run(big.pk)
    with django_assert_max_num_queries(len(small)):
        response = client.get(_job_url(big))
    lines = response.context["lines"]
    assert (len(lines.object_list), lines.paginator.count) == (20, 59)


def test_a_dry_run_may_check_only_the_first_rows(directory):
    result = _import(_csv([_row(seed) for seed in range(1, 4)]), directory, dry_run=True, max_rows=2)
    assert (result.total, result.created) == (2, 2)
    assert "Seules les 2 premières lignes sur 3 ont été vérifiées" in " ".join(result.warnings)
    assert not OrganisationPage.objects.filter(siren=_siren(1)).exists()


def test_one_task_imports_batch_after_batch_within_its_time(directory, django_capture_on_commit_callbacks):
    job = _queued(directory, [_row(seed) for seed in range(1, 6)], django_capture_on_commit_callbacks)

    assert import_job_batch_run(job.pk, limit=2, seconds=math.inf) is False

    job.refresh_from_db()
    assert (job.status, job.done, job.created, _imported()) == ("done", 5, 5, 5)
    assert sorted(job.lines.values_list("line", flat=True)) == [2, 3, 4, 5, 6]
