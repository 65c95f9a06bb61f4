"""Working groups in a real browser: members share a file through the library, outsiders cannot reach it,
and every page of a group is free of serious accessibility faults.

The demo's "ecsi" group is public and open; its documents and minutes are for its members only
(membre-gt, membre-gt-2, and animation-gt who coordinates it). asso-a edits an association outside the group.
Links and buttons whose words depend on a translation are found by their place and address, not their text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import submit_login

pytestmark = pytest.mark.browser

GROUP = "/groupes/ecsi/"
MINUTES = "/groupes/ecsi/reunion-de-rentree/"
FOLDER = "Festival des solidarités"
LOGIN_PAGES = {"/admin/login/", "/_util/login/"}
PDF_NAME = "bilan-atelier-lycee-elorn.pdf"
PDF_TITLE = "bilan-atelier-lycee-elorn"  # a shared document's title is its file name without the extension
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _sign_in_to(page: Page, site_url: str, username: str, path: str) -> None:
    """Sign `username` in through the site's login page, which leads back to `path`."""
    page.goto(f"{site_url}/admin/login/?{urlencode({'next': path})}")
    submit_login(page, username)
    page.wait_for_url(f"{site_url}{path}")


@pytest.fixture
def people(browser: Browser, site_url: str) -> Iterator[Callable[[str | None, str], Page]]:
    """Open `path` in a fresh French browser context, signed in as `username` (None: an anonymous visitor)."""
    contexts = []

    def _open(username: str | None, path: str) -> Page:
        context = browser.new_context(locale="fr-FR")
        contexts.append(context)
        tab = context.new_page()
        if username is None:
            tab.goto(f"{site_url}{path}")
        else:
            _sign_in_to(tab, site_url, username, path)
        return tab

    yield _open
    for context in contexts:
        context.close()


def _library_link(page: Page, title: str):
    return page.locator("table.library-table").get_by_role("link", name=title, exact=True)


def test_members_share_a_document_that_outsiders_cannot_reach(people, site_url, tmp_path):
    pdf = tmp_path / PDF_NAME
    pdf.write_bytes(PDF_BYTES)

    # A member opens one of the group's folders and uploads a PDF with the library's form.
    member = people("membre-gt", GROUP)
    member.locator("nav.folder-tree").get_by_role("link", name=FOLDER, exact=True).click()
    expect(member.get_by_role("heading", level=1)).to_have_text(FOLDER)
    folder_path = urlsplit(member.url).path
    assert folder_path.startswith(GROUP) and folder_path != GROUP
    expect(_library_link(member, PDF_TITLE)).to_have_count(0)
    upload = member.locator("form:has(#library-files)")
    upload.locator("#library-files").set_input_files(pdf)
    upload.locator("button[type=submit]").click()
    expect(_library_link(member, PDF_TITLE)).to_be_visible()
    assert urlsplit(member.url).path == folder_path
    row = member.locator("table.library-table tbody tr", has=member.get_by_role("link", name=PDF_TITLE, exact=True))
    expect(row).to_contain_text("Gwenola Morvan")  # membre-gt, who shared it
    expect(row).to_contain_text("PDF")

    # Another member of the group opens the folder, then the document, and downloads the very same file.
    colleague = people("membre-gt-2", folder_path)
    _library_link(colleague, PDF_TITLE).click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text(PDF_TITLE)
    document_path = urlsplit(colleague.url).path
    expect(colleague.locator("article.shared-document dl")).to_contain_text("Gwenola Morvan")
    download_link = colleague.locator("article.shared-document a.button[href$='/telecharger/']")
    download_path = download_link.get_attribute("href")
    assert re.fullmatch(r"/casi/groupes/documents/\d+/telecharger/", download_path)
    with colleague.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == PDF_NAME
    assert Path(download.path()).read_bytes() == PDF_BYTES

    # Someone signed in but outside the group: the library's pages answer as missing pages (404), the
    # download view a 403; never the file.
    outsider = people("asso-a", GROUP)
    expect(outsider.locator("#library-files")).to_have_count(0)
    for path, status in ((folder_path, 404), (document_path, 404), (download_path, 403)):
        response = outsider.goto(f"{site_url}{path}")
        assert response.status == status, path
        # The header's sign-out form carries the address asked for back (`next`): that echo is no leak.
        assert PDF_TITLE not in re.sub(r'name="next" value="[^"]*"', "", outsider.content())

    # An anonymous visitor gets the same 404 for the library's pages, whose sign-in link leads back; the
    # download view sends to the login page (LOGIN_URL), with the way back.
    anonymous = people(None, GROUP)
    expect(anonymous.locator("#library-files")).to_have_count(0)
    for path in (folder_path, document_path):
        response = anonymous.goto(f"{site_url}{path}")
        assert response.status == 404, path
        assert PDF_TITLE not in anonymous.locator("body").inner_text()
        anonymous.locator("a.not-found-sign-in-link").click()
        address = urlsplit(anonymous.url)
        assert address.path in LOGIN_PAGES, path
        assert [unquote(value) for value in parse_qs(address.query)["next"]] == [unquote(path)]
        expect(anonymous.locator("input[type=password]")).to_be_visible()
    anonymous.goto(f"{site_url}{download_path}")
    address = urlsplit(anonymous.url)
    assert address.path in LOGIN_PAGES
    assert [unquote(value) for value in parse_qs(address.query)["next"]] == [download_path]
    expect(anonymous.locator("input[type=password]")).to_be_visible()


