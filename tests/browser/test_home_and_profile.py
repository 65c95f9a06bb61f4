"""The home page and an organisation's profile in a real browser, on a desktop and on a phone: no sideways
scrolling, every picture shown, no serious accessibility fault. Screenshots land in /tmp/shots/."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
PAGES = {"home": "/", "profile": "/annuaire/brest-sahel-solidarite/"}
WIDTHS = {"desktop": 1280, "phone": 390}
PICTURES = "main img:not(.leaflet-tile)"  # the map's tiles come from elsewhere (and may not load here)


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_home_and_profile_fit_the_screen_show_their_pictures_and_pass_axe(page, site_url, axe, name, device):
    page.set_viewport_size({"width": WIDTHS[device], "height": 900})
    page.goto(f"{site_url}{PAGES[name]}")

    pictures = page.locator(PICTURES)
    assert pictures.count() >= (10 if name == "home" else 2)
    for picture in pictures.all():  # the lazy ones load as they come into view, as a reader scrolls
        picture.scroll_into_view_if_needed()
        picture.evaluate("image => image.decode().catch(() => null)")
    broken = page.evaluate(
        f"[...document.querySelectorAll('{PICTURES}')]"
        ".filter(image => !image.complete || image.naturalWidth === 0).map(image => image.currentSrc || image.src)"
    )
    assert broken == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[device]
    if page.locator("[data-casi-map]").count():
        page.locator(".leaflet-control-attribution").wait_for()
    assert axe() == []

    page.evaluate("window.scrollTo(0, 0)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"home-and-profile-{name}-{WIDTHS[device]}.png"), full_page=True)


def test_the_whole_card_leads_to_the_publication(page, site_url):
    page.goto(f"{site_url}/")
    card = page.locator("#home-news").locator("xpath=ancestor::section").locator(".publication-card").first
    title = card.locator("h3 a")
    href = title.get_attribute("href")

    summary = card.locator(".card-summary")
    summary.scroll_into_view_if_needed()
    box = summary.bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + 5)  # a click on the summary, not on the title

    page.wait_for_url(f"{site_url}{href}")
