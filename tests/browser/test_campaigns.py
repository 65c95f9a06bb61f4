"""The demo's Festival des Solidarités in a real browser: a visitor filters the programme with the keyboard
and the mouse, the map follows, and axe-core finds nothing to fix, on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casi_workspace.demo.campaign import CAMPAIGN_SLUG

pytestmark = pytest.mark.browser

PROGRAMME = f"/{CAMPAIGN_SLUG}/"


def _marker_count(page) -> int:
    map_element = page.locator("#campaign-map")
    expect(map_element).to_have_attribute("data-marker-count", re.compile(r"^\d+$"))
    return int(map_element.get_attribute("data-marker-count"))


def _event_count(page) -> int:
    text = page.locator(".result-count").inner_text()
    return int(re.match(r"(\d+)", text)[1])


def test_a_visitor_filters_the_programme_by_keyboard_and_the_map_follows(page, site_url, axe):
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())  # no network: markers still show
    page.goto(f"{site_url}{PROGRAMME}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Festival des Solidarités")
    everything = _event_count(page)
    on_the_map = _marker_count(page)
    assert everything >= 25 and 0 < on_the_map < everything  # online events have no place on the map
    assert page.locator("#campaign-map path.leaflet-interactive").count() == on_the_map
    assert axe() == []

    # Département with the keyboard: focus the list, type the start of the name, then tick "accessible" and
    # send the form, each with a key.
    departement = page.get_by_label("Département")
    departement.focus()
    page.keyboard.type("Morbihan")
    expect(departement).to_have_value("56")
    accessible = page.get_by_label("Seulement les lieux accessibles aux personnes à mobilité réduite")
    accessible.focus()
    page.keyboard.press("Space")
    expect(accessible).to_be_checked()
    page.get_by_role("button", name="Filtrer").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*departement=56.*accessible=on.*"))

    filtered = _event_count(page)
    assert 0 < filtered < everything
    for meta in page.locator(".programme-event .meta").all_inner_texts():
        assert "Morbihan (56)" in meta
    assert page.locator(".programme-event .badge", has_text="Accessible").count() == filtered
    online = page.locator(".programme-event", has=page.locator(".badge", has_text="En ligne")).count()
    assert _marker_count(page) == filtered - online
    expect(page.locator("#map-status")).to_contain_text(f"{filtered - online} événements sur la carte")
    assert axe() == []

    # Then with the mouse: online events only, then clear the filters.
    page.get_by_role("link", name="Effacer les filtres").click()
    page.wait_for_url(f"{site_url}{PROGRAMME}")
    page.get_by_label("Lieu", exact=True).select_option(label="En ligne")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r".*lieu=online.*"))
    assert _event_count(page) >= 1
    expect(page.get_by_role("heading", level=4).first).to_have_text("En ligne")
    assert _marker_count(page) == 0
    assert axe() == []


def test_the_programme_by_day_and_its_links_on_a_phone(browser, axe_source, site_url):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True)
    context.add_init_script(script=axe_source)
    page = context.new_page()
    try:
        page.goto(f"{site_url}{PROGRAMME}")
        first_day = page.locator(".programme-day-title").first.inner_text()
        page.get_by_label("Jour").select_option(index=1)
        page.get_by_role("button", name="Filtrer").click()
        page.wait_for_url(re.compile(r".*jour=\d{4}-\d{2}-\d{2}.*"))
        expect(page.locator(".programme-day-title")).to_have_count(1)
        assert page.locator(".programme-day-title").inner_text() == first_day
        expect(page.get_by_role("link", name=re.compile("Programme imprimable"))).to_be_visible()
        expect(page.get_by_role("link", name="Ajouter le programme à votre agenda (iCal)")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width}px)"
        results = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        assert [violation["id"] for violation in results["violations"]] == []
    finally:
        context.close()
