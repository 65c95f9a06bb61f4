"""The import's mapping step and its profiles: the coordinator sees how each column and each unknown value is
read with a preview of the first rows, maps or ignores a column, maps a value, saves a profile that reads the
next file with no manual step; the "RRMA" profile; the directory's export with a profile re-imports unchanged."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casi_workspace.directory.services.import_mapping import profile_mapping
from casi_workspace.models import DirectoryPage, ImportProfile, ImportStatus, OrganisationImport, OrganisationPage
from tests.directory.test_import import (
    NETWORK_COLUMNS,
    _csv,
    _errors,
    _import,
    _name,
    _network_row,
    _row,
    _siren,
    _siret,
    _snapshot,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/casi_workspace/organisations/import/"


@pytest.fixture
def directory() -> DirectoryPage:
    return DirectoryPage.objects.get(slug="annuaire")


def _upload(content: bytes, name: str = "reseau.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _mapping_url(draft: OrganisationImport) -> str:
    return f"{IMPORT_URL}{draft.pk}/columns/"


def _to_mapping_step(client, directory, data: bytes, **fields) -> str:
    """Upload the file with “Check the columns”: the mapping page's address."""
    response = client.post(
        IMPORT_URL, {"file": _upload(data), "directory": directory.pk, "action": "mapping", **fields}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = OrganisationImport.objects.get(status=ImportStatus.DRAFT)
    assert response.url == _mapping_url(draft)
    return response.url


def _choices(response) -> dict[str, str]:
    """What the mapping form shows selected, as a browser would send it back, with its field names."""
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields if name != "profile_name"}


def _header_field(response, header: str) -> str:
    return next(name for written, name in response.context["form"].header_fields if written == header)


def _value_field(response, column: str, value: str) -> str:
    return next(name for written, name in response.context["form"].value_fields[column] if written == value)


def _csv_with(columns: list[str], rows: list[dict[str, str]], delimiter: str = ";") -> bytes:
    return _csv(rows, columns=columns, delimiter=delimiter)


# The mapping page ----------------------------------------------------------------------------------------------


def test_the_mapping_page_shows_the_detected_columns_and_a_preview_with_errors(login, directory):
    client = login("coordination")
    columns = [*NETWORK_COLUMNS, "Commentaire interne"]
    rows = [_network_row(seed, **{"Commentaire interne": "à relancer"}) for seed in range(1, 26)]
    rows[2]["Année de création"] = "1700"
    rows[4]["Secteurs d'activité"] = "Astrologie; Santé"
    rows[5]["Secteurs d'activité"] = "Educaton et formation"
    before = _snapshot()

    url = _to_mapping_step(client, directory, _csv_with(columns, rows))
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    detected = {
        header: response.context["form"][name].value() for header, name in response.context["form"].header_fields
    }
    assert detected["Raison sociale"] == "nom" and detected["Ville"] == "commune"
    assert detected["Secteurs d'activité"] == "secteurs" and detected["Commentaire interne"] == ""
    preview = response.context["preview"]
    assert [row.line for row in preview.rows] == list(range(2, 22))  # the first 20 rows, not the 25
    errors = {row.line: row.errors for row in preview.rows if row.errors}
    assert set(errors) == {4, 6}
    assert errors[4][0][0] == "Année de création" and "1800" in errors[4][0][1]
    assert errors[6] == [("Secteurs d'activité", "Valeur inconnue : Astrologie.")]
    assert "Valeur inconnue : Astrologie." in html and "<strong>Année de création</strong>" in html
    # The closest entry is proposed for a misspelt value; a value close to none is left in error.
    assert response.context["form"][_value_field(response, "secteurs", "Educaton et formation")].value() == (
        "education-formation"
    )
    assert response.context["form"][_value_field(response, "secteurs", "Astrologie")].value() == ""
    assert "Laisser en erreur" in html and "Ignorer cette colonne" in html
    assert _snapshot() == before  # nothing imported


