"""The CSV import of organisations: the service, the management command and the coordinators' admin view."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from stdnum import luhn
from wagtail.models import PageLogEntry, Revision

from casi_workspace.core.validators import validate_rna, validate_siren, validate_siret
from casi_workspace.directory.exports import COLUMNS
from casi_workspace.directory.services import imports
from casi_workspace.directory.services.imports import organisations_import
from casi_workspace.models import DirectoryPage, OrganisationPage, OrganisationWorkspace

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/casi_workspace/organisations/import/"
COLLECTIVE = "Collectif Finistère Solidarité Internationale"


def _siren(seed: int) -> str:
    body = f"99{seed:06d}"
    return body + luhn.calc_check_digit(body)


def _siret(siren: str, establishment: int = 1) -> str:
    body = f"{siren}{establishment:04d}"
    return body + luhn.calc_check_digit(body)


def _name(seed: int) -> str:
    """Names far enough apart that the duplicate detection never takes one for another."""
    return f"Association d'essai {hashlib.sha256(str(seed).encode()).hexdigest()[:8]}"


def _wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def _row(seed: int, **cells: str) -> dict[str, str]:
    siren = _siren(seed)
    row = {
        "nom": _name(seed),
        "sigle": f"AE{seed}",
        "type": "association",
        "adhesion": "member",
        "rna": f"W29{seed:07d}",
        "siren": siren,
        "siret": _siret(siren),
        "adresse": f"{seed} rue du Port",
        "code_postal": "29200",
        "commune": "Brest",
        "departement": "29",
        "latitude": "48.3904",
        "longitude": "-4.4861",
        "zones": "afrique-ouest|bretagne",
        "pays": "SN|ML",
        "secteurs": "sante|ecsi",
        "odd": "3|4",
        "mots_cles": "jumelage|festival",
        "site_web": f"https://essai-{seed}.example.org/",
        "courriel": f"contact@essai-{seed}.example.org",
        "telephone": "02 98 00 00 00",
        "annee_creation": "1999",
        "collectif": COLLECTIVE,
        "url": "",
    }
    return row | cells


def _csv(rows: list[dict[str, str]], *, columns=None, delimiter: str = ",", encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or COLUMNS, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def directory() -> DirectoryPage:
    return DirectoryPage.objects.get(slug="annuaire")


def _import(data: bytes, directory: DirectoryPage, *, dry_run: bool = False, **kwargs) -> imports.ImportReport:
    return organisations_import(rows_source=data, directory=directory, dry_run=dry_run, **kwargs)


def _snapshot() -> dict[str, object]:
    return {
        "pages": list(OrganisationPage.objects.order_by("pk").values_list("pk", "title", "live", "latest_revision")),
        "revisions": Revision.objects.count(),
        "log": PageLogEntry.objects.count(),
        "workspaces": OrganisationWorkspace.objects.count(),
    }


def _errors(result: imports.ImportReport) -> list[tuple[int, str, str]]:
    return [(error.line, error.column, error.message) for error in result.row_errors]


# Creating, updating, idempotence ---------------------------------------------------------------------------


def test_valid_file_creates_published_provisioned_organisations(directory):
    rows = [_row(1), _row(2, nom="Les Amis du Sénégal", commune="Quimper", code_postal="29000")]
    result = _import(_csv(rows), directory)

    assert (result.created, result.updated, result.unchanged, result.errors) == (2, 0, 0, 0), _errors(result)
    assert not result.file_errors and not result.warnings
    page = OrganisationPage.objects.get(siren=_siren(1))
    assert page.get_parent().specific == directory
    assert page.live and not page.has_unpublished_changes and page.revisions.count() == 1
    assert (page.title, page.acronym, page.rna, page.siret) == (_name(1), "AE1", "W290000001", _siret(_siren(1)))
    assert (page.commune, page.department, page.latitude) == ("Brest", "29", Decimal("48.3904"))
    assert (page.year_founded, page.website) == (1999, "https://essai-1.example.org/")
    assert sorted(zone.code for zone in page.zones.all()) == ["afrique-ouest", "bretagne"]
    assert sorted(country.code for country in page.countries) == ["ML", "SN"]
    assert sorted(sector.slug for sector in page.sectors.all()) == ["ecsi", "sante"]
    assert sorted(goal.number for goal in page.sdgs.all()) == [3, 4]
    assert sorted(tag.name for tag in page.tags.all()) == ["festival", "jumelage"]
    assert page.parent_collective.title == COLLECTIVE
    assert OrganisationWorkspace.objects.filter(organisation=page).exists()
    assert OrganisationPage.objects.get(title="Les Amis du Sénégal").workspace.editors_group
    assert [(change.line, change.outcome) for change in result.changes] == [(2, "created"), (3, "created")]


def test_second_run_changes_nothing(directory):
    data = _csv([_row(1), _row(2)])
    _import(data, directory)
    before = _snapshot()

    result = _import(data, directory)

    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 0, 2, 0)
    assert _snapshot() == before


def test_modified_row_updates_and_publishes(directory):
    _import(_csv([_row(1), _row(2)]), directory)
    page = OrganisationPage.objects.get(siren=_siren(1))
    revisions = page.revisions.count()

    result = _import(_csv([_row(1, sigle="NOUV", secteurs="sante", mots_cles="", type=""), _row(2)]), directory)

    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 1, 1, 0)
    page.refresh_from_db()
    assert page.acronym == "NOUV" and page.actor_type == "association"  # an empty type keeps the current one
    assert [sector.slug for sector in page.sectors.all()] == ["sante"]
    assert not page.tags.exists()
    assert page.revisions.count() == revisions + 1 and not page.has_unpublished_changes


def test_dry_run_writes_nothing(directory):
    before = _snapshot()
    result = _import(_csv([_row(1), _row(2)]), directory, dry_run=True)
    assert (result.created, result.errors, result.dry_run) == (2, 0, True)
    assert _snapshot() == before

    _import(_csv([_row(1)]), directory)
    before = _snapshot()
    result = _import(_csv([_row(1, sigle="AUTRE")]), directory, dry_run=True)
    assert result.updated == 1
    assert _snapshot() == before
    assert OrganisationPage.objects.get(siren=_siren(1)).acronym == "AE1"


def _refusal(table: str, column: str):
    """Make the database refuse to store a row of `table` whose `column` has the value given to the function
    returned, as a full disk or a lost connection would refuse anything."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE FUNCTION casi_refuse_{table}() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.{column} = current_setting('casi.refused_{table}', true) THEN "
                "RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER casi_refuse_{table} BEFORE INSERT ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION casi_refuse_{table}()"
            )
        else:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS casi_refused_{table} (value TEXT)")
            cursor.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS casi_refuse_{table} BEFORE INSERT ON {table} "
                f"WHEN NEW.{column} IN (SELECT value FROM casi_refused_{table}) "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )

    def refuse(value: str) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT set_config('casi.refused_{table}', %s, false)", [value])
            else:
                cursor.execute(f"INSERT INTO casi_refused_{table} (value) VALUES (%s)", [value])

    return refuse


