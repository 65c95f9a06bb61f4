"""The design system in a real browser: the phone's compact header and its menu button, no sideways scroll,
the desktop's one-row menu, and the network identity a coordinator edits in the admin."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _news_path(page, site_url: str) -> str:
    listing = page.request.get(f"{site_url}/api/v2/pages/", params={"type": "casi_workspace.NewsPage", "limit": 1})
    return urlsplit(listing.json()["items"][0]["meta"]["html_url"]).path


LAYOUT_SHIFT = """() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 500);
})"""


def test_on_a_phone_the_menu_hides_behind_a_button_the_keyboard_opens(page, site_url, axe):
    page.set_viewport_size(PHONE)
    page.goto(f"{site_url}/actualites/")
    menu = page.get_by_role("navigation", name="Menu principal")
    button = page.get_by_role("button", name="Menu", exact=True)
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    assert page.locator(".site-header").bounding_box()["height"] < 120
    # The menu is closed from the first paint: nothing on the page moves while it loads.
    assert page.evaluate(LAYOUT_SHIFT) == 0

    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Agenda")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Rechercher sur le site")).to_be_visible()
    assert axe() == []

    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()


def test_without_javascript_the_phone_menu_stays_open(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_url}/")
    expect(page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Agenda")).to_be_visible()
    expect(page.locator(".site-nav-toggle")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("path", ["/", "/annuaire/", "news", "/annuaire/brest-sahel-solidarite/"])
def test_no_page_scrolls_sideways_on_a_phone(page, site_url, axe, path):
    page.set_viewport_size(PHONE)
    path = _news_path(page, site_url) if path == "news" else path
    page.goto(f"{site_url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".site-header").bounding_box()["height"] < 120
    assert axe() == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"design-390{path.rstrip('/').replace('/', '-') or '-home'}.png"), full_page=True)


def test_on_a_desktop_the_menu_is_one_row(page, site_url):
    page.goto(f"{site_url}/")
    expect(page.locator(".site-nav-toggle")).to_be_hidden()
    links = page.get_by_role("navigation", name="Menu principal").get_by_role("link")
    tops = {round(links.nth(index).bounding_box()["y"]) for index in range(links.count())}
    assert links.count() >= 10 and len(tops) == 1, tops
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_a_news_item_shows_its_breadcrumbs(page, site_url, axe):
    page.goto(f"{site_url}{_news_path(page, site_url)}")
    trail = page.get_by_role("navigation", name="Fil d'Ariane")
    expect(trail.get_by_role("link", name="Accueil")).to_be_visible()
    expect(trail.locator('[aria-current="page"]')).to_have_text(page.get_by_role("heading", level=1).inner_text())
    assert axe() == []


def test_a_coordinator_sets_the_network_identity(browser, site_url):
    context = browser.new_context(locale="fr-FR")
    admin = context.new_page()
    sign_in(admin, site_url, "coordination")
    admin.goto(f"{site_url}/admin/settings/casi_workspace/sitebrand/")
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Identité du réseau")
    admin.get_by_label("Accroche").fill("Agir ici et là-bas, ensemble")
    admin.get_by_label("Courriel de contact").fill("contact@casi.example")
    admin.get_by_role("button", name="Enregistrer").click()
    expect(admin.locator(".messages")).to_contain_text("Identité du réseau")
    context.close()

    visitor = browser.new_context(locale="fr-FR").new_page()
    visitor.goto(f"{site_url}/")
    expect(visitor.locator(".site-tagline")).to_have_text("Agir ici et là-bas, ensemble")
    expect(visitor.get_by_role("contentinfo").get_by_role("link", name="contact@casi.example")).to_be_visible()
    visitor.context.close()
