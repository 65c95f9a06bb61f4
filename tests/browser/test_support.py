"""Asking for support in a real browser: a project holder fills in the form with a document, then, through the
link of the acknowledgement, answers and adds another document. Every page, and the form's errors, free of
accessibility faults (axe-core).

The link's token is made by the served site itself (`site_shell`), as its email holds it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

FORM = "/casi/accompagnement/demander/"


def _type(page: Page, selector: str, text: str) -> None:
    page.click(selector)
    page.keyboard.type(text)


def test_ask_for_support_then_answer_through_the_link(page: Page, site_url, axe, site_shell, tmp_path):
    budget = tmp_path / "budget.pdf"
    budget.write_bytes(b"%PDF-1.4\n%%EOF\n")
    devis = tmp_path / "devis.pdf"
    devis.write_bytes(b"%PDF-1.4\n%%EOF\n")

    page.goto(site_url + FORM)
    expect(page.locator("h1")).to_have_text("Demander un accompagnement")
    assert axe() == []
    page.get_by_role("button", name="Envoyer ma demande").click()  # nothing typed: the errors, linked
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe() == []

    _type(page, "#id_structure_name", "Jumelage Lannilis – Kédougou")
    _type(page, "#id_structure_commune", "Lannilis")
    page.select_option("#id_department", "29")
    page.select_option("#id_actor_type", "association")
    _type(page, "#id_contact_name", "Maïwenn Le Bris")
    _type(page, "#id_contact_email", "maiwenn@example.org")
    _type(page, "#id_project_title", "Maraîchage à Kédougou")
    # The countries: a list of checkboxes, shortened by typing in its filter.
    page.get_by_label("Tapez pour filtrer la liste").click()
    page.keyboard.type("séné")
    expect(page.get_by_label("Burkina Faso")).to_be_hidden()
    page.get_by_label("Sénégal").check()
    page.get_by_label("Tapez pour filtrer la liste").press("Enter")  # filters, does not send the form
    expect(page.get_by_label("Tapez pour filtrer la liste")).to_have_value("séné")
    page.select_option("#id_stage", "building")
    page.select_option("#id_need", "funding")
    _type(page, "#id_description", "Nous cherchons des financements pour des puits maraîchers.")
    page.set_input_files("#id_documents", str(budget))
    page.get_by_label("J’accepte que le réseau conserve ces données").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.locator("[data-support-sent]")).to_be_visible()
    assert axe() == []

    token = site_shell(
        "from casi_workspace.models import SupportRequest as R\n"
        "from casi_workspace.support.tokens import follow_token\n"
        "print(follow_token(R.objects.get(contact_email='maiwenn@example.org')))"
    ).splitlines()[-1]
    page.context.clear_cookies()
    page.goto(f"{site_url}/casi/accompagnement/suivi/{token}/")
    expect(page.locator("h1")).to_contain_text("Maraîchage à Kédougou")
    expect(page.locator("[data-support-status]")).to_have_text("Nouvelle")
    expect(page.get_by_role("link", name="budget.pdf")).to_be_visible()
    assert axe() == []

    _type(page, "#id_text", "Voici aussi le devis du forage.")
    page.get_by_role("button", name="Envoyer mon message").click()
    expect(page.locator("[data-follow-sent]")).to_contain_text("Votre message a été ajouté")
    page.set_input_files("#id_documents", str(devis))
    page.get_by_role("button", name="Ajouter les documents").click()
    expect(page.locator("[data-follow-sent]")).to_contain_text("Vos documents ont été ajoutés")
    expect(page.locator(".support-timeline")).to_contain_text("Voici aussi le devis du forage.")
    expect(page.get_by_role("link", name="devis.pdf")).to_be_visible()
    assert axe() == []
    with page.expect_download() as download:
        page.get_by_role("link", name="devis.pdf").click()
    assert download.value.suggested_filename == "devis.pdf"


def test_a_coordinator_assigns_answers_and_closes_a_request(page: Page, site_url, axe, site_shell):
    pk = site_shell(
        "from casi_workspace.support.services import support_request_create\n"
        "print(support_request_create(data={'structure_name': 'Jumelage Morlaix – Ziguinchor',"
        " 'department': '35', 'actor_type': 'association', 'contact_name': 'Yann Morvan',"
        " 'contact_email': 'yann@example.org', 'project_title': 'Bibliothèque à Ziguinchor', 'stage': 'idea',"
        " 'need': 'partners', 'description': 'Nous cherchons des partenaires.', 'consent': True}).pk)"
    ).splitlines()[-1]
    sign_in(page, site_url, "coordination")
    page.goto(f"{site_url}/admin/casi_workspace/accompagnements/{pk}/")
    expect(page.get_by_role("heading", name="Bibliothèque à Ziguinchor", exact=True)).to_be_visible()
    assert axe() == []

    page.get_by_label("Coordinateur ou coordinatrice en charge").select_option(label="Claire Le Gall")
    page.get_by_role("button", name="Attribuer").click()
    expect(page.locator("[data-support-coordinator]")).to_have_text("Claire Le Gall")
    expect(page.locator("[data-support-status]")).to_have_text("Attribuée")

    _type(page, "#id_message-text", "Bonjour, pouvons-nous nous appeler jeudi ?")
    _type(page, "#id_message-minutes", "20")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Le message part vers yann@example.org.")).to_be_visible()
    expect(page.locator(".support-timeline")).to_contain_text("Bonjour, pouvons-nous nous appeler jeudi ?")

    # Closing without a reason is refused, with the reason's field pointed at.
    page.get_by_label("Statut").select_option("closed")
    page.get_by_role("button", name="Enregistrer le statut").click()
    expect(page.get_by_text("Indiquez pourquoi la demande est clôturée.")).to_be_visible()
    assert axe() == []
    page.get_by_label("Statut").select_option("closed")
    _type(page, "#id_closing_reason", "Partenaires trouvés")
    _type(page, "#id_minutes", "10")
    page.keyboard.press("Enter")
    expect(page.locator("[data-support-status]")).to_have_text("Clôturée")
    expect(page.locator("[data-support-time]")).to_have_text("0 h 30 min")
    expect(page.locator(".support-timeline")).to_contain_text("Motif : Partenaires trouvés")
    assert axe() == []


def _request_in_shell(site_shell, email: str, title: str, *, year: int | None = None, department: str = "35") -> str:
    """A request made by the served site's own services (dated in `year`, if given); its requester's token."""
    dated = (
        "from django.utils import timezone\n"
        "import datetime\n"
        f"when = timezone.make_aware(datetime.datetime({year}, 3, 12, 10))\n"
        "R.objects.filter(pk=r.pk).update(created_at=when)\n"
        "r.record.__class__.objects.filter(request=r).update(created_at=when)\n"
        if year
        else ""
    )
    return site_shell(
        "from casi_workspace.models import SupportRequest as R\n"
        "from casi_workspace.support.services import support_request_create\n"
        "from casi_workspace.support.tokens import follow_token\n"
        f"r = support_request_create(data={{'structure_name': 'Comité de jumelage', 'department': '{department}',"
        " 'actor_type': 'association', 'contact_name': 'Anna Riou',"
        f" 'contact_email': '{email}', 'project_title': '{title}', 'stage': 'idea',"
        " 'need': 'training', 'countries': ['TG'], 'description': 'Une formation.', 'consent': True})\n"
        f"{dated}"
        "print(follow_token(r))"
    ).splitlines()[-1]


def test_a_coordinator_reads_the_figures_of_a_past_year(page: Page, site_url, axe, site_shell):
    for number in range(2):
        _request_in_shell(site_shell, f"chiffres{number}@example.org", f"Formation {number}", year=2019)
    sign_in(page, site_url, "coordination")
    page.goto(f"{site_url}/admin/casi_workspace/accompagnements/")
    page.get_by_role("link", name="Chiffres des accompagnements").click()
    expect(page.get_by_role("heading", name="Chiffres des accompagnements", level=1)).to_be_visible()
    assert axe() == []
    page.locator("#id_annee").select_option("2019")
    page.locator("#id_trimestre").select_option(label="Trimestre 1")
    page.get_by_role("button", name="Afficher les chiffres").click()
    expect(page.get_by_role("heading", name="Trimestre 1 de 2019")).to_be_visible()
    expect(page.locator("[data-figures-total]")).to_have_text("2")
    need = page.get_by_role("table", name="Par besoin")
    expect(need.get_by_role("row", name="Formation")).to_contain_text("2")
    expect(page.get_by_role("table", name="Par pays").get_by_role("row", name="Togo")).to_contain_text("2")
    assert axe() == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename == "accompagnements-chiffres-2019-T1.xlsx"


def test_the_requester_erases_their_request(page: Page, site_url, axe, site_shell):
    token = _request_in_shell(site_shell, "efface@example.org", "Projet à effacer")
    page.goto(f"{site_url}/casi/accompagnement/suivi/{token}/")
    expect(page.locator("h1")).to_contain_text("Projet à effacer")
    page.get_by_role("link", name="Effacer ma demande").click()
    expect(page.locator("h1")).to_have_text("Effacer ma demande")
    assert axe() == []
    page.get_by_role("button", name="Oui, effacer définitivement ma demande").click()
    expect(page.locator("h1")).to_have_text("Demande effacée")
    expect(page.locator("[data-link-erased]")).to_contain_text("Cette demande a été effacée")
    assert axe() == []
    assert "Projet à effacer" not in page.content()


def test_a_coordinator_suggests_a_page_of_the_site_with_a_message(page: Page, site_url, axe, site_shell):
    pk, token = (
        site_shell(
            "from casi_workspace.support.services import support_request_create\n"
            "from casi_workspace.support.tokens import follow_token\n"
            "r = support_request_create(data={'structure_name': 'Comité de jumelage Quimper', 'department': '35',"
            " 'actor_type': 'association', 'contact_name': 'Anne Kerouredan', 'contact_email': 'anne@example.org',"
            " 'project_title': 'Puits à Tambacounda', 'stage': 'funding', 'need': 'funding',"
            " 'description': 'Nous cherchons des financements.', 'consent': True})\n"
            "print(r.pk, follow_token(r))"
        )
        .splitlines()[-1]
        .split()
    )
    sign_in(page, site_url, "coordination")
    page.goto(f"{site_url}/admin/casi_workspace/accompagnements/{pk}/")
    _type(page, "#id_message-text", "Voici un appel à projets qui vous correspond.")
    page.get_by_label("Pages du site à suggérer").click()
    page.keyboard.type("microprojets")
    choice = page.locator("[data-suggestion-results] button").first
    expect(choice).to_contain_text("Microprojets de solidarité internationale")
    expect(choice).to_contain_text("Appels à projets")
    choice.click()
    chosen = page.get_by_label("Microprojets de solidarité internationale : appel à propositions (Appels à projets)")
    expect(chosen).to_be_checked()
    expect(page.get_by_label("Pages du site à suggérer")).to_be_focused()
    assert axe() == []
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Le message part vers anne@example.org.")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{site_url}/casi/accompagnement/suivi/{token}/")
    link = page.get_by_role("link", name="Microprojets de solidarité internationale : appel à propositions")
    expect(link).to_be_visible()
    expect(page.locator(".support-suggestions li")).to_contain_text("Appels à projets")
    assert axe() == []
    link.click()
    expect(page.locator("h1")).to_have_text("Microprojets de solidarité internationale : appel à propositions")
