"""Registrations in a real browser: two visitors register for the last place (the second waits), the first
cancels from the link of their email and the second is promoted; an organiser adds someone by hand and ticks
their arrival on the day.
Every page, and the form's errors, free of accessibility faults (axe-core).

The cancellation link's token is made by the served site itself (`site_shell`), as its email holds it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from casi_workspace.demo.data import TRUSTED_ASSOCIATION

from .helpers import sign_in

pytestmark = pytest.mark.browser

SEED = f"""
import datetime
from django.utils import timezone
from casi_workspace.models import EventPage, EventRegistrationSettings, OrganisationPage
organisation = OrganisationPage.objects.get(slug="{TRUSTED_ASSOCIATION}")
event = EventPage(title="Soirée Burkina", slug="soiree-burkina-inscriptions", commune="Brest",
                  start=timezone.now() + datetime.timedelta(days=10))
organisation.add_child(instance=event)
event.save_revision().publish()
EventRegistrationSettings.objects.create(event=event, is_open=True, capacity=1, question="Votre plat préféré ?")
print(event.url)
"""


def _status(site_shell, email: str) -> str:
    return site_shell(
        f"from casi_workspace.models import EventRegistration as R; print(R.objects.get(email='{email}').status)"
    )


def _type(page: Page, selector: str, text: str) -> None:
    page.click(selector)
    page.keyboard.type(text)


def _register(page: Page, axe, event_url: str, name: str, email: str) -> None:
    page.goto(event_url)
    page.get_by_role("link", name="S’inscrire à cet événement").click()
    expect(page.locator("h1")).to_contain_text("Soirée Burkina")
    _type(page, "#id_name", name)
    _type(page, "#id_email", email)
    _type(page, "#id_answer", "<b>Tiep</b> =1+1")
    page.get_by_role("button", name="S’inscrire", exact=True).click()


@pytest.fixture(scope="module")
def event_url(site_shell, site_url) -> str:
    return site_url + site_shell(SEED).splitlines()[-1]


def test_register_wait_then_be_promoted_when_a_place_frees_up(page: Page, site_url, axe, site_shell, event_url):
    page.goto(event_url)
    page.get_by_role("link", name="S’inscrire à cet événement").click()
    assert axe() == []
    page.get_by_role("button", name="S’inscrire", exact=True).click()  # nothing typed: the errors, linked
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe() == []

    _register(page, axe, event_url, "Awa Ouédraogo", "awa@example.org")
    expect(page.locator("[data-registration-sent=confirmed]")).to_be_visible()
    assert axe() == []
    page.context.clear_cookies()
    _register(page, axe, event_url, "Yann Le Goff", "yann@example.org")
    expect(page.locator("[data-registration-sent=waiting]")).to_be_visible()
    assert axe() == []
    assert _status(site_shell, "yann@example.org") == "waiting"

    token = site_shell(
        "from casi_workspace.models import EventRegistration as R; "
        "from casi_workspace.registrations.tokens import cancel_token; "
        "print(cancel_token(R.objects.get(email='awa@example.org')))"
    )
    page.goto(f"{site_url}/casi/inscriptions/annuler/{token}/")
    assert axe() == []
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.locator("[data-link-done]")).to_be_visible()
    assert axe() == []
    assert _status(site_shell, "awa@example.org") == "cancelled"
    assert _status(site_shell, "yann@example.org") == "confirmed"
    page.reload()  # the form posts again: the link was used
    expect(page.locator("[data-link-refused]")).to_be_visible()
    assert axe() == []


def test_the_organiser_adds_someone_and_ticks_arrivals(page: Page, site_url, axe, site_shell, event_url):
    sign_in(page, site_url, "asso-a")
    page.goto(event_url)
    page.get_by_role("link", name="Gérer les inscriptions").click()
    assert axe() == []
    _type(page, "#id_add-name", "Mariam Diallo")
    _type(page, "#id_add-email", "mariam@example.org")
    _type(page, "#id_add-answer", "<b>Tiep</b> =1+1")
    page.get_by_role("button", name="Ajouter l’inscription").click()
    expect(page.locator("[data-manage-saved]")).to_be_visible()
    expect(page.locator("[data-registrations]")).to_contain_text("Mariam Diallo")
    expect(page.locator("[data-registrations]")).to_contain_text("<b>Tiep</b> =1+1")  # shown as typed, as text
    assert axe() == []
    page.get_by_role("link", name="Pointage le jour J").click()
    page.wait_for_url(re.compile(r".*/pointage/$"))
    assert axe() == []
    page.get_by_role("button", name="Mariam Diallo").click()
    expect(page.get_by_role("button", name="Mariam Diallo")).to_have_attribute("aria-pressed", "true")
    assert axe() == []