@pytest.fixture
def collection_refused():
    """That row fails after its page was created, while its workspace is being provisioned."""
    return _refusal("wagtailcore_collection", "name")


@pytest.fixture
def page_refused():
    """That row fails as its page is inserted with the others of its batch."""
    return _refusal("wagtailcore_page", "title")


def test_a_row_is_all_or_nothing(directory, collection_refused):
    collection_refused(_name(2))
    before = Revision.objects.count()

    result = _import(_csv([_row(1), _row(2), _row(3)]), directory)

    assert (result.created, result.errors) == (2, 1)
    assert [(line, column) for line, column, _message in _errors(result)] == [(3, "")]
    assert "disk full" in _errors(result)[0][2]
    assert not OrganisationPage.objects.filter(siren=_siren(2)).exists()
    assert not OrganisationWorkspace.objects.filter(organisation__title=_name(2)).exists()
    assert Revision.objects.count() == before + 2


def test_a_row_the_database_refuses_fails_alone_and_the_rest_of_its_batch_imports(directory, page_refused):
    page_refused(_name(2))

    result = _import(_csv([_row(1), _row(2), _row(3)]), directory)

    assert (result.created, result.errors) == (2, 1)
    assert [(line, column) for line, column, _message in _errors(result)] == [(3, "")]
    assert "disk full" in _errors(result)[0][2]
    imported = OrganisationPage.objects.filter(siren__in=[_siren(1), _siren(3)]).values_list("title", flat=True)
    assert set(imported) == {_name(1), _name(3)}
    assert not OrganisationPage.objects.filter(siren=_siren(2)).exists()
    assert OrganisationWorkspace.objects.filter(organisation__title=_name(3)).exists()


