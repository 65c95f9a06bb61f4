"""The directory as visitors and robots use it: filters, search, map data, exports, statistics, details."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import PageViewRestriction

from casi_workspace.demo.scale import organisations_scale
from casi_workspace.models import DirectoryPage, OrganisationPage

# Query counts measure the views themselves, not the anonymous page cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

DIRECTORY = "/annuaire/"


def _listed(response) -> set[str]:
    return set(re.findall(r'<h3><a href="/annuaire/([^/"]+)/">', response.content.decode()))


def _markers(client, **params) -> list[dict]:
    response = client.get(f"{DIRECTORY}carte/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["markers"]


def _csv(client, **params) -> list[dict[str, str]]:
    response = client.get(f"{DIRECTORY}export/csv/", params)
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"departement": "29"}, lambda o: o.department == "29"),
        ({"type": "education"}, lambda o: o.actor_type == "education"),
        ({"pays": "ML"}, lambda o: "ML" in [c.code for c in o.countries]),
        ({"secteur": "sante"}, lambda o: o.sectors.filter(slug="sante").exists()),
        ({"odd": "4"}, lambda o: o.sdgs.filter(number=4).exists()),
        ({"statut": "actor"}, lambda o: o.membership_status == "actor"),
        (
            {"departement": "35", "type": "association"},
            lambda o: o.department == "35" and o.actor_type == "association",
        ),
    ],
)
def test_each_filter_narrows_the_map_and_the_export_to_matching_organisations(client, params, expected):
    wanted = {o.slug for o in OrganisationPage.objects.live() if expected(o)}
    assert wanted, "the demo should have organisations for this filter"
    assert {m["url"].strip("/").split("/")[-1] for m in _markers(client, **params)} == wanted
    assert {row["url"].rstrip("/").split("/")[-1] for row in _csv(client, **params)} == wanted


def test_filters_apply_to_the_listing_and_survive_pagination(client):
    response = client.get(DIRECTORY, {"departement": "29"})
    listed = _listed(response)
    assert listed == set(OrganisationPage.objects.live().filter(department="29").values_list("slug", flat=True))
    html = response.content.decode()
    assert "11 acteurs" in html or f"{len(listed)} acteurs" in html
    assert 'value="29" selected' in html


def test_full_text_search_with_a_filter(client):
    response = client.get(DIRECTORY, {"q": "Madagascar", "departement": "29"})
    assert _listed(response) == {"douarnenez-madagascar"}
    assert _listed(client.get(DIRECTORY, {"q": "Madagascar", "departement": "35"})) == set()
    assert [m["name"] for m in _markers(client, q="Madagascar")] == ["Douarnenez – Madagascar"]


@pytest.mark.parametrize(
    "params",
    [
        {"departement": "99"},
        {"type": "spaceship"},
        {"pays": "ZZ"},
        {"secteur": "n-existe-pas"},
        {"odd": "18"},
        {"odd": "abc"},
        {"statut": "<script>"},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "1000000000"},
        {"q": "\x00" + "a" * 5000},
        {"q": " OR ".join(["x"] * 600)},
    ],
)
def test_unknown_filter_values_are_ignored(client, params):
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    assert client.get(f"{DIRECTORY}carte/", params).status_code == 200
    assert client.get(f"{DIRECTORY}export/json/", params).status_code == 200
    assert client.get(f"{DIRECTORY}etat-des-lieux/", params).status_code == 200


def test_drafts_and_private_organisations_stay_out_of_every_view(client):
    draft = OrganisationPage.objects.get(slug="pontivy-laos")
    draft.unpublish()
    private = OrganisationPage.objects.get(slug="redon-niger")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    hidden = {"pontivy-laos", "redon-niger"}
    listed = set()
    for page in (1, 2, 3):
        listed |= _listed(client.get(DIRECTORY, {"page": page}))
    assert not hidden & listed
    assert not hidden & {m["url"].strip("/").split("/")[-1] for m in _markers(client)}
    assert not hidden & {row["url"].rstrip("/").split("/")[-1] for row in _csv(client)}
    statistics = client.get(f"{DIRECTORY}etat-des-lieux/", {"q": "Redon Niger"}).content.decode()
    assert "0 acteur recensé" in statistics


def test_exports_hold_public_fields_only(client):
    rows = _csv(client)
    assert len(rows) == OrganisationPage.objects.live().count()
    exported = json.dumps(rows)
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    assert organisation.private_email and organisation.private_email not in exported
    assert organisation.private_phone not in exported
    row = next(r for r in rows if r["nom"] == "Brest Sahel Solidarité")
    assert row["siren"] == organisation.siren
    assert row["pays"] == "ML|SN"
    response = client.get(f"{DIRECTORY}export/json/", {"departement": "22"})
    data = json.loads(b"".join(response.streaming_content))
    assert {item["departement"] for item in data} == {"22"}
    assert response["Content-Disposition"] == 'attachment; filename="annuaire.json"'


def test_statistics_count_every_visible_organisation(client):
    response = client.get(f"{DIRECTORY}etat-des-lieux/")
    assert response.status_code == 200
    html = response.content.decode()
    total = OrganisationPage.objects.live().count()
    for title in ("Par département", "Par type d’acteur", "Par secteur", "Par pays d’intervention"):
        assert title in html
    finistere = OrganisationPage.objects.live().filter(department="29").count()
    assert re.search(rf"<th scope=\"row\">Finistère \(29\)</th><td>{finistere}</td>", html)
    assert f"{total} acteurs recensés" in html
    assert "<table>" in html and "<caption" in html


def test_organisation_page_shows_details_but_not_private_contacts(client):
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    html = client.get(organisation.url).content.decode()
    assert "Mali" in html and "Sénégal" in html
    assert organisation.siret in html
    assert organisation.private_email not in html
    assert organisation.private_phone not in html
    assert organisation.contact_name not in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "Organization"
    assert data["name"] == "Brest Sahel Solidarité"
    assert data["address"]["addressLocality"] == "Brest"
    assert data["memberOf"]["name"] == "Collectif Finistère Solidarité Internationale"


def test_json_ld_cannot_be_closed_by_a_title(client):
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    organisation.title = "</script><script>alert(1)</script>"
    organisation.save_revision().publish()
    html = client.get(organisation.url).content.decode()
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rna", "W12345678", "Un numéro RNA est un W suivi de 9 chiffres"),
        ("rna", "12345678901", "Un numéro RNA est un W suivi de 9 chiffres"),
        ("siren", "732829321", "Ce numéro SIREN n’est pas valide"),
        ("siren", "73282932", "Ce numéro SIREN n’est pas valide"),
        ("siret", "73282932000075", "Ce numéro SIRET n’est pas valide"),
        ("siret", "ABCDEFGHIJKLMN", "Ce numéro SIRET n’est pas valide"),
    ],
)
def test_malformed_identifiers_get_a_french_field_error(field, value, message):
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    setattr(organisation, field, value)
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert message in str(error.value.message_dict[field])


def test_valid_identifiers_pass():
    organisation = OrganisationPage.objects.get(slug="brest-sahel-solidarite")
    organisation.rna, organisation.siren, organisation.siret = "W291000123", "732829320", "73282932000074"
    organisation.full_clean()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(context.captured_queries)


PUBLIC_DIRECTORY_URLS = [
    "/annuaire/",
    "/annuaire/?departement=29&secteur=sante",
    "/annuaire/?q=solidarit%C3%A9",
    "/annuaire/carte/",
    "/annuaire/etat-des-lieux/",
    "/annuaire/brest-sahel-solidarite/",
    "/annuaire/collectif-finistere/",
]


def test_query_counts_do_not_grow_with_the_directory(client, django_assert_max_num_queries):
    small = {url: _queries(client, url) for url in PUBLIC_DIRECTORY_URLS}
    organisations_scale(directory=DirectoryPage.objects.get(slug="annuaire"), count=5000, report=lambda _line: None)
    for url, count in small.items():
        with django_assert_max_num_queries(count, info=url):
            response = client.get(url)
            assert response.status_code == 200


def test_export_queries_grow_by_chunk_not_by_row(client):
    client.get("/annuaire/")  # the site's root paths, which Wagtail keeps in the cache
    small = _queries(client, "/annuaire/export/csv/")
    organisations_scale(directory=DirectoryPage.objects.get(slug="annuaire"), count=400, report=lambda _line: None)
    assert OrganisationPage.objects.live().count() == 445
    per_chunk = 1 + 4  # the rows, then zones, sectors, goals and tags
    assert _queries(client, "/annuaire/export/csv/") == small + 2 * per_chunk
