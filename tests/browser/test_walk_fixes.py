"""What a walk through the public site found, checked in a real browser.

- Deleting a shared document asks first, on a page of its own that works without JavaScript: "Supprimer ce
  document ?", the document's name, "Supprimer définitivement" and "Annuler".
- Wagtail's floating userbar (signed-in editors, bottom right) never hides the library's "Télécharger" links:
  on a wide screen the content keeps clear of its column; on any screen the page ends above it.
- The agenda's month filter lists months by name, never a browser's empty month field.

Each test uploads the documents it deletes: the served demo stays as the other browser tests expect it.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import submit_login

pytestmark = pytest.mark.browser

GROUP = "/groupes/ecsi/"
FOLDER = "/groupes/ecsi/outils-danimation/"  # a folder holding a sub-folder and a document
UPLOADER = "membre-gt"  # a member of the group who may change what they shared, and sees the userbar
WIDE, PHONE = (1280, 900), (390, 844)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _sign_in_to(page: Page, site_url: str, username: str, path: str) -> None:
    page.goto(f"{site_url}/admin/login/?{urlencode({'next': path})}")
    submit_login(page, username)
    page.wait_for_url(f"{site_url}{path}")


def _upload(page: Page, tmp_path, stem: str) -> str:
    """Upload a PDF into the open folder with the library's form; return its document page's address."""
    pdf = tmp_path / f"{stem}.pdf"
    pdf.write_bytes(PDF_BYTES)
    upload = page.locator("form:has(#library-files)")
    upload.locator("#library-files").set_input_files(pdf)
    upload.locator("button[type=submit]").click()
    link = page.locator("table.library-table").get_by_role("link", name=stem, exact=True)
    expect(link).to_be_visible()
    return link.get_attribute("href")


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# --- Deleting a document -----------------------------------------------------------------------------------


def test_deleting_a_document_asks_first_and_cancelling_keeps_it(page: Page, site_url, axe, tmp_path):
    stem = f"a-supprimer-{uuid.uuid4().hex[:8]}"
    _sign_in_to(page, site_url, UPLOADER, GROUP)
    document_path = _upload(page, tmp_path, stem)
    page.goto(f"{site_url}{document_path}")

    # The actions are buttons; deleting sits apart, in its own box, and only leads to the confirmation.
    actions = page.locator("section.document-actions")
    expect(actions.get_by_role("heading", level=2)).to_have_text("Gérer ce document")
    expect(actions.locator("button.button")).not_to_have_count(0)
    danger = actions.locator(".danger-zone")
    delete_link = danger.get_by_role("link", name="Supprimer ce document…")
    expect(delete_link).to_have_class(re.compile(r"\bbutton-danger\b"))
    assert page.locator("form[action$='/supprimer/']").count() == 0
    delete_link.click()

    page.wait_for_url(re.compile(r".*/casi/groupes/pages/\d+/supprimer/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer ce document ?")
    expect(page.locator("main")).to_contain_text(stem)
    expect(page.locator("main")).to_contain_text(f"{stem}.pdf")
    expect(page.get_by_role("button", name="Supprimer définitivement")).to_be_visible()
    assert axe() == []
    _screenshot(page, "delete-confirmation-1280")
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    assert axe() == []
    _screenshot(page, "delete-confirmation-390")
    page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})

    # "Annuler" goes back to the document, still there.
    page.get_by_role("link", name="Annuler").click()
    page.wait_for_url(f"{site_url}{document_path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(stem)

    # Confirmed: the document is gone from its folder, which says so.
    page.locator(".danger-zone").get_by_role("link", name="Supprimer ce document…").click()
    page.get_by_role("button", name="Supprimer définitivement").click()
    page.wait_for_url(f"{site_url}{GROUP}")
    expect(page.locator(".messages")).to_contain_text(stem)
    expect(page.locator("table.library-table").get_by_role("link", name=stem, exact=True)).to_have_count(0)
    assert page.goto(f"{site_url}{document_path}").status == 404


def test_the_confirmation_works_without_javascript(browser: Browser, site_url, tmp_path):
    stem = f"sans-script-{uuid.uuid4().hex[:8]}"
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        _sign_in_to(page, site_url, UPLOADER, GROUP)
        document_path = _upload(page, tmp_path, stem)
        page.goto(f"{site_url}{document_path}")
        page.locator(".danger-zone a").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer ce document ?")
        # Opening the confirmation deleted nothing.
        assert page.goto(f"{site_url}{document_path}").status == 200
        page.go_back()
        page.get_by_role("button", name="Supprimer définitivement").click()
        page.wait_for_url(f"{site_url}{GROUP}")
        assert page.goto(f"{site_url}{document_path}").status == 404
    finally:
        context.close()


# --- The userbar and the "Télécharger" links ----------------------------------------------------------------


def _box(locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _userbar(page: Page):
    trigger = page.locator(".w-userbar-trigger")  # inside the userbar's shadow root, which Playwright pierces
    expect(trigger).to_be_visible()
    return trigger


def _downloads(page: Page):
    links = page.locator("table.library-table a[href$='/telecharger/']")
    expect(links.first).to_have_text(re.compile(r"^Télécharger"))
    return links.all()


def _covered(page: Page, link) -> bool:
    """Whether what the browser finds at the middle of the link is something else (the userbar)."""
    return not link.evaluate(
        """element => {
            const box = element.getBoundingClientRect();
            const found = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return found !== null && (found === element || element.contains(found));
        }"""
    )


def _check_the_page_end(page: Page, name: str) -> None:
    """Scrolled to the very end, nothing the page shows lies under the userbar."""
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1")
    trigger = _box(_userbar(page))
    for element in page.locator("main a, main button, main input, main select, footer a, footer p").all():
        if not element.is_visible():
            continue
        box = element.bounding_box()
        if box and box["width"] and box["height"]:
            assert not _overlap(box, trigger), (name, element.evaluate("e => e.outerHTML.slice(0, 120)"))
    _screenshot(page, name)


@pytest.mark.parametrize("path", [GROUP, FOLDER], ids=["group", "folder"])
def test_the_userbar_never_covers_a_download_link_on_a_wide_screen(page: Page, site_url, path):
    checker_findings = []
    page.on("console", lambda message: message.text.startswith("axe.run") and checker_findings.append(message.text))
    _sign_in_to(page, site_url, UPLOADER, path)
    page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})
    trigger = _box(_userbar(page))
    # The content's column ends left of the userbar's: whatever the scroll, no link goes under it.
    for link in _downloads(page):
        box = _box(link)
        assert box["x"] + box["width"] <= trigger["x"] - 4, (box, trigger)
    main = _box(page.locator("main"))
    assert main["x"] > 0  # the content stays centred under the header
    # Brought to the bottom edge of the window, where the userbar sits, a link is still not covered.
    for link in _downloads(page):
        link.evaluate("element => element.scrollIntoView({block: 'end'})")
        assert not _covered(page, link)
        assert not _overlap(_box(link), _box(_userbar(page)))
    _check_the_page_end(page, f"userbar-{urlsplit(path).path.strip('/').replace('/', '-')}-1280")
    # Wagtail's own checker, run by the userbar, found nothing either (it logs what it finds, e.g. a bold
    # paragraph used as a heading).
    assert checker_findings == []


@pytest.mark.parametrize("path", [GROUP, FOLDER], ids=["group", "folder"])
def test_the_page_ends_above_the_userbar_on_a_phone(page: Page, site_url, path):
    _sign_in_to(page, site_url, UPLOADER, path)
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    _userbar(page)
    # The page itself never scrolls sideways: the library's table scrolls inside its column.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    # Each link can be brought where nothing covers it (the table scrolls sideways, the page down).
    for link in _downloads(page):
        link.evaluate("element => element.scrollIntoView({block: 'center', inline: 'center'})")
        assert not _covered(page, link)
    _check_the_page_end(page, f"userbar-{urlsplit(path).path.strip('/').replace('/', '-')}-390")


# --- The agenda's month filter ----------------------------------------------------------------------------


def test_the_month_filter_lists_months_by_name(page: Page, site_url):
    page.goto(f"{site_url}/agenda/")
    month = page.get_by_label("Mois", exact=True)
    expect(month.locator("option").first).to_have_text("Tous les mois")
    labels = month.locator("option").all_inner_texts()[1:]
    assert labels, "no month is offered though the demo's agenda has events"
    months = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    assert all(re.fullmatch(rf"({months}) \d{{4}}", label) for label in labels), labels
    assert "--" not in page.locator("form.filters").inner_text()

    value = month.locator("option").nth(1).get_attribute("value")
    month.select_option(value)
    page.get_by_label("Période", exact=True).select_option("all")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*month={value}.*"))
    expect(page.get_by_label("Mois", exact=True)).to_have_value(value)
    expect(page.locator(".publication-list > li h3 a").first).to_be_visible()  # the month has events