def test_progress_is_reported_every_hundred_rows(directory):
    lines: list[str] = []
    rows = [_row(n, siren="123456789") for n in range(250)]  # every row is in error: nothing is written

    result = _import(_csv(rows), directory, report=lines.append)

    assert result.errors == 250
    assert [line.rsplit(" ", 1)[-1] for line in lines] == ["100/250", "200/250", "250/250"]


# The file --------------------------------------------------------------------------------------------------


def test_missing_required_columns_is_a_file_error(directory):
    before = _snapshot()
    result = _import(b"intitule,lieu\nFoo,Brest\n", directory)
    assert len(result.file_errors) == 1
    assert "nom, commune" in result.file_errors[0]
    assert result.total == 0 and _snapshot() == before

    result = _import(_csv([_row(1)], columns=["nom", "sigle"]), directory)
    assert "commune" in result.file_errors[0] and "nom, commune" not in result.file_errors[0]


def test_only_name_and_commune_are_required_and_unknown_columns_are_ignored(directory):
    result = _import("Nom;Commune;Remarque\nTerre des Jeunes;Lorient;à rappeler\n".encode(), directory)
    assert (result.created, result.errors) == (1, 0)
    assert "Remarque" in result.warnings[0]  # as the file names it
    page = OrganisationPage.objects.get(title="Terre des Jeunes")
    assert (page.commune, page.actor_type, page.membership_status) == ("Lorient", "association", "member")


@pytest.mark.parametrize(
    "source",
    [
        lambda text: text.encode(),
        lambda text: io.BytesIO(text.encode("utf-8-sig")),
        lambda text: io.StringIO("\ufeff" + text),
    ],
    ids=["bytes", "binary-stream", "text-stream"],
)
def test_bytes_and_streams_with_or_without_bom(directory, source):
    result = _import(source("nom,commune,departement\nTerre des Jeunes,Lorient,56\n"), directory)
    assert (result.created, result.errors, result.warnings) == (1, 0, [])
    assert OrganisationPage.objects.get(title="Terre des Jeunes").department == "56"


@pytest.mark.parametrize("end", ["\r\n", "\r", "\n"], ids=["windows", "old-mac", "unix"])
def test_any_line_end_and_a_quoted_cell_over_two_lines(directory, end):
    lines = ["nom,commune,adresse", 'Terre des Jeunes,Lorient,"1 rue du Port\nBP 12"', "Lorient Sahel,Lorient,"]
    text = end.join(lines)
    result = _import(text.encode(), directory)
    assert (result.created, result.errors) == (2, 0), _errors(result)
    assert OrganisationPage.objects.get(title="Terre des Jeunes").address == "1 rue du Port\nBP 12"