def test_mapping_an_unknown_column_to_a_field_imports_it(login, directory, django_capture_on_commit_callbacks):
    client = login("coordination")
    data = _csv_with(
        ["Intitulé", "Lieu", "Tél. accueil"],
        [{"Intitulé": _name(1), "Lieu": "Morlaix", "Tél. accueil": "02 98 11 22 33"}],
    )
    url = _to_mapping_step(client, directory, data)
    page = client.get(url)
    assert "Colonnes obligatoires manquantes : nom, commune." in page.content.decode()

    choices = _choices(page) | {
        _header_field(page, "Intitulé"): "nom",
        _header_field(page, "Lieu"): "commune",
        _header_field(page, "Tél. accueil"): "telephone",
    }
    response = client.post(url, {**choices, "action": "preview"})
    assert response.status_code == 302 and response.url == url
    page = client.get(url)
    assert not page.context["preview"].file_error and page.context["preview"].rows[0].errors == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**_choices(page), "action": "import"})
    job = OrganisationImport.objects.get()
    assert response.status_code == 302 and response.url == f"{IMPORT_URL}{job.pk}/"
    assert (job.status, job.created, job.errors) == ("done", 1, 0)
    organisation = OrganisationPage.objects.get(title=_name(1))
    assert (organisation.commune, organisation.public_phone) == ("Morlaix", "02 98 11 22 33")
    # The draft is gone: its mapping page is a 404 now, the job page follows the import.
    assert client.get(url).status_code == 404


def test_ignoring_a_column(login, directory, django_capture_on_commit_callbacks):
    client = login("coordination")
    data = _csv_with(["Nom", "Commune", "Sigle"], [{"Nom": _name(1), "Commune": "Brest", "Sigle": "NE-PAS-PRENDRE"}])
    url = _to_mapping_step(client, directory, data)
    page = client.get(url)
    assert page.context["form"][_header_field(page, "Sigle")].value() == "sigle"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**_choices(page), _header_field(page, "Sigle"): "", "action": "import"})

    organisation = OrganisationPage.objects.get(title=_name(1))
    assert organisation.acronym == ""
    assert OrganisationImport.objects.get().warnings == []  # ignored on purpose: no "unknown column" warning


def test_mapping_an_unknown_sector_value_imports_the_row(login, directory, django_capture_on_commit_callbacks):
    client = login("coordination")
    data = _csv_with(NETWORK_COLUMNS, [_network_row(1, **{"Secteurs d'activité": "Astrologie; Santé"})])
    url = _to_mapping_step(client, directory, data)
    page = client.get(url)
    assert page.context["preview"].rows_in_error == 1

    field = _value_field(page, "secteurs", "Astrologie")
    client.post(url, {**_choices(page), field: "culture-patrimoine", "action": "preview"})
    page = client.get(url)
    assert page.context["preview"].rows_in_error == 0
    assert page.context["form"][field].value() == "culture-patrimoine"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**_choices(page), "action": "import"})
    organisation = OrganisationPage.objects.get(siren=_siren(1))
    assert sorted(organisation.sectors.values_list("slug", flat=True)) == ["culture-patrimoine", "sante"]


def test_many_unknown_values_are_shown_thirty_at_a_time_those_in_error_first(login, directory):
    client = login("coordination")
    rows = [_network_row(seed, **{"Secteurs d'activité": f"Thème inventé {seed:02d}"}) for seed in range(1, 36)]
    url = _to_mapping_step(client, directory, _csv_with(NETWORK_COLUMNS, rows))
    page = client.get(url)
    shown = [value for value, _name in page.context["form"].value_fields["secteurs"]]
    assert shown == [f"Thème inventé {seed:02d}" for seed in range(1, 31)]
    assert "5 autres valeurs ne sont pas affichées." in page.content.decode()

    mapped = {name: "sante" for _value, name in page.context["form"].value_fields["secteurs"]}
    client.post(url, {**_choices(page), **mapped, "action": "preview"})
    page = client.get(url)
    shown = [value for value, _name in page.context["form"].value_fields["secteurs"]]
    assert shown[:5] == [f"Thème inventé {seed:02d}" for seed in range(31, 36)]
    assert len(shown) == 30 and all(
        page.context["form"][name].value() == "sante" for _v, name in page.context["form"].value_fields["secteurs"][5:]
    )


