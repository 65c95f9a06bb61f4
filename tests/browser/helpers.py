"""Steps the browser tests share: signing in to the Wagtail admin as a demo account."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from casi_workspace.demo.data import DEFAULT_PASSWORD


def submit_login(page: Page, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Fill in and send the admin's login form, already open in `page`."""
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="S'identifier").click()


def sign_in(page: Page, site_url: str, username: str) -> None:
    """Sign `username` in with the demo password and wait for the admin's dashboard."""
    page.goto(f"{site_url}/admin/login/")
    submit_login(page, username)
    page.wait_for_url(f"{site_url}/admin/")


def signed_in_page(browser: Browser, site_url: str, username: str) -> Page:
    """A page in a fresh French browser context, `username` signed in: each account has its own cookies."""
    page = browser.new_context(locale="fr-FR").new_page()
    sign_in(page, site_url, username)
    return page
