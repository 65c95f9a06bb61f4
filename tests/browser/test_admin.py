"""Editors reach the Wagtail admin, in French, from a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casi_workspace.demo.data import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username", ["asso-a", "asso-b", "coordination"])
def test_editor_logs_into_the_admin(page, site_url, username):
    page.goto(f"{site_url}/admin/")
    page.wait_for_url("**/admin/login/**")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(f"{site_url}/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title(re.compile(r"^Tableau de bord"))


def test_wrong_password_keeps_the_editor_out(page, site_url):
    page.goto(f"{site_url}/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("asso-a")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="S'identifier").click()
    expect(page.get_by_text("ne correspondent à aucun utilisateur")).to_be_visible()
    assert "/admin/login/" in page.url
