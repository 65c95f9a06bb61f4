"""The import's mapping step in a browser: a coordinator uploads another network's file, maps the column the
directory does not recognise, saves the mapping as a profile, and imports; the page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def test_the_coordinator_maps_a_column_saves_a_profile_and_imports(page, site_url, axe, tmp_path, site_shell):
    path = tmp_path / "reseau-voisin.csv"
    path.write_text("Intitulé;Ville;Domaine\nAssociation du navigateur;Vannes;Santé\n", encoding="utf-8")
    sign_in(page, site_url, "coordination")
    page.goto(f"{site_url}/admin/casi_workspace/organisations/import/")
    expect(page.get_by_label("Profil d’importation")).to_have_value("")
    assert axe() == []
    page.get_by_label("Fichier (CSV ou Excel)").set_input_files(str(path))
    page.get_by_role("button", name="Vérifier les colonnes").click()
    page.wait_for_url("**/columns/")

    # "Intitulé" names no column the directory knows: the name is missing until the coordinator maps it.
    expect(page.get_by_role("alert")).to_contain_text("Colonnes obligatoires manquantes : nom.")
    expect(page.get_by_label("Ville", exact=True)).to_have_value("commune")
    page.get_by_label("Intitulé", exact=True).select_option(label="Nom de la structure (nom)")
    page.get_by_role("button", name="Mettre à jour l’aperçu").click()

    preview = page.get_by_role("region", name="Lignes de l’aperçu")
    expect(preview).to_contain_text("Association du navigateur")
    expect(preview).to_contain_text("Aucune erreur")
    expect(page.get_by_label("Intitulé", exact=True)).to_have_value("nom")
    assert axe() == []

    page.get_by_label("Nom du profil").fill("Réseau du Morbihan")
    page.get_by_role("button", name="Enregistrer comme profil").click()
    expect(page.get_by_text("Profil « Réseau du Morbihan » enregistré.")).to_be_visible()

    page.get_by_role("button", name="Importer", exact=True).click()
    page.wait_for_url(f"{site_url}/admin/casi_workspace/organisations/import/*/")
    expect(page.locator("[data-count='created']")).to_have_text("1")
    assert axe() == []

    saved = site_shell(
        "from casi_workspace.models import ImportProfile, OrganisationPage; "
        "print(dict(ImportProfile.objects.get(name='Réseau du Morbihan').columns)['Intitulé'], "
        "OrganisationPage.objects.get(title='Association du navigateur').commune)"
    )
    assert saved == "nom Vannes"
