"""The agenda in a real browser: a visitor chooses the partner networks' events and reads one with its source."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PARTNER_EVENT = """
import datetime
from django.utils import timezone
from casi_workspace.exchange.models import PartnerItem, PartnerSource
source, _ = PartnerSource.objects.get_or_create(
    name="Centraider",
    defaults={"region": "Centre-Val de Loire", "url": "https://p.example/donnees/", "kind": "casi"},
)
PartnerItem.objects.update_or_create(
    source=source, external_id="village-tours", defaults={
        "kind": "event", "fingerprint": "village-tours", "title": "Village des solidarités de Tours",
        "url": "https://p.example/agenda/forum/", "place": "Tours",
        "start": timezone.now() + datetime.timedelta(days=4),
    },
)
"""


def test_a_visitor_lists_the_partner_networks_events_and_reads_their_source(page, site_url, site_shell, axe):
    site_shell(PARTNER_EVENT)
    page.goto(f"{site_url}/agenda/")
    expect(page.get_by_text("Village des solidarités de Tours")).to_have_count(0)
    expect(page.get_by_role("link", name="Agenda des réseaux")).to_be_visible()

    choice = page.get_by_label("Réseaux", exact=True)
    choice.focus()
    page.keyboard.press("ArrowDown")  # "Ce réseau" → "Réseaux partenaires"
    expect(choice).to_have_value("partenaires")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/agenda/?**reseaux=partenaires**")

    card = page.locator("[data-partner-item]").filter(has_text="Village des solidarités de Tours")
    expect(card).to_contain_text("Source : Centraider (Centre-Val de Loire)")
    expect(card).to_contain_text("Tours")
    link = card.get_by_role("link", name="Village des solidarités de Tours")
    expect(link).to_have_attribute("href", "https://p.example/agenda/forum/")
    expect(page.get_by_label("Réseaux", exact=True)).to_have_value("partenaires")
    assert axe() == []

    page.get_by_label("Réseaux", exact=True).select_option(label="Tous les réseaux")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/agenda/?**reseaux=tout**")
    expect(page.locator(".publication-list li.card").first).to_be_visible()
    assert axe() == []