def test_windows_1252_file_is_read_with_a_warning(directory):
    data = _csv([_row(1, nom="Éducation et Solidarité Pays Bigouden", commune="Pont-l'Abbé")], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    result = _import(data, directory)

    assert result.created == 1 and len(result.warnings) == 1
    assert "1252" in result.warnings[0]
    assert OrganisationPage.objects.filter(title="Éducation et Solidarité Pays Bigouden").exists()


@pytest.mark.parametrize(
    "data",
    [
        b"nom,commune\nAssociation \x81\x8d,Brest\n",  # neither UTF-8 nor Windows-1252
        "nom,commune\nAssociation,Brest\n".encode("utf-16"),
        b"",
    ],
    ids=["undecodable", "utf-16", "empty"],
)
def test_unreadable_file_is_a_file_error(directory, data):
    before = _snapshot()
    result = _import(data, directory)
    assert len(result.file_errors) == 1 and result.file_errors[0]
    assert _snapshot() == before


def test_semicolon_file_from_a_french_spreadsheet(directory):
    row = _row(1, latitude="48,3904", longitude="-4,4861", departement="1", code_postal="1000", commune="Bourg")
    result = _import(_csv([row], delimiter=";"), directory)
    assert (result.created, result.errors) == (1, 0), _errors(result)
    page = OrganisationPage.objects.get(siren=_siren(1))
    assert (page.latitude, page.longitude, page.department, page.postcode) == (
        Decimal("48.3904"),
        Decimal("-4.4861"),
        "01",
        "01000",
    )


def test_line_with_too_many_values_is_an_error(directory):
    data = _csv([_row(1)], columns=["nom", "commune"]) + b"Trop,De,Valeurs\n"
    result = _import(data, directory)
    assert result.created == 1
    assert [(line, column) for line, column, _message in _errors(result)] == [(3, "")]


# Checks ----------------------------------------------------------------------------------------------------


def _message(validator, value: str) -> str:
    try:
        validator(value)
    except ValidationError as exc:
        return exc.messages[0]
    raise AssertionError(f"{value} is valid")


@translation.override("fr")
def test_bad_identifiers_are_reported_with_the_validators_messages(directory):
    good = _row(1)
    bad_rna = _row(2, rna="W12345")
    bad_siren = _row(3, siren="123456789")
    bad_siret = _row(4, siret=_wrong_check_digit(_siret(_siren(4))))
    result = _import(_csv([good, bad_rna, bad_siren, bad_siret]), directory)

    assert (result.created, result.errors) == (1, 3)
    assert _errors(result) == [
        (3, "rna", _message(validate_rna, "W12345")),
        (4, "siren", _message(validate_siren, "123456789")),
        (5, "siret", _message(validate_siret, _wrong_check_digit(_siret(_siren(4))))),
    ]
    assert not OrganisationPage.objects.filter(siren__in=[_siren(2), _siren(3), _siren(4)]).exists()


def test_identifiers_are_stored_compact(directory):
    siren = _siren(1)
    result = _import(_csv([_row(1, siren=f"{siren[:3]} {siren[3:6]} {siren[6:]}", rna="w29.000.0001")]), directory)
    assert result.created == 1, _errors(result)
    assert OrganisationPage.objects.filter(siren=siren, rna="W290000001").exists()


@translation.override("fr")
def test_unknown_values_are_reported_by_column(directory):
    row = _row(
        1,
        secteurs="sante|astrologie",
        departement="99",
        type="club",
        zones="atlantide",
        pays="SN|Narnia",
        odd="4|18",
        collectif="Collectif imaginaire",
        latitude="abc",
        annee_creation="1700",
        courriel="pas-un-courriel",
        nom="",
    )
    result = _import(_csv([row]), directory)

    errors = {column: message for _line, column, message in _errors(result)}
    assert result.errors == 1 and result.created == 0
    assert set(errors) == {
        "secteurs",
        "departement",
        "type",
        "zones",
        "pays",
        "odd",
        "collectif",
        "latitude",
        "annee_creation",
        "courriel",
        "nom",
    }
    assert "astrologie" in errors["secteurs"] and "sante" not in errors["secteurs"]
    assert "99" in errors["departement"] and "n’est pas un choix valide" in errors["departement"]
    assert "club" in errors["type"] and "local_authority" in errors["type"]
    assert "Narnia" in errors["pays"] and "18" in errors["odd"] and "atlantide" in errors["zones"]
    assert "Collectif imaginaire" in errors["collectif"]
    assert errors["nom"] == "Ce champ ne peut pas être vide."


def test_country_names_sector_names_and_collective_acronyms_are_accepted(directory):
    result = _import(_csv([_row(1, pays="Sénégal|mali|BFA", secteurs="Santé", collectif="CFSI")]), directory)
    assert result.created == 1, _errors(result)
    page = OrganisationPage.objects.get(siren=_siren(1))
    assert sorted(country.code for country in page.countries) == ["BF", "ML", "SN"]
    assert page.parent_collective.title == COLLECTIVE


# Duplicates ------------------------------------------------------------------------------------------------


def test_duplicates_within_the_file_are_errors_on_the_later_line(directory):
    rows = [
        _row(1),
        _row(2, siren=_siren(1), siret=""),  # same SIREN
        _row(3, nom=_name(1).upper().replace("'", " "), siren="", siret="", rna=""),  # close name, same commune
        _row(4, nom=f"{_name(1)} Rennes", commune="Rennes", siren="", siret="", rna=""),  # another commune
    ]
    result = _import(_csv(rows), directory)

    assert (result.created, result.errors) == (2, 2)
    assert [(line, column) for line, column, _message in _errors(result)] == [(3, ""), (4, "")]
    assert all("2" in message for _line, _column, message in _errors(result))
    assert OrganisationPage.objects.filter(title__startswith="Association d'essai").count() == 2


def _demo_organisation() -> OrganisationPage:
    page = OrganisationPage.objects.live().get(slug="brest-sahel-solidarite")
    if not page.siren:  # whatever the demo data holds, this test needs a SIREN
        page.siren = _siren(900)
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def test_row_with_the_siren_of_a_demo_organisation_updates_it(directory):
    page = _demo_organisation()
    count = OrganisationPage.objects.count()

    result = _import(_csv([_row(1, nom="BSS — nouveau nom", siren=page.siren, siret="", rna="")]), directory)

    assert (result.created, result.updated, result.errors) == (0, 1, 0), _errors(result)
    assert OrganisationPage.objects.count() == count
    page.refresh_from_db()
    assert page.title == "BSS — nouveau nom" and page.acronym == "AE1" and page.live


def test_row_with_a_close_name_in_the_same_commune_updates_the_demo_organisation(directory):
    page = _demo_organisation()
    count = OrganisationPage.objects.count()
    row = {"nom": "Brest Sahel Solidarite", "commune": "Brest", "sigle": "B.S.S."}

    result = _import(_csv([row], columns=["nom", "commune", "sigle"]), directory)

    assert (result.created, result.updated, result.errors) == (0, 1, 0), _errors(result)
    assert OrganisationPage.objects.count() == count
    page.refresh_from_db()
    assert page.acronym == "B.S.S." and page.title == "Brest Sahel Solidarite"


def test_close_name_in_another_commune_is_another_organisation(directory):
    _demo_organisation()
    row = {"nom": "Brest Sahel Solidarite", "commune": "Morlaix"}
    result = _import(_csv([row], columns=["nom", "commune"]), directory)
    assert (result.created, result.errors) == (1, 0), _errors(result)


def test_close_name_with_another_siren_is_a_possible_duplicate_imported_apart(directory):
    page = _demo_organisation()
    row = {"nom": page.title, "commune": page.commune, "siren": _siren(77)}

    result = _import(_csv([row], columns=["nom", "commune", "siren"]), directory)

    assert (result.created, result.updated, result.errors) == (1, 0, 0), _errors(result)
    assert any(page.title in warning and "SIREN" in warning and "Ligne 2" in warning for warning in result.warnings)
    page.refresh_from_db()
    assert page.siren != _siren(77)
    assert OrganisationPage.objects.get(siren=_siren(77)).pk != page.pk


def test_close_names_in_one_commune_with_their_own_identifiers_all_import(directory):
    rows = [
        _row(1, nom="Solidarité Bretagne Afrique"),
        _row(2, nom="Solidarite Bretagne - Afrique"),  # close name, its own SIREN and RNA
        _row(3, nom="SOLIDARITÉ BRETAGNE AFRIQUE", siren="", siret="", rna=""),  # close, no identifier: the same
    ]
    result = _import(_csv(rows), directory)

    assert (result.created, result.errors) == (2, 1), _errors(result)
    assert _errors(result)[0][:2] == (4, "")
    assert "ligne 2" in _errors(result)[0][2] and "Solidarité Bretagne Afrique" in _errors(result)[0][2]


@pytest.mark.parametrize("state", ["draft", "unpublished"])
def test_unpublished_changes_are_not_overwritten(directory, state):
    page = _demo_organisation()
    if state == "draft":
        page.acronym = "BROUILLON"
        page.save_revision()
    else:
        page.unpublish()
    acronym = page.get_latest_revision_as_object().acronym
    columns = ["nom", "commune", "sigle"]
    revisions = page.revisions.count()

    row = {"nom": page.title, "commune": page.commune}
    unchanged = _import(_csv([row | {"sigle": acronym}], columns=columns), directory)
    changed = _import(_csv([row | {"sigle": "AUTRE"}], columns=columns), directory)

    assert (unchanged.unchanged, unchanged.errors) == (1, 0)
    assert (changed.updated, changed.errors) == (0, 1)
    assert page.title in _errors(changed)[0][2]
    assert page.get_latest_revision_as_object().acronym == acronym and page.revisions.count() == revisions
    page.refresh_from_db()
    assert page.live is (state == "draft")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_directory_export_reimports_unchanged(client, directory, fmt):
    response = client.get(f"/annuaire/export/{fmt}/")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    exported = OrganisationPage.objects.live().public().child_of(directory).count()
    if fmt == "csv":
        assert data.decode("utf-8-sig").count("\n") - 1 == exported
    before = _snapshot()

    result = _import(data, directory)

    assert (result.total, result.unchanged) == (exported, exported), _errors(result)
    assert (result.created, result.updated, result.errors) == (0, 0, 0)
    assert _snapshot() == before


# The management command ------------------------------------------------------------------------------------


def _command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("casi_import_organisations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_and_prints_progress_errors_and_summary(tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_bytes(_csv([_row(1), _row(2, siren="123456789")]))

    out, err = _command(str(path), "--dry-run")
    progress, summary, dry_run = out.splitlines()
    assert progress.endswith(" 2/2")
    assert re.findall(r"\d+", summary) == ["1", "0", "0", "1"]  # created, updated, unchanged, errors
    assert dry_run and not OrganisationPage.objects.filter(siren=_siren(1)).exists()
    assert re.match(r"\D*3\D*siren\s*:", err)

    out, err = _command(str(path), "--directory", "annuaire")
    assert len(out.splitlines()) == 2 and re.findall(r"\d+", out.splitlines()[-1]) == ["1", "0", "0", "1"]
    assert OrganisationPage.objects.filter(siren=_siren(1)).exists()


def test_command_fails_on_a_whole_file_error(tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_bytes(b"intitule,lieu\n")
    with pytest.raises(CommandError, match="commune"):
        _command(str(path))
    with pytest.raises(CommandError):
        _command(str(tmp_path / "missing.csv"))
    path.write_bytes(_csv([_row(1)]))
    with pytest.raises(CommandError, match="inconnu"):
        _command(str(path), "--directory", "inconnu")


# The admin view --------------------------------------------------------------------------------------------


def _upload(content: bytes, name: str = "organisations.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_coordinator_sees_the_menu_item_and_the_form(login):
    client = login("coordination")
    assert IMPORT_URL in client.get("/admin/").content.decode()
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode() and response.context["form"]["dry_run"].initial is True


def test_coordinator_dry_runs_then_imports(login, directory, django_capture_on_commit_callbacks):
    client = login("coordination")
    data = _csv([_row(1), _row(2, siren="123456789")])

    response = client.post(IMPORT_URL, {"file": _upload(data), "directory": directory.pk, "dry_run": "on"})
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.dry_run, result.created, result.errors) == (True, 1, 1)
    assert not OrganisationPage.objects.filter(siren=_siren(1)).exists()
    assert "data-row-errors" in response.content.decode()

    # The import runs in the background (here, the worker runs it as soon as the request commits); the
    # coordinator lands on its page.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT_URL, {"file": _upload(data), "directory": directory.pk})
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 200
    progress = response.context["progress"]
    assert (progress["status"], progress["done"], progress["created"], progress["errors"]) == ("done", 2, 1, 1)
    page = OrganisationPage.objects.get(siren=_siren(1))
    assert page.live and page.latest_revision.user.username == "coordination"


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "collectif-29"])
def test_other_accounts_get_403_and_no_menu_item(login, username, directory):
    client = login(username)
    assert IMPORT_URL not in client.get("/admin/").content.decode()
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"file": _upload(_csv([_row(1)])), "directory": directory.pk})
    assert response.status_code == 403
    assert not OrganisationPage.objects.filter(siren=_siren(1)).exists()


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_superuser_may_import(login):
    assert login("admin").get(IMPORT_URL).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("organisations.pdf", b"%PDF-1.4", "ce type de fichier n’est pas accepté"),
        ("gros.csv", b"nom,commune\n" + b"x" * (5 * 1024 * 1024), "5"),
    ],
    ids=["not-csv", "too-large"],
)
def test_bad_upload_is_refused_with_a_form_error(login, directory, name, content, expected):
    client = login("coordination")
    before = _snapshot()
    response = client.post(IMPORT_URL, {"file": _upload(content, name), "directory": directory.pk, "dry_run": "on"})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert expected in " ".join(response.context["form"].errors["file"])
    assert _snapshot() == before


