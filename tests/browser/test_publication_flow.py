"""The whole publishing flow in a real browser: an untrusted association is moderated, a trusted one is not.

asso-b writes a news item and submits it; both coordinators see it in their queue; coordination asks for
changes; asso-b edits and resubmits; collectif-29 approves; only then does the item reach the news index,
the association's feed, the search page and the API. asso-a publishes at once.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest
from django.urls import reverse
from django.utils.text import slugify
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import signed_in_page

pytestmark = pytest.mark.browser

TITLE = "Retour de mission à Toamasina"
TRUSTED_TITLE = "Festival des solidarités à Brest"


def _organisation_id(page, site_url: str, slug: str) -> int:
    data = page.request.get(f"{site_url}/api/v2/pages/", params={"slug": slug}).json()
    return data["items"][0]["id"]


def _public_surfaces(page, site_url: str, title: str, organisation_slug: str) -> dict[str, bool]:
    """Whether `title` shows on each public surface, read as an anonymous visitor would."""
    anonymous = page.context.browser.new_context()
    try:
        quoted = urllib.parse.quote(title)
        api = anonymous.request.get(f"{site_url}/api/v2/pages/?search={quoted}").json()
        search_page = anonymous.request.get(f"{site_url}/recherche/?q={quoted}").text()
        slug = slugify(title, allow_unicode=True)  # as the admin derives it (WAGTAIL_ALLOW_UNICODE_SLUGS)
        quote = urllib.parse.quote
        return {
            "index": title in anonymous.request.get(f"{site_url}/actualites/").text(),
            "feed": title in anonymous.request.get(f"{site_url}/annuaire/{organisation_slug}/flux/rss/").text(),
            # The search page repeats the query: look for a link to the item instead.
            "search": any(
                f"/{organisation_slug}/{path}/" in search_page for path in (slug, quote(slug), quote(slug).lower())
            ),
            "api": any(item["title"] == title for item in api["items"]),
        }
    finally:
        anonymous.close()


def _fill_news(page, title: str) -> None:
    """Typed as a person types; the slug, on a tab the editor never opens, follows the title as it is typed."""
    page.locator("#id_title").click()
    page.keyboard.type(title)
    page.locator("#id_summary").click()
    page.keyboard.type("Deux semaines avec nos partenaires pour l'accès à l'eau potable.")


def _new_news(browser: Browser, site_url: str, username: str, organisation_slug: str, title: str) -> tuple[Page, int]:
    """`username` signed in, a new news item filled in under the organisation, the footer's action menu open."""
    editor = signed_in_page(browser, site_url, username)
    organisation = _organisation_id(editor, site_url, organisation_slug)
    editor.goto(f"{site_url}/admin/pages/add/casi_workspace/newspage/{organisation}/")
    _fill_news(editor, title)
    editor.locator("footer .w-dropdown__toggle").first.click()
    return editor, organisation


def test_untrusted_news_goes_through_moderation_then_reaches_every_public_surface(browser, site_url):
    editor, organisation = _new_news(browser, site_url, "asso-b", "douarnenez-madagascar", TITLE)
    editor.get_by_role("button", name=re.compile(r"^Soumettre à")).click()
    expect(editor.locator(".messages")).to_contain_text(TITLE)
    assert _public_surfaces(editor, site_url, TITLE, "douarnenez-madagascar") == dict.fromkeys(
        ("index", "feed", "search", "api"), False
    )

    queue = reverse("casi_moderation:index")
    coordination = signed_in_page(browser, site_url, "coordination")
    collective = signed_in_page(browser, site_url, "collectif-29")
    for moderator in (coordination, collective):
        moderator.goto(f"{site_url}{queue}")
        expect(moderator.get_by_role("link", name=TITLE)).to_be_visible()

    coordination.get_by_role("link", name=TITLE).click()
    coordination.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    coordination.locator("footer .w-dropdown__toggle").first.click()
    coordination.get_by_role("button", name="Demander des modifications").click()
    coordination.locator("textarea[name='comment']").fill("Merci d'ajouter le nom du partenaire malgache.")
    coordination.locator("dialog, [role='dialog']").get_by_role("button", name=re.compile("Demander")).click()
    expect(coordination.locator(".messages")).to_be_visible()

    editor.goto(f"{site_url}/admin/pages/{organisation}/")
    editor.get_by_role("link", name=TITLE).first.click()
    editor.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    editor.locator("#id_summary").fill("Deux semaines avec l'association Rano Soa pour l'accès à l'eau potable.")
    editor.locator("footer .w-dropdown__toggle").first.click()
    editor.get_by_role("button", name=re.compile(r"^Soumettre à nouveau à la modération de")).click()
    expect(editor.locator(".messages")).to_be_visible()
    assert not any(_public_surfaces(editor, site_url, TITLE, "douarnenez-madagascar").values())

    collective.goto(f"{site_url}{queue}")
    collective.get_by_role("link", name=TITLE).click()
    collective.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    collective.locator("footer .w-dropdown__toggle").first.click()
    collective.get_by_role("button", name="Approuver", exact=True).click()
    expect(collective.locator(".messages")).to_be_visible()

    assert _public_surfaces(editor, site_url, TITLE, "douarnenez-madagascar") == dict.fromkeys(
        ("index", "feed", "search", "api"), True
    )


def test_trusted_association_publishes_directly(browser, site_url):
    editor, _organisation = _new_news(browser, site_url, "asso-a", "brest-sahel-solidarite", TRUSTED_TITLE)
    editor.get_by_role("button", name="Publier").click()
    expect(editor.locator(".messages")).to_contain_text(TRUSTED_TITLE)
    assert all(_public_surfaces(editor, site_url, TRUSTED_TITLE, "brest-sahel-solidarite").values())
