"""A manager downloads their association's data from the dashboard, as a person would: one click, one ZIP."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

LINK = "Télécharger les données de l’association (ZIP)"


def _downloaded_zip(page, click) -> tuple[str, zipfile.ZipFile]:
    with page.expect_download() as download_info:
        click()
    download = download_info.value
    return download.suggested_filename, zipfile.ZipFile(download.path())


def test_a_manager_downloads_the_association_data_from_the_dashboard(page, site_url):
    sign_in(page, site_url, "asso-a")
    link = page.get_by_role("link", name=LINK)
    expect(link).to_have_count(1)
    filename, archive = _downloaded_zip(page, link.click)
    assert re.fullmatch(r"donnees-brest-sahel-solidarite-\d{4}-\d{2}-\d{2}\.zip", filename)
    assert json.loads(archive.read("organisation.json"))["nom"] == "Brest Sahel Solidarité"
    assert json.loads(archive.read("publications.json"))
    assert "README.txt" in archive.namelist() and "team.csv" in archive.namelist()
    assert "Données de Brest Sahel Solidarité" in archive.read("README.txt").decode("utf-8")


def _page_id(page, site_url: str, name: str) -> int:
    data = page.request.get(f"{site_url}/annuaire/carte/", params={"q": name}).json()
    return next(marker["id"] for marker in data["markers"] if marker["name"] == name)


def test_a_collective_coordinator_downloads_a_member_from_the_explorer(page, site_url):
    sign_in(page, site_url, "collectif-29")
    page.goto(f"{site_url}/admin/pages/{_page_id(page, site_url, 'Brest Sahel Solidarité')}/")
    page.get_by_role("button", name="Actions").first.click()
    filename, archive = _downloaded_zip(page, page.get_by_role("link", name=LINK).click)
    assert filename.startswith("donnees-brest-sahel-solidarite-")
    assert json.loads(archive.read("organisation.json"))["nom"] == "Brest Sahel Solidarité"