def test_a_saved_profile_reads_the_next_file_with_no_manual_step(login, directory, django_capture_on_commit_callbacks):
    client = login("coordination")
    columns = ["Structure adhérente", "Lieu", "Domaine"]

    def file(*seeds: int) -> bytes:
        return _csv_with(
            columns, [{"Structure adhérente": _name(s), "Lieu": "Lorient", "Domaine": "Agri"} for s in seeds]
        )

    url = _to_mapping_step(client, directory, file(1))
    page = client.get(url)
    choices = _choices(page) | {
        _header_field(page, "Structure adhérente"): "nom",
        _header_field(page, "Lieu"): "commune",
        _header_field(page, "Domaine"): "secteurs",
    }
    client.post(url, {**choices, "action": "preview"})
    page = client.get(url)
    choices = _choices(page) | {_value_field(page, "secteurs", "Agri"): "agriculture-alimentation"}
    response = client.post(url, {**choices, "profile_name": "Réseau voisin", "action": "save_profile"})
    assert response.status_code == 302
    assert "Profil « Réseau voisin » enregistré." in client.get(url).content.decode()
    profile = ImportProfile.objects.get(name="Réseau voisin")
    assert profile.columns == [["Structure adhérente", "nom"], ["Lieu", "commune"], ["Domaine", "secteurs"]]
    assert profile.values == {"secteurs": [["Agri", "agriculture-alimentation"]]}
    assert profile.created_by.username == "coordination"

    # The next file from the same network: chosen with the profile, imported straight away.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT_URL, {"file": _upload(file(2, 3)), "directory": directory.pk, "profile": profile.pk}
        )
    job = OrganisationImport.objects.exclude(status=ImportStatus.DRAFT).get()
    assert response.url == f"{IMPORT_URL}{job.pk}/"
    assert (job.status, job.created, job.errors, job.warnings) == ("done", 2, 0, [])
    organisation = OrganisationPage.objects.get(title=_name(3))
    assert (organisation.commune, [s.slug for s in organisation.sectors.all()]) == (
        "Lorient",
        ["agriculture-alimentation"],
    )

    # Saving again under the same name, whatever its case, updates that profile.
    response = client.post(url, {**choices, "profile_name": "réseau VOISIN", "action": "save_profile"})
    assert "Profil « Réseau voisin » mis à jour." in client.get(url).content.decode()
    assert ImportProfile.objects.filter(name__iexact="réseau voisin").count() == 1


def test_a_profile_needs_a_name(login, directory):
    client = login("coordination")
    url = _to_mapping_step(client, directory, _csv_with(NETWORK_COLUMNS, [_network_row(1)]))
    page = client.get(url)
    response = client.post(url, {**_choices(page), "profile_name": "  ", "action": "save_profile"})
    assert response.status_code == 400
    assert "Donnez un nom au profil." in response.content.decode()


# The RRMA profile ----------------------------------------------------------------------------------------------

# A file as the regional networks' shared directory of actors lays it out (our reading of its columns).
RRMA_HEADERS = [
    "Nom de la structure",
    "Sigle",
    "Statut juridique",
    "Famille d'acteurs",
    "Adresse",
    "Code postal",
    "Ville",
    "Département",
    "Région",
    "Site internet",
    "Courriel",
    "Téléphone",
    "Pays d'intervention",
    "Thématiques",
    "ODD",
    "Adhérent au réseau",
    "SIRET",
    "RNA",
    "Latitude",
    "Longitude",
]


def _rrma_row(seed: int, **cells: str) -> dict[str, str]:
    siren = _siren(seed)
    row = {
        "Nom de la structure": _name(seed),
        "Sigle": f"RR{seed}",
        "Statut juridique": "Association loi 1901",
        "Famille d'acteurs": "Collectivité territoriale",
        "Adresse": "1 place de la Mairie",
        "Code postal": "35000",
        "Ville": "Rennes",
        "Département": "35",
        "Région": "Bretagne",
        "Site internet": f"rr-{seed}.example.org",
        "Courriel": f"contact@rr-{seed}.example.org",
        "Téléphone": "02 99 00 00 00",
        "Pays d'intervention": "Sénégal; Mali",
        "Thématiques": "Genre; Eau; ECSI",
        "ODD": "ODD 5; ODD 6",
        "Adhérent au réseau": "Oui",
        "SIRET": _siret(siren),
        "RNA": f"W35{seed:07d}",
        "Latitude": "48,1173",
        "Longitude": "-1,6778",
    }
    return row | cells