def test_unreadable_upload_shows_the_file_error(login, directory):
    client = login("coordination")
    response = client.post(IMPORT_URL, {"file": _upload(b"\x81\x8d\x00"), "directory": directory.pk})
    assert response.status_code == 200
    assert response.context["result"].file_errors


# Other networks' files ---------------------------------------------------------------------------------------

# A directory as another network keeps it: French headers, labels for types, oui/non for membership, lists
# inside cells separated by ";" in a ";"-separated file (quoted cells), sector names without accents.
NETWORK_COLUMNS = [
    "Raison sociale",
    "Type d'acteur",
    "Membre",
    "N° SIREN",
    "Ville",
    "Code postal",
    "Département",
    "Pays d'intervention",
    "Secteurs d'activité",
    "ODD",
    "Site internet",
    "Année de création",
]


def _network_row(seed: int, **cells: str) -> dict[str, str]:
    row = {
        "Raison sociale": _name(seed),
        "Type d'acteur": "Collectivité territoriale",
        "Membre": "oui",
        "N° SIREN": _siren(seed),
        "Ville": "Quimper",
        "Code postal": "29000",
        "Département": "29",
        "Pays d'intervention": "Sénégal; Burkina Faso",
        "Secteurs d'activité": "Sante; education et formation",
        "ODD": "2;15",
        "Site internet": f"essai-{seed}.example.org",
        "Année de création": "1998",
    }
    return row | cells