# --- Accessibility ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/groupes/", GROUP, "/groupes/financements/", "/_util/login/?next=/groupes/financements/"],
    ids=["index", "public-group", "members-only-group", "private-page-login"],
)
def test_working_groups_for_visitors_have_no_serious_accessibility_violation(page, site_url, axe, path):
    page.goto(f"{site_url}{path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe() == []


def _search_library(page: Page, query: str) -> None:
    search = page.locator("form[role=search]:has(#library-q)")
    search.locator("#library-q").fill(query)
    search.locator("button[type=submit]").click()
    page.wait_for_url(f"**{GROUP}?q={query}")


def _open_group(page: Page) -> str:
    expect(page.locator("#library-files")).to_be_visible()
    return "Éducation à la citoyenneté et à la solidarité internationale"


def _open_search(page: Page) -> str:
    _search_library(page, "Quiz")
    expect(page.locator("table.library-table").first).to_be_visible()
    return "Éducation à la citoyenneté et à la solidarité internationale"


def _open_folder(page: Page) -> str:
    # A folder that holds both a sub-folder and a document.
    page.locator("nav.folder-tree").get_by_role("link", name="Outils d’animation", exact=True).click()
    expect(_library_link(page, "Kit d’animation — commerce équitable")).to_be_visible()
    return "Outils d’animation"


def _open_document(page: Page) -> str:
    # Shared by membre-gt, so both membre-gt and the coordinator see the forms that change it.
    title = "Quiz — les objectifs de développement durable"
    _search_library(page, "Quiz")
    _library_link(page, title).first.click()
    expect(page.locator("#replace-file")).to_be_visible()
    return title


def _open_minutes(page: Page) -> str:
    page.locator("section[aria-labelledby=minutes-title]").get_by_role("link", name="Réunion de rentrée").click()
    return "Réunion de rentrée"


MEMBER_PAGES = {
    "group": _open_group,
    "search": _open_search,
    "folder": _open_folder,
    "document": _open_document,
    "minutes": _open_minutes,
}


@pytest.mark.parametrize("kind", MEMBER_PAGES)
@pytest.mark.parametrize("username", ["membre-gt", "animation-gt"])
def test_group_library_for_members_has_no_serious_accessibility_violation(page, site_url, axe, username, kind):
    _sign_in_to(page, site_url, username, GROUP)
    title = MEMBER_PAGES[kind](page)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert axe() == []


def test_members_page_for_the_coordinator_has_no_serious_accessibility_violation(page, site_url, axe):
    _sign_in_to(page, site_url, "animation-gt", GROUP)
    page.locator(".group-membership a[href*='/membres/']").click()
    page.wait_for_url(re.compile(r".*/casi/groupes/\d+/membres/$"))
    members = page.locator("section[aria-labelledby=members-title] tbody")
    for username in ("animation-gt", "membre-gt", "membre-gt-2"):
        expect(members).to_contain_text(f"({username})")
    assert axe() == []

    # An invitation fills the table of requests and invitations, and shows the confirmation message.
    invite = page.locator("form:has(#invite-identifier)")
    invite.locator("#invite-identifier").fill("asso-b")
    invite.locator("button[type=submit]").click()
    expect(page.locator("section[aria-labelledby=pending-title] tbody")).to_contain_text("(asso-b)")
    assert axe() == []


def _group_id(page: Page) -> str:
    action = page.locator("form[action$='/rejoindre/']").get_attribute("action")
    return re.fullmatch(r"/casi/groupes/(\d+)/rejoindre/", action).group(1)


@pytest.mark.parametrize("target", ["minutes", "members"])
def test_refusals_for_an_outsider_have_no_serious_accessibility_violation(page, site_url, axe, target):
    _sign_in_to(page, site_url, "asso-a", GROUP)
    # The minutes are refused by the page's view restriction; the members page by the group's own views.
    path = MINUTES if target == "minutes" else f"/casi/groupes/{_group_id(page)}/membres/"
    response = page.goto(f"{site_url}{path}")
    assert response.status == (404 if target == "minutes" else 403)  # a library's page: as if missing
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe() == []
