"""After the desk: a requester answers the satisfaction question from their link, with the keyboard and a click;
a network coordinator chooses which collective handles its département's requests. Every page free of
accessibility faults (axe-core)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def _animations_done(page: Page) -> None:
    page.evaluate("Promise.all(document.getAnimations().map((animation) => animation.finished))")


def test_a_requester_answers_the_satisfaction_question(page: Page, site_url, axe, site_shell):
    token = site_shell(
        "from django.contrib.auth import get_user_model\n"
        "from casi_workspace.support.services import support_request_create, support_status_change\n"
        "from casi_workspace.support.tokens import follow_token\n"
        "r = support_request_create(data={'structure_name': 'Jumelage Vitré – Tillabéri', 'department': '35',"
        " 'actor_type': 'association', 'contact_name': 'Nolwenn Riou', 'contact_email': 'nolwenn@example.org',"
        " 'project_title': 'Cantine à Tillabéri', 'stage': 'running', 'need': 'funding',"
        " 'description': 'Nous cherchons des financements.', 'consent': True})\n"
        "support_status_change(support_request=r, author=get_user_model().objects.get(username='coordination'),"
        " status='closed', priority=1, closing_reason='Financement trouvé')\n"
        "print(follow_token(r))"
    ).splitlines()[-1]
    page.goto(f"{site_url}/casi/accompagnement/suivi/{token}/")
    expect(page.locator("[data-support-status]")).to_have_text("Clôturée")
    question = page.get_by_role("group", name="Êtes-vous satisfait·e de l’accompagnement ?")
    expect(question).to_be_visible()
    assert axe() == []

    # Sent with no answer: the error, in French, tied to the question.
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.locator("#error-summary")).to_contain_text("Choisissez une réponse")
    assert axe() == []

    # With the keyboard: to the first choice, then down the scale with the arrows.
    page.get_by_label("Très satisfait·e").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Satisfait·e", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Merci pour les contacts des financeurs.")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.locator("[data-follow-sent]")).to_contain_text("Merci pour votre réponse")
    expect(page.locator("[data-satisfaction]")).to_have_count(0)
    expect(page.locator(".support-timeline")).to_contain_text("4/5 — Satisfait·e")
    expect(page.locator(".support-timeline")).to_contain_text("Merci pour les contacts des financeurs.")
    assert axe() == []


def test_a_coordinator_sets_which_collective_handles_its_requests(page: Page, site_url, axe, site_shell):
    sign_in(page, site_url, "coordination")
    page.goto(f"{site_url}/admin/casi_workspace/accompagnements/")
    page.get_by_role("link", name="Collectifs qui traitent les demandes de leur département").click()
    expect(page.get_by_text("les demandes déjà reçues restent à qui en a la charge")).to_be_visible()
    assert axe() == []
    box = page.locator("[data-collective='collectif-finistere']")
    was_checked = box.is_checked()  # the demo lets the Finistère collective handle its requests
    box.click()
    page.get_by_role("button", name="Enregistrer les choix").click()
    expect(page.get_by_text("Les choix sont enregistrés")).to_be_visible()
    if was_checked:
        expect(box).not_to_be_checked()
    else:
        expect(box).to_be_checked()
    _animations_done(page)  # the admin's message fades in: axe would read its colours half-way
    assert axe() == []
    handles = site_shell(
        "from casi_workspace.models import OrganisationWorkspace as W\n"
        "print(W.objects.get(organisation__slug='collectif-finistere').handles_support_requests)"
    ).splitlines()[-1]
    assert handles == str(not was_checked)
    # Back as it was, for the other tests of the run.
    box.click()
    page.get_by_role("button", name="Enregistrer les choix").click()
    if was_checked:
        expect(box).to_be_checked()
    else:
        expect(box).not_to_be_checked()