def test_another_networks_semicolon_file_imports_as_it_is(directory):
    rows = [
        _network_row(1),
        _network_row(2, **{"Type d'acteur": "association", "Membre": "NON", "Pays d'intervention": "Mali"}),
        _network_row(3, **{"Type d'acteur": "Établissement public", "Membre": "Vrai", "ODD": "ODD 4"}),
    ]
    result = _import(_csv(rows, columns=NETWORK_COLUMNS, delimiter=";"), directory)

    assert (result.created, result.errors, result.warnings) == (3, 0, []), (_errors(result), result.warnings)
    first = OrganisationPage.objects.get(siren=_siren(1))
    assert (first.actor_type, first.membership_status, first.commune, first.year_founded) == (
        "local_authority",
        "member",
        "Quimper",
        1998,
    )
    assert sorted(country.code for country in first.countries) == ["BF", "SN"]
    assert sorted(first.sectors.values_list("slug", flat=True)) == ["education-formation", "sante"]
    assert sorted(first.sdgs.values_list("number", flat=True)) == [2, 15]
    second = OrganisationPage.objects.get(siren=_siren(2))
    assert (second.actor_type, second.membership_status) == ("association", "actor")
    third = OrganisationPage.objects.get(siren=_siren(3))
    assert (third.actor_type, third.membership_status) == ("public_body", "member")
    assert list(third.sdgs.values_list("number", flat=True)) == [4]

    again = _import(_csv(rows, columns=NETWORK_COLUMNS, delimiter=";"), directory)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 3, 0), _errors(again)


