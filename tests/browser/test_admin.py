"""Editors reach the Wagtail admin, in French, from a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in, submit_login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "coordination"])
def test_editor_logs_into_the_admin(page, site_url, username):
    page.goto(f"{site_url}/admin/")
    page.wait_for_url("**/admin/login/**")
    submit_login(page, username)
    page.wait_for_url(f"{site_url}/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title(re.compile(r"^Tableau de bord"))


def test_wrong_password_keeps_the_editor_out(page, site_url):
    page.goto(f"{site_url}/admin/login/")
    submit_login(page, "asso-a", "pas-le-bon")
    expect(page.get_by_text("ne correspondent à aucun utilisateur")).to_be_visible()
    assert "/admin/login/" in page.url


def _page_id(page, site_url: str, name: str) -> int:
    data = page.request.get(f"{site_url}/annuaire/carte/", params={"q": name}).json()
    return next(marker["id"] for marker in data["markers"] if marker["name"] == name)


def test_untrusted_editor_edits_its_page_and_is_refused_another(page, site_url):
    sign_in(page, site_url, "asso-b")
    page.get_by_role("link", name="Modifier notre page").click()
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    page.get_by_label("Sigle").fill("DZM")
    page.locator("footer .w-dropdown__toggle").first.click()  # the main button submits it for moderation
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".messages")).to_contain_text("a été mise à jour")

    # Another association's page is outside its tree: the admin answers as for a page that does not exist.
    other = _page_id(page, site_url, "Brest Sahel Solidarité")
    response = page.goto(f"{site_url}/admin/pages/{other}/edit/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(page.get_by_label("Sigle")).to_have_count(0)