def test_the_rrma_profile_imports_an_rrma_file_with_no_hand_conversion(directory):
    profile = ImportProfile.objects.get(name="RRMA")
    rows = [_rrma_row(1), _rrma_row(2, **{"Famille d'acteurs": "Association", "Adhérent au réseau": "Non"})]

    result = _import(_csv_with(RRMA_HEADERS, rows), directory, mapping=profile_mapping(profile))

    assert (result.created, result.errors, result.warnings) == (2, 0, []), (_errors(result), result.warnings)
    first = OrganisationPage.objects.get(rna="W350000001")
    assert (first.title, first.acronym, first.actor_type, first.membership_status) == (
        _name(1),
        "RR1",
        "local_authority",
        "member",
    )
    assert (first.commune, first.postcode, first.department, first.website) == (
        "Rennes",
        "35000",
        "35",
        "https://rr-1.example.org",
    )
    assert (first.public_email, first.public_phone, str(first.latitude)) == (
        "contact@rr-1.example.org",
        "02 99 00 00 00",
        "48.117300",
    )
    assert sorted(first.sectors.values_list("slug", flat=True)) == [
        "eau-assainissement",
        "ecsi",
        "egalite-femmes-hommes",
    ]
    assert sorted(first.sdgs.values_list("number", flat=True)) == [5, 6]
    assert sorted(country.code for country in first.countries) == ["ML", "SN"]
    second = OrganisationPage.objects.get(rna="W350000002")
    assert (second.actor_type, second.membership_status) == ("association", "actor")

    # Without the profile, "Thématiques" names sectors whose labels the directory does not know.
    unmapped = _import(_csv_with(RRMA_HEADERS, [_rrma_row(3)]), directory)
    assert unmapped.created == 0 and "secteurs" in {column for _l, column, _m in _errors(unmapped)}


def test_the_coordinator_chooses_the_rrma_profile_when_uploading(login, directory):
    client = login("coordination")
    profile = ImportProfile.objects.get(name="RRMA")
    url = _to_mapping_step(client, directory, _csv_with(RRMA_HEADERS, [_rrma_row(1)]), profile=profile.pk)
    page = client.get(url)
    detected = {header: page.context["form"][name].value() for header, name in page.context["form"].header_fields}
    assert (detected["Région"], detected["Statut juridique"], detected["Thématiques"]) == ("", "", "secteurs")
    assert page.context["preview"].rows_in_error == 0
    # The values only the profile knows are listed, read as the profile reads them.
    form = page.context["form"]
    assert {value: form[name].value() for value, name in form.value_fields["secteurs"]} == {
        "Genre": "egalite-femmes-hommes",
        "Eau": "eau-assainissement",
    }


# Export = import, with the same profiles ------------------------------------------------------------------------