def test_a_tab_separated_file_with_comma_lists(directory):
    row = _network_row(1, **{"Pays d'intervention": "Sénégal, Mali", "Secteurs d'activité": "Santé", "ODD": "2, 15"})
    result = _import(_csv([row], columns=NETWORK_COLUMNS, delimiter="\t"), directory)
    assert (result.created, result.errors) == (1, 0), _errors(result)
    page = OrganisationPage.objects.get(siren=_siren(1))
    assert sorted(country.code for country in page.countries) == ["ML", "SN"]


def test_unknown_values_name_their_column_and_suggest_the_closest(directory):
    row = _network_row(
        1, **{"Secteurs d'activité": "Educaton et formation; Santé", "Pays d'intervention": "Senegall", "Membre": "?"}
    )
    result = _import(_csv([row], columns=NETWORK_COLUMNS, delimiter=";"), directory)

    errors = {column: message for _line, column, message in _errors(result)}
    assert result.created == 0 and set(errors) == {"secteurs", "pays", "adhesion"}
    suggestion = "Educaton et formation (vouliez-vous dire « Éducation et formation » ?)"
    assert errors["secteurs"] == f"Valeur inconnue : {suggestion}."
    assert "Senegall" in errors["pays"] and "Sénégal" in errors["pays"]


