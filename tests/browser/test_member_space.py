"""The header's account links and the member space in a real browser, as animation-gt meets them: sign in from
the header by typing, find one's name there, open "Mon espace", then sign out and stay on the page one was on.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from casi_workspace.demo.data import DEFAULT_PASSWORD
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

NAME = "Katell Le Meur"
GROUPS = [
    "Éducation à la citoyenneté et à la solidarité internationale",
    "Groupe pays Sahel",
    "Recherche de financements",
]


def _account(page: Page):
    return page.get_by_role("navigation", name="Votre compte")


def test_a_coordinator_signs_in_from_the_header_opens_their_space_and_signs_out(page, site_url, axe):
    page.goto(f"{site_url}/")
    account = _account(page)
    expect(account.get_by_role("link", name="Se connecter")).to_be_visible()
    expect(account).not_to_contain_text("Mon espace")

    # Sign in from the header, typing like a person; the login page leads back to the home page.
    account.get_by_role("link", name="Se connecter").click()
    address = urlsplit(page.url)
    assert address.path == "/admin/login/"
    assert parse_qs(address.query)["next"] == ["/"]
    page.get_by_label("Nom d’utilisateur").press_sequentially("animation-gt")
    page.get_by_label("Mot de passe").press_sequentially(DEFAULT_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(f"{site_url}/")
    account = _account(page)
    expect(account).to_contain_text(NAME)
    expect(account).not_to_contain_text("animation-gt")
    expect(account.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert axe() == []

    # Her space lists her three groups, with their latest documents and minutes.
    account.get_by_role("link", name="Mon espace").click()
    page.wait_for_url(f"{site_url}/casi/mon-espace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    groups = page.get_by_role("region", name="Mes groupes de travail")
    expect(groups.get_by_role("heading", level=3)).to_have_text(GROUPS)
    expect(groups.get_by_role("heading", name="Derniers documents partagés")).to_have_count(3)
    expect(groups.get_by_role("heading", name="Derniers comptes rendus")).to_have_count(3)
    expect(_account(page).get_by_role("link", name="Mon espace")).to_have_attribute("aria-current", "page")
    assert axe() == []

    # From there to one of her groups, then sign out: back on the group's page, signed out.
    groups.get_by_role("link", name=GROUPS[0], exact=True).click()
    page.wait_for_url(f"{site_url}/groupes/ecsi/")
    _account(page).get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{site_url}/groupes/ecsi/")
    account = _account(page)
    expect(account.get_by_role("link", name="Se connecter")).to_be_visible()
    expect(account).not_to_contain_text(NAME)
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUPS[0])

    # Signed out, her space sends her to sign in again.
    page.goto(f"{site_url}/casi/mon-espace/")
    address = urlsplit(page.url)
    assert address.path == "/admin/login/"
    assert parse_qs(address.query)["next"] == ["/casi/mon-espace/"]


def test_the_member_space_of_an_association_manager_has_no_accessibility_violation(page, site_url, axe):
    page.goto(f"{site_url}/admin/login/?next=/casi/mon-espace/")
    page.get_by_label("Nom d’utilisateur").fill("asso-b")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(f"{site_url}/casi/mon-espace/")
    associations = page.get_by_role("region", name="Mes associations")
    expect(associations.get_by_role("heading", level=3)).to_have_text(["Douarnenez – Madagascar"])
    expect(associations).to_contain_text("Une nouvelle pirogue pour la coopérative de pêcheurs de Mahajanga")
    expect(associations).to_contain_text("En modération")
    assert axe() == []


def test_the_account_deletion_form_asks_for_the_password_and_cancel_goes_back(page, site_url, axe):
    """The form a member meets before deleting their account: accessible, refusing a wrong password in French.
    (The demo's accounts are a contract: this test never deletes one; tests/members does, over HTTP.)"""
    sign_in(page, site_url, "membre-gt")
    page.goto(f"{site_url}/casi/mon-espace/")
    page.get_by_role("link", name="Supprimer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    assert axe() == []

    page.get_by_label("Votre mot de passe").press_sequentially("pas-le-bon")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_text("Ce n’est pas votre mot de passe.")).to_be_visible()
    expect(page.get_by_label("Votre mot de passe")).to_have_attribute("aria-invalid", "true")
    assert axe() == []

    page.get_by_role("link", name="Annuler").click()
    page.wait_for_url(f"{site_url}/casi/mon-espace/")
    expect(_account(page)).to_contain_text("Se déconnecter")
