"""The public site in a real browser: French, navigable, and free of serious accessibility faults."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from casi_workspace.demo.data import DEFAULT_PASSWORD
from tests.helpers import PUBLIC_PAGES

pytestmark = pytest.mark.browser


def test_home_page_renders_in_french(page, site_url):
    page.goto(f"{site_url}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.title() == "Accueil — CASI Bretagne"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Agir ensemble")
    assert page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Agenda").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"


def test_visitor_navigates_from_home_to_an_organisation(page, site_url):
    page.goto(f"{site_url}/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Annuaire des acteurs").click()
    page.wait_for_url(f"{site_url}/annuaire/")
    page.get_by_role("link", name="Brest Sahel Solidarité").click()
    page.wait_for_url(f"{site_url}/annuaire/brest-sahel-solidarite/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brest Sahel Solidarité")


def test_visitor_searches_the_site(page, site_url):
    page.goto(f"{site_url}/")
    page.get_by_role("searchbox", name="Rechercher sur le site").fill("Madagascar")
    page.get_by_role("button", name="Rechercher").first.click()
    page.wait_for_url("**/recherche/?q=Madagascar")
    expect(page.get_by_role("link", name="Douarnenez – Madagascar", exact=True).first).to_be_visible()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_serious_accessibility_violation(page, site_url, axe, path):
    page.goto(f"{site_url}{path}")
    if page.locator("[data-casi-map]").count():
        # Check the map as drawn, its controls and attribution line included.
        page.locator(".leaflet-control-attribution").wait_for()
    assert axe() == []


PUBLICATION_INDEXES = ["/appels-a-projets/", "/emploi-volontariat/", "/formations/", "/ressources/", "/projets/"]
PUBLICATION_TYPES = [
    "NewsPage",
    "EventPage",
    "CallForProjectsPage",
    "OfferPage",
    "TrainingPage",
    "ResourcePage",
    "ProjectPage",
]


@pytest.mark.parametrize(
    "path", [*(path for path in PUBLICATION_INDEXES if path not in PUBLIC_PAGES), "/agenda/?when=past"]
)
def test_publication_page_has_no_serious_accessibility_violation(page, site_url, axe, path):
    page.goto(f"{site_url}{path}")
    assert axe() == []


@pytest.mark.parametrize("page_type", PUBLICATION_TYPES)
def test_each_kind_of_publication_has_no_serious_accessibility_violation(page, site_url, axe, page_type):
    listing = page.request.get(f"{site_url}/api/v2/pages/", params={"type": f"casi_workspace.{page_type}", "limit": 1})
    item = listing.json()["items"][0]
    page.goto(f"{site_url}{urlsplit(item['meta']['html_url']).path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(item["title"])
    assert axe() == []


def test_visitor_event_proposal_form_shows_its_errors_accessibly(page, site_url, axe):
    page.goto(f"{site_url}/agenda/proposer/")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".error-summary, [role=alert]").first).to_be_visible()
    assert axe() == []


@pytest.mark.parametrize("path", ["/casi/proposer/actualite/", "/casi/proposer/evenement/"])
def test_editor_proposal_forms_have_no_serious_accessibility_violation(page, site_url, axe, path):
    page.goto(f"{site_url}/admin/login/?next={path}")
    page.get_by_label("Nom d’utilisateur").fill("asso-b")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(f"{site_url}{path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe() == []
