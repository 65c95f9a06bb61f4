"""The directory in a real browser: filtering by département redraws the map's markers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _marker_count(page) -> int:
    map_element = page.locator("#directory-map")
    expect(map_element).to_have_attribute("data-marker-count", re.compile(r"^\d+$"))
    return int(map_element.get_attribute("data-marker-count"))


def test_filtering_by_departement_changes_the_markers(page, site_url):
    page.goto(f"{site_url}/annuaire/")
    everyone = _marker_count(page)
    assert everyone >= 40
    assert page.locator("#directory-map path.leaflet-interactive").count() == everyone

    page.get_by_label("Département").select_option("29")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/annuaire/?**departement=29**")
    finistere = _marker_count(page)
    assert 0 < finistere < everyone
    assert page.locator("#directory-map path.leaflet-interactive").count() == finistere
    expect(page.locator("#map-status")).to_have_text(f"{finistere} acteurs sur la carte")
    expect(page.get_by_role("status").first).to_contain_text(f"{finistere} acteurs")


def test_markers_show_when_tiles_cannot_load(page, site_url):
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(f"{site_url}/annuaire/?departement=56")
    assert _marker_count(page) > 0
    expect(page.locator("#directory-map path.leaflet-interactive").first).to_be_visible()


def test_a_marker_leads_to_the_organisation(page, site_url):
    page.goto(f"{site_url}/annuaire/?q=Madagascar")
    assert _marker_count(page) == 1
    page.locator("#directory-map path.leaflet-interactive").click()
    page.locator("#directory-map").get_by_role("link", name="Douarnenez – Madagascar").click()
    page.wait_for_url("**/annuaire/douarnenez-madagascar/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Douarnenez – Madagascar")
