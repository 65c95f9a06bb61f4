"""The editor's main button, in a real browser: each person succeeds at the first try.

asso-b (untrusted) writes a news item with the keyboard and sends it with the button it sees, which names
the collective that will decide; collectif-29 opens it from the moderation queue, reads what is asked of
them and approves it with the button it sees; the item is then on the public news list. asso-a (trusted)
is offered to publish, and nothing about moderation.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import APIResponse, Page, Route, expect

from tests.browser.helpers import signed_in_page

pytestmark = pytest.mark.browser

TITLE = "Des filets neufs pour les pêcheurs de Mahajanga"
SUMMARY = "La coopérative a reçu vingt filets achetés grâce à la fête de l'association."
PARAGRAPH = "Merci aux bénévoles qui ont tenu la buvette tout le week-end."
SUBMIT = "Soumettre à la modération de Collectif Finistère Solidarité Internationale"
SUBMIT_ON_A_PHONE = "Soumettre à la modération de CFSI"
PHONE = {"width": 390, "height": 844}


def _lines(button) -> float:
    """How many lines of text the button's height holds (its padding counts for less than one)."""
    line_height = float(button.evaluate("element => parseFloat(getComputedStyle(element).lineHeight)"))
    return button.bounding_box()["height"] / line_height


def _main_button(page: Page):
    """The footer's main action: the button beside the arrow, not one behind it."""
    return page.locator("footer .w-dropdown-button > button.button").first


def _open_new_news(page: Page) -> None:
    """From the dashboard, as a person goes: "Add news, an event, an offer…", then "Actualité"."""
    page.get_by_role("link", name="Ajouter une actualité, un événement, une offre…").click()
    page.get_by_role("link", name="Actualité", exact=True).click()
    page.wait_for_url(re.compile(r".*/admin/pages/add/casi_workspace/newspage/\d+/$"))


def _type_news(page: Page, title: str = TITLE, slug: str = "des-filets-neufs-pour-les-pêcheurs-de-mahajanga") -> None:
    """Title, summary and a paragraph of the body, typed with the keyboard."""
    page.locator("#id_title").click()
    page.keyboard.type(title)
    page.locator("#id_summary").click()
    page.keyboard.type(SUMMARY)
    page.get_by_role("button", name="Insérer un bloc").click()
    page.get_by_role("option", name="Paragraphe").click()
    paragraph = page.locator("[data-contentpath='body'] .Draftail-Editor [contenteditable='true']").first
    expect(paragraph).to_be_visible()
    paragraph.click()
    expect(paragraph).to_be_focused()
    page.keyboard.type(PARAGRAPH)
    expect(paragraph).to_have_text(PARAGRAPH)
    # Draftail writes what was typed into the form a moment later, as a person reaches for the button.
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile(re.escape(PARAGRAPH[:20])))
    # The address is derived from the title as it was typed (on a tab the person never opens).
    expect(page.locator("#id_slug")).to_have_value(slug)


def _expect_saved(page: Page, title: str = TITLE) -> None:
    """The confirmation names the news item; a refusal fails with the errors the person would read."""
    messages = page.locator(".messages")
    expect(messages.locator("li").first).to_be_visible()
    errors = page.locator(".error-message, .w-field__errors").all_inner_texts()
    assert title in messages.inner_text(), f"refused: {errors} at {page.url}"


def test_untrusted_news_is_submitted_by_its_visible_button_and_approved_from_the_queue(browser, site_url):
    editor = signed_in_page(browser, site_url, "asso-b")
    _open_new_news(editor)
    _type_news(editor)

    button = _main_button(editor)
    expect(button).to_be_visible()
    expect(button).to_have_text(SUBMIT, use_inner_text=True)
    # The label stays on at most two lines, and the arrow to the other actions stays in the window.
    assert _lines(button) < 3
    toggle = editor.locator("footer .w-dropdown__toggle").first.bounding_box()
    assert toggle["x"] + toggle["width"] <= editor.viewport_size["width"]
    button.click()
    _expect_saved(editor)

    moderator = signed_in_page(browser, site_url, "collectif-29")
    moderator.goto(f"{site_url}{reverse('casi_moderation:index')}")
    moderator.get_by_role("link", name=TITLE).click()
    moderator.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    banner = moderator.locator("[data-casi-awaiting-decision]")
    expect(banner).to_contain_text(
        "Cette page attend votre décision : relisez-la puis approuvez-la ou demandez des modifications."
    )
    expect(banner).to_contain_text("Soumise par Bertrand Le Bihan.")
    expect(_main_button(moderator)).to_have_text("Approuver")
    _main_button(moderator).click()
    expect(moderator.locator(".messages")).to_be_visible()

    visitor = browser.new_context().new_page()
    visitor.goto(f"{site_url}/actualites/")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    for context in (editor.context, moderator.context, visitor.context):
        context.close()


def test_a_button_pressed_while_the_autosave_creates_the_page_submits_that_one_page(browser, site_url, site_shell):
    """Wagtail autosaves a new page a moment after the person types; on a slow connection that request is still
    on its way when the person presses the button. The press waits for it: one page, submitted, no error."""
    title = "Une école pour Ambanja"
    editor = signed_in_page(browser, site_url, "asso-b")
    # The autosave reaches the server, which creates the page; its answer is held back, as a slow network would.
    autosaves: list[tuple[Route, APIResponse]] = []

    def hold_autosave_answers(route: Route) -> None:
        if route.request.method == "POST" and "application/json" in route.request.headers.get("accept", ""):
            autosaves.append((route, route.fetch()))
        else:
            route.continue_()

    editor.route(re.compile(r".*/admin/pages/add/.*"), hold_autosave_answers)
    _open_new_news(editor)
    _type_news(editor, title, "une-école-pour-ambanja")
    for _ in range(100):
        if autosaves:
            break
        editor.wait_for_timeout(100)
    assert autosaves, "no autosave was sent"
    _main_button(editor).click()
    editor.wait_for_timeout(500)
    for route, answer in autosaves:
        route.fulfill(response=answer)
    editor.unroute_all(behavior="ignoreErrors")
    _expect_saved(editor, title)

    count = f"from casi_workspace.models import NewsPage; print(NewsPage.objects.filter(title={title!r}).count())"
    assert site_shell(count) == "1"
    editor.context.close()


def test_a_trusted_association_is_offered_to_publish_and_never_to_submit(browser, site_url):
    editor = signed_in_page(browser, site_url, "asso-a")
    _open_new_news(editor)
    expect(_main_button(editor)).to_have_text("Publier")
    editor.locator("footer .w-dropdown__toggle").first.click()
    expect(editor.get_by_role("button", name="Enregistrer le brouillon")).to_be_visible()
    expect(editor.locator("footer").get_by_role("button", name=re.compile("Soumettre|modération"))).to_have_count(0)
    editor.context.close()


def test_on_a_phone_the_submission_names_the_collective_by_its_acronym_on_two_lines(browser, site_url):
    editor = signed_in_page(browser, site_url, "asso-b")
    editor.set_viewport_size(PHONE)
    _open_new_news(editor)

    button = _main_button(editor)
    button.scroll_into_view_if_needed()
    expect(button).to_have_text(SUBMIT_ON_A_PHONE, use_inner_text=True)
    expect(editor.get_by_role("button", name=SUBMIT_ON_A_PHONE)).to_be_visible()
    assert _lines(button) < 3
    toggle = editor.locator("footer .w-dropdown__toggle").first.bounding_box()
    assert toggle["x"] + toggle["width"] <= PHONE["width"]