def test_an_excel_workbook_imports_like_its_csv(directory):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(NETWORK_COLUMNS)
    for seed in (1, 2):
        row = _network_row(seed)
        sheet.append([int(row[c]) if c in ("N° SIREN", "Année de création") else row[c] for c in NETWORK_COLUMNS])
    data = io.BytesIO()
    workbook.save(data)

    result = _import(data.getvalue(), directory)

    assert (result.created, result.errors) == (2, 0), _errors(result)
    page = OrganisationPage.objects.get(siren=_siren(2))
    assert (page.year_founded, page.actor_type, page.department) == (1998, "local_authority", "29")
    assert [error.line for error in _import(data.getvalue(), directory).row_errors] == []


def test_a_damaged_workbook_is_a_file_error(directory):
    before = _snapshot()
    result = _import(b"PK\x03\x04" + b"not really a workbook" * 10, directory)
    assert result.file_errors == ["Ce classeur est illisible : enregistrez-le de nouveau en .xlsx ou en CSV UTF-8."]
    assert _snapshot() == before


def test_a_coordinator_uploads_an_excel_workbook(login, directory, django_capture_on_commit_callbacks):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Nom", "Commune"])
    workbook.active.append(["Association tableur", "Morlaix"])
    data = io.BytesIO()
    workbook.save(data)
    client = login("coordination")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT_URL, {"file": _upload(data.getvalue(), "annuaire.xlsx"), "directory": directory.pk}
        )
    assert client.get(response.url).context["progress"]["created"] == 1
    assert OrganisationPage.objects.filter(title="Association tableur", commune="Morlaix").exists()


def test_the_excel_export_keeps_every_field_as_the_csv_does(client):
    from openpyxl import load_workbook

    exported = b"".join(client.get("/annuaire/export/csv/").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    response = client.get("/annuaire/export/xlsx/")
    assert response["Content-Disposition"] == 'attachment; filename="annuaire.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    cells = [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == rows[0] and len(cells) == len(rows)
    for ours, theirs in zip(cells[1:], rows[1:], strict=True):
        for a, b in zip(ours, theirs, strict=True):
            assert a == b or float(a) == float(b), (a, b)  # numbers are numbers in the workbook


def test_a_workbook_that_unzips_to_gigabytes_is_refused_before_it_is_read(directory):
    """A few hundred kilobytes that would unzip past the limit (a "zip bomb"): refused at once, nothing read."""
    import zipfile

    data = io.BytesIO()
    with (
        zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as f,
    ):
        chunk = b"\0" * (1024 * 1024)
        for _ in range(imports.MAX_XLSX_UNZIPPED_MB + 1):
            f.write(chunk)
    assert len(data.getvalue()) < 1024 * 1024
    before = _snapshot()
    result = _import(data.getvalue(), directory)
    assert result.file_errors == [
        "Ce classeur dépasse 200 Mo une fois décompressé : ne gardez que la feuille de l’annuaire, "
        "ou enregistrez-le en CSV."
    ]
    assert _snapshot() == before


def test_a_file_past_the_row_limit_is_refused_whole(directory):
    rows = "".join(f"Association {n},Brest\n" for n in range(imports.MAX_ROWS + 1))
    result = _import(f"nom,commune\n{rows}".encode(), directory)
    assert result.file_errors == ["Le fichier a plus de 20000 lignes : découpez-le en plusieurs fichiers."]
    assert not OrganisationPage.objects.filter(title="Association 0").exists()
