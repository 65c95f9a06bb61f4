"""The public site as a visitor finds it: every demo address answers, in French, whatever the input."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

DEMO_SLUGS = [
    "/",
    "/annuaire/",
    "/actualites/",
    "/agenda/",
    "/appels-a-projets/",
    "/emploi-volontariat/",
    "/formations/",
    "/ressources/",
    "/projets/",
    "/groupes/",
    "/adherer/",
    "/lettre/",
    "/recherche/",
]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", DEMO_SLUGS)
def test_demo_address_answers_in_french(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html


def test_organisation_page_shows_its_details(client):
    response = client.get("/annuaire/brest-sahel-solidarite/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Brest Sahel Solidarité" in html
    assert "Collectif Finistère Solidarité Internationale" in html


def test_collective_page_lists_its_members(client):
    html = client.get("/annuaire/collectif-finistere/").content.decode()
    assert "Douarnenez – Madagascar" in html
    assert "Brest Sahel Solidarité" in html


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1000000000", "9" * 400, "1%00", "2.5"])
def test_bad_page_numbers_never_fail(client, page):
    response = client.get("/annuaire/", {"page": page})
    assert response.status_code == 200


def test_directory_paginates(client):
    first = client.get("/annuaire/").content.decode()
    assert "Page 1 sur 3" in first
    assert 'rel="next"' in first


@pytest.mark.parametrize(
    "query",
    [
        "brest",
        "a\x00b",
        " ".join(["solidarité"] * 500),
        "x" * 10_000,
        "' OR 1=1 --",
        ".*(a+)+$",
        "<script>alert(1)</script>",
    ],
)
def test_hostile_search_queries_are_answered(client, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_finds_organisations(client):
    html = client.get("/recherche/", {"q": "Madagascar"}).content.decode()
    assert "Douarnenez – Madagascar" in html


def test_search_hides_drafts_and_private_pages(client):
    from wagtail.models import PageViewRestriction

    from casi_workspace.models import OrganisationPage

    private = OrganisationPage.objects.get(slug="redon-niger")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft = OrganisationPage.objects.get(slug="pontivy-laos")
    draft.unpublish()
    assert "/annuaire/redon-niger/" not in client.get("/recherche/", {"q": "Redon Niger"}).content.decode()
    assert "/annuaire/pontivy-laos/" not in client.get("/recherche/", {"q": "Pontivy Laos"}).content.decode()
    assert "/annuaire/lorient-bolivie/" in client.get("/recherche/", {"q": "Lorient Bolivie"}).content.decode()


def test_unknown_address_is_a_french_404(client):
    response = client.get("/n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_health_endpoint(client):
    response = client.get("/casi/sante/")
    assert response.status_code == 200
    assert {key: response.json()[key] for key in ("status", "database", "cache")} == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
    }


@override_settings(ROOT_URLCONF="tests.site.urls_failing", DEBUG=False)
def test_a_server_error_is_a_french_500_page_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/casi-test-erreur/")
    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="fr">' in body and "Erreur du serveur" in body and "réessayer" in body
    assert "secret-detail-of-the-failure" not in body and "Traceback" not in body
    assert response["Content-Security-Policy"]


@override_settings(ROOT_URLCONF="tests.site.urls_failing", DEBUG=False)
def test_a_lost_database_connection_is_a_french_503_page_to_come_back_to():
    """A view whose database went away (the site-wide case, with PostgreSQL restarted under gunicorn, is
    tests/core/test_database_restart.py)."""
    response = Client(raise_request_exception=False).get("/casi-test-base-absente/")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert '<html lang="fr">' in body and "Service momentanément indisponible" in body and "réessayer" in body
    assert "secret-detail-of-the-failure" not in body and "Traceback" not in body
