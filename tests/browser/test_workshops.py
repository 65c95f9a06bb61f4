"""Workshops in a real browser: a visitor registers choosing one workshop in each time slot (a full one
cannot be chosen), and the organiser sees their choices in the list, the programme's counts and the check-in
list of one workshop. Every page free of accessibility faults (axe-core)."""

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
from casi_workspace.models import (
    EventPage, EventRegistration, EventRegistrationSettings, EventSession, EventSlot, OrganisationPage,
    RegistrationChoice,
)
organisation = OrganisationPage.objects.get(slug="{TRUSTED_ASSOCIATION}")
start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=12)
event = EventPage(title="Rencontre des membres", slug="rencontre-des-membres-ateliers", commune="Brest", start=start)
organisation.add_child(instance=event)
event.save_revision().publish()
EventRegistrationSettings.objects.create(event=event, is_open=True, capacity=30)
morning = EventSlot.objects.create(event=event, title="Ateliers du matin", start=start,
                                   end=start + datetime.timedelta(hours=2))
afternoon = EventSlot.objects.create(event=event, title="Ateliers de l’après-midi",
                                     start=start + datetime.timedelta(hours=4), end=start + datetime.timedelta(hours=6))
full = EventSession.objects.create(slot=morning, title="Plaidoyer", room="Salle Iroise", capacity=1)
EventSession.objects.create(slot=morning, title="Éducation", room="Salle Armor", capacity=10)
EventSession.objects.create(slot=afternoon, title="Jeunesse", capacity=10)
climate = EventSession.objects.create(slot=afternoon, title="Climat", capacity=10)
taken = EventRegistration.objects.create(event=event, name="Déjà inscrite", email="deja@example.org",
                                         status="confirmed")
RegistrationChoice.objects.create(registration=taken, slot=morning, session=full)
RegistrationChoice.objects.create(registration=taken, slot=afternoon, session=climate)
print(event.url)
"""


def _type(page: Page, selector: str, text: str) -> None:
    page.click(selector)
    page.keyboard.type(text)


@pytest.fixture(scope="module")
def event_url(site_shell, site_url) -> str:
    return site_url + site_shell(SEED).splitlines()[-1]


def test_a_visitor_chooses_one_workshop_per_slot_and_the_organiser_sees_it(
    page: Page, site_url, axe, site_shell, event_url
):
    page.goto(event_url)
    expect(page.locator("[data-programme]")).to_contain_text("Plaidoyer")
    expect(page.locator("[data-programme]")).to_contain_text("complet")
    assert axe() == []
    page.get_by_role("link", name="S’inscrire à cet événement").click()
    expect(page.get_by_role("group", name=re.compile("Ateliers du matin"))).to_be_visible()
    expect(page.get_by_label("Plaidoyer — Salle Iroise — complet")).to_be_disabled()
    assert axe() == []
    _type(page, "#id_name", "Nolwenn Le Du")
    _type(page, "#id_email", "nolwenn@example.org")
    page.get_by_label(re.compile("^Éducation — Salle Armor")).click()
    page.get_by_role("button", name="S’inscrire", exact=True).click()  # no afternoon workshop: refused
    expect(page.locator("#error-summary")).to_contain_text("Choisissez un atelier dans ce créneau.")
    expect(page.locator("#id_name")).to_have_value("Nolwenn Le Du")  # what was typed is kept
    assert axe() == []
    page.get_by_label(re.compile("^Climat")).click()
    page.get_by_role("button", name="S’inscrire", exact=True).click()
    expect(page.locator("[data-registration-sent=confirmed]")).to_be_visible()
    assert axe() == []
    page.context.clear_cookies()

    sign_in(page, site_url, "asso-a")
    page.goto(event_url)
    page.get_by_role("link", name="Gérer les inscriptions").click()
    row = page.locator("[data-registrations] tr", has_text="Nolwenn Le Du")
    expect(row).to_contain_text("Ateliers du matin : Éducation")
    expect(row).to_contain_text("Ateliers de l’après-midi : Climat")
    expect(page.locator("[data-manage-programme]")).to_contain_text("Éducation")
    assert axe() == []
    page.get_by_role("link", name="Modifier les créneaux et les ateliers").click()
    page.wait_for_url(re.compile(r".*/programme/$"))
    assert axe() == []
    page.goto(event_url)
    page.get_by_role("link", name="Gérer les inscriptions").click()
    page.get_by_role("link", name="Pointage le jour J").click()
    page.wait_for_url(re.compile(r".*/pointage/$"))
    page.get_by_label("Afficher les personnes d’un atelier").focus()
    page.keyboard.press("ArrowDown")  # Plaidoyer
    page.keyboard.press("ArrowDown")  # Éducation
    expect(page.get_by_label("Afficher les personnes d’un atelier")).to_have_value(re.compile(r"\d+"))
    page.get_by_role("button", name="Afficher", exact=True).click()
    expect(page.locator("[data-chosen-session]")).to_have_text("Éducation")
    expect(page.get_by_role("button", name="Nolwenn Le Du")).to_be_visible()
    expect(page.get_by_role("button", name="Déjà inscrite")).to_have_count(0)
    assert axe() == []


def test_a_registrant_changes_workshop_from_the_link_of_their_email(page: Page, site_url, axe, site_shell, event_url):
    """Someone already registered ("Déjà inscrite": the full "Plaidoyer", then "Climat") moves to another
    afternoon workshop from their link, without an account; their own full workshop stays theirs."""
    token = site_shell(
        "from casi_workspace.models import EventRegistration as R; "
        "from casi_workspace.registrations.tokens import cancel_token; "
        "print(cancel_token(R.objects.get(email='deja@example.org')))"
    )
    page.goto(f"{site_url}/casi/inscriptions/annuler/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    expect(page.get_by_label("Plaidoyer — Salle Iroise — complet")).to_be_checked()
    expect(page.get_by_label("Plaidoyer — Salle Iroise — complet")).to_be_enabled()
    expect(page.get_by_label(re.compile("^Climat"))).to_be_checked()
    assert axe() == []
    page.get_by_label(re.compile("^Jeunesse")).click()
    page.get_by_role("button", name="Enregistrer mes ateliers").click()
    expect(page.locator("[data-sessions-changed]")).to_contain_text("Vos ateliers sont modifiés.")
    expect(page.get_by_label(re.compile("^Jeunesse"))).to_be_checked()
    expect(page.get_by_label("Plaidoyer — Salle Iroise — complet")).to_be_checked()
    assert axe() == []
    chosen = site_shell(
        "from casi_workspace.models import RegistrationChoice as C; "
        "chosen = C.objects.filter(registration__email='deja@example.org'); "
        "print(sorted(chosen.values_list('session__title', flat=True)))"
    )
    assert chosen.splitlines()[-1] == "['Jeunesse', 'Plaidoyer']"
