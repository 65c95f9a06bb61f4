"""The open-data catalogue: the page a reuser reads, and its DCAT document for data portals."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from casi_workspace.demo.scale import publications_scale

pytestmark = pytest.mark.django_db

DATASET_SLUGS = ["evenements", "appels-a-projets", "formations", "offres", "ressources", "annuaire"]


def test_the_footer_of_every_page_leads_to_the_open_data_catalogue(client):
    home = BeautifulSoup(client.get("/").content, "html.parser")

    assert home.select_one("[data-open-data-link]")["href"] == "/donnees/"


def test_the_catalogue_lists_every_dataset_its_size_its_formats_and_the_licence(client):
    response = client.get("/donnees/")

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Données ouvertes"
    assert page.select_one('a[href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"]').get_text() == (
        "Licence Ouverte / Open Licence 2.0"
    )
    listed = [item["data-dataset"] for item in page.select("[data-dataset]")]
    assert listed[: len(DATASET_SLUGS)] == DATASET_SLUGS
    assert {"flux-news", "flux-event", "flux-call"} <= set(listed)
    events = page.select_one('[data-dataset="evenements"]')
    assert "éléments" in events.get_text() and "mis à jour le" in events.get_text()
    agenda = page.select_one('[data-dataset="flux-event"]')
    formats = [link.get_text(" ", strip=True).split(" — ")[0] for link in agenda.select("a")]
    assert formats == ["RSS", "Atom", "iCalendar"]


def test_every_address_in_the_catalogue_answers(client):
    page = BeautifulSoup(client.get("/donnees/").content, "html.parser")
    links = [link["href"] for link in page.select("[data-dataset] a")]

    assert len(links) >= 6 + 3 * 2 + 3
    for url in links:
        assert client.get(url.replace("http://localhost", "")).status_code == 200, url


def test_the_dcat_document_describes_each_dataset_with_its_distributions(client):
    response = client.get("/donnees/catalogue.jsonld")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    catalogue = response.json()
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["dct:license"] == {"@id": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
    titles = [dataset["dct:title"] for dataset in catalogue["dcat:dataset"]]
    assert titles[:2] == ["Événements", "Appels à projets"]
    urls = [
        distribution["dcat:accessURL"]["@id"]
        for dataset in catalogue["dcat:dataset"]
        for distribution in dataset["dcat:distribution"]
    ]
    assert any(url.endswith("/donnees/v1/annuaire/") for url in urls)
    assert any(url.endswith("/agenda/calendrier/") for url in urls)


def test_the_catalogue_costs_the_same_queries_at_any_size(client, django_assert_max_num_queries, page_cache_off):
    with django_assert_max_num_queries(100) as small:
        client.get("/donnees/")
    publications_scale(count=120, search_index=False, report=lambda _line: None)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/donnees/").status_code == 200