def _export(client, fmt: str, **query: str) -> bytes:
    response = client.get(f"/annuaire/export/{fmt}/", query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_an_export_with_a_profile_reimports_with_it_unchanged(client, directory, fmt):
    # One organisation with every field filled, besides the demo's.
    created = _import(_csv([_row(1, type="local_authority", adhesion="former", zones="bretagne|europe")]), directory)
    assert created.created == 1, _errors(created)
    profile = ImportProfile.objects.get(name="RRMA")
    data = _export(client, fmt, profil="RRMA")
    exported = OrganisationPage.objects.live().public().child_of(directory).count()
    before = _snapshot()

    result = _import(data, directory, mapping=profile_mapping(profile))

    assert (result.total, result.unchanged, result.errors) == (exported, exported, 0), _errors(result)
    assert result.warnings == []
    assert _snapshot() == before
    # Without the profile, its labels are not the directory's codes: the profile is what reads them.
    assert _import(data, directory).errors > 0


def test_the_export_writes_the_profiles_headers_and_values(client, directory):
    _import(_csv([_row(1, type="local_authority", secteurs="egalite-femmes-hommes|sante")]), directory)
    rows = list(csv.DictReader(io.StringIO(_export(client, "csv", profil="rrma").decode("utf-8-sig"))))
    header = list(rows[0])
    assert header[:4] == ["Nom de la structure", "Sigle", "Statut juridique", "Famille d'acteurs"]
    assert header[-3:] == ["mots_cles", "collectif", "url"] and "nom" not in header  # the rest under their own names
    assert "Zones d'intervention" in header
    row = next(row for row in rows if row["Nom de la structure"] == _name(1))
    assert (row["Famille d'acteurs"], row["Adhérent au réseau"], row["Région"]) == (
        "Collectivité territoriale",
        "Oui",
        "",
    )
    assert row["Thématiques"] == "Genre|Santé"

    by_id = json.loads(_export(client, "json", profil=str(ImportProfile.objects.get(name="RRMA").pk)))
    assert next(r for r in by_id if r["Nom de la structure"] == _name(1))["Thématiques"] == ["Genre", "Santé"]


def test_the_json_export_reimports_unchanged(client, directory):
    data = _export(client, "json")
    exported = OrganisationPage.objects.live().public().child_of(directory).count()
    result = _import(data, directory)
    assert (result.total, result.unchanged, result.errors) == (exported, exported, 0), _errors(result)


@pytest.mark.parametrize(
    "data",
    [b"[1, 2]", b'[{"nom": ', b"[]", b'[{"nom": "a\\u0000", "commune": "Brest"}]'],
    ids=["not-objects", "broken", "empty", "nul"],
)
def test_a_bad_json_file_is_a_file_error(directory, data):
    result = _import(data, directory)
    assert result.file_errors and not result.created


def test_an_export_with_an_unknown_profile_is_a_404(client):
    assert client.get("/annuaire/export/csv/", {"profil": "Inconnu"}).status_code == 404
    assert client.get("/annuaire/export/json/", {"profil": "999999"}).status_code == 404
    assert client.get("/annuaire/export/json/", {"profil": "9" * 40}).status_code == 404
    assert client.get("/annuaire/export/xlsx/", {"profil": "RRMA\x00"}).status_code == 404


# Who may, forged ids, cost -----------------------------------------------------------------------------------


@pytest.fixture
def draft(directory) -> OrganisationImport:
    return OrganisationImport.objects.create(
        directory=directory,
        file_name="reseau.csv",
        data=_csv_with(NETWORK_COLUMNS, [_network_row(1)]),
        status=ImportStatus.DRAFT,
    )


def test_the_coordinator_may_open_the_mapping_page(login, draft):
    assert login("coordination").get(_mapping_url(draft)).status_code == 200


@pytest.mark.parametrize("username", ["asso-a", "collectif-29", "membre-gt"])
def test_other_accounts_get_403_on_the_mapping_page(login, draft, username):
    client = login(username)
    assert client.get(_mapping_url(draft)).status_code == 403
    response = client.post(_mapping_url(draft), {"action": "import"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT
    assert client.post(IMPORT_URL, {"action": "mapping"}).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client, draft):
    response = client.get(_mapping_url(draft))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_forged_or_stale_drafts_are_a_french_404(login, draft):
    client = login("coordination")
    response = client.get(f"{IMPORT_URL}999999/columns/")
    assert response.status_code == 404
    assert "n’existe pas" in response.content.decode() or "n'existe pas" in response.content.decode()
    OrganisationImport.objects.filter(pk=draft.pk).update(status=ImportStatus.QUEUED)
    assert client.get(_mapping_url(draft)).status_code == 404
    assert client.post(_mapping_url(draft), {"action": "import"}).status_code == 404


def test_a_forged_choice_is_a_400_with_a_french_error(login, draft):
    client = login("coordination")
    page = client.get(_mapping_url(draft))
    field = _header_field(page, "Ville")
    response = client.post(_mapping_url(draft), {**_choices(page), field: "mot_de_passe", "action": "import"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ImportStatus.DRAFT


def test_a_draft_opened_as_a_job_leads_to_its_mapping_page(login, draft):
    response = login("coordination").get(f"{IMPORT_URL}{draft.pk}/")
    assert response.status_code == 302 and response.url == _mapping_url(draft)


def test_the_mapping_page_costs_the_same_queries_for_20_or_500_rows(login, directory):
    client = login("coordination")
    counts = []
    for size in (20, 500):
        rows = [_network_row(seed, **{"Secteurs d'activité": "Astrologie"}) for seed in range(size)]
        draft = OrganisationImport.objects.create(
            directory=directory,
            file_name="reseau.csv",
            data=_csv_with(NETWORK_COLUMNS, rows),
            status=ImportStatus.DRAFT,
        )
        client.get(_mapping_url(draft))  # the session and the admin's menus warmed up alike
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_mapping_url(draft))
        assert response.status_code == 200 and len(response.context["preview"].rows) == 20
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_command_reads_a_file_with_a_profile(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "rrma.csv"
    path.write_bytes(_csv_with(RRMA_HEADERS, [_rrma_row(1)]))
    call_command(
        "casi_import_organisations", str(path), "--profile", "RRMA", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert OrganisationPage.objects.get(rna="W350000001").actor_type == "local_authority"
    with pytest.raises(CommandError, match="Aucun profil"):
        call_command("casi_import_organisations", str(path), "--profile", "Inconnu", stdout=io.StringIO())


def test_importing_without_the_required_columns_stays_on_the_mapping_step(login, directory):
    client = login("coordination")
    url = _to_mapping_step(client, directory, _csv_with(["Intitulé", "Ville"], [{"Intitulé": "X", "Ville": "Brest"}]))
    page = client.get(url)
    response = client.post(url, {**_choices(page), "action": "import"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Colonnes obligatoires manquantes : nom." in response.content.decode()
    assert OrganisationImport.objects.get().status == ImportStatus.DRAFT


def test_drafts_wait_on_the_import_page_and_are_never_resumed_as_imports(login, directory, draft):
    from casi_workspace.directory.services.import_jobs import import_jobs_resume

    client = login("coordination")
    assert f'href="{_mapping_url(draft)}"' in client.get(IMPORT_URL).content.decode()
    assert draft not in import_jobs_resume()


def test_drafts_left_for_a_week_are_dropped_at_the_next_upload(login, directory, draft):
    import datetime

    from django.utils import timezone

    OrganisationImport.objects.filter(pk=draft.pk).update(requested_at=timezone.now() - datetime.timedelta(days=8))
    client = login("coordination")
    client.post(
        IMPORT_URL,
        {
            "file": _upload(_csv_with(NETWORK_COLUMNS, [_network_row(2)])),
            "directory": directory.pk,
            "action": "mapping",
        },
    )
    assert not OrganisationImport.objects.filter(pk=draft.pk).exists()
    assert OrganisationImport.objects.filter(status=ImportStatus.DRAFT).count() == 1


def test_a_value_left_in_error_stays_so_and_a_column_mapped_later_gets_its_proposals(login, directory):
    client = login("coordination")
    data = _csv_with(
        ["Nom", "Commune", "Champ d'action"],
        [{"Nom": _name(1), "Commune": "Brest", "Champ d'action": "Educaton et formation"}],
    )
    url = _to_mapping_step(client, directory, data)
    page = client.get(url)
    client.post(url, {**_choices(page), _header_field(page, "Champ d'action"): "secteurs", "action": "preview"})

    page = client.get(url)  # the column is known now: its unknown value gets the closest entry, and reads so
    field = _value_field(page, "secteurs", "Educaton et formation")
    assert page.context["form"][field].value() == "education-formation"
    assert page.context["preview"].rows_in_error == 0

    client.post(url, {**_choices(page), field: "", "action": "preview"})
    page = client.get(url)
    assert page.context["form"][field].value() == ""
    assert page.context["preview"].rows[0].errors[0][0] == "Champ d'action"


def _workbook(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(columns)
    for row in rows:
        workbook.active.append([row[column] for column in columns])
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_a_workbook_or_a_json_file_goes_through_the_mapping_step(
    login, directory, fmt, django_capture_on_commit_callbacks
):
    rows = [{"Intitulé": _name(seed), "Ville": "Quimperlé"} for seed in (1, 2)]
    data = _workbook(["Intitulé", "Ville"], rows) if fmt == "xlsx" else json.dumps(rows).encode()
    client = login("coordination")
    response = client.post(
        IMPORT_URL, {"file": _upload(data, f"reseau.{fmt}"), "directory": directory.pk, "action": "mapping"}
    )
    url = response.url
    page = client.get(url)
    choices = _choices(page) | {_header_field(page, "Intitulé"): "nom"}
    client.post(url, {**choices, "action": "preview"})
    page = client.get(url)
    assert [row.cells for row in page.context["preview"].rows] == [[_name(1), "Quimperlé"], [_name(2), "Quimperlé"]]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**_choices(page), "action": "import"})
    assert OrganisationPage.objects.filter(commune="Quimperlé", title__in=[_name(1), _name(2)]).count() == 2
