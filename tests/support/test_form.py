"""The public form "Demander un accompagnement": valid and hostile inputs, files under the upload policy,
consent, the honeypot and the rate limit, the pre-filled form of a member editor, who is in charge."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from casi_workspace.demo.data import DEFAULT_PASSWORD, FINISTERE_COLLECTIVE, TRUSTED_ASSOCIATION, UNTRUSTED_ASSOCIATION
from casi_workspace.models import (
    OrganisationPage,
    Sector,
    SupportAttachment,
    SupportEvent,
    SupportRequest,
    SustainableDevelopmentGoal,
)
from tests.helpers import french
from tests.permissions.roles import add_editor

from .conftest import FORM_URL, ask, new_structure, pdf, request_of

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_the_form_is_in_french_and_every_control_has_a_label(client: Client):
    response = client.get(FORM_URL)
    html = _page(response)
    assert response.status_code == 200
    assert french("Ask for support") in html and french("Send my request") in html
    assert 'enctype="multipart/form-data"' in html
    assert french("My structure is not in the directory") in html
    # The countries: checkboxes in a scrolling list with a filter box (shown by the script), not a <select>.
    assert '<select name="countries"' not in html
    assert 'type="checkbox" name="countries" value="SN"' in html and ">Sénégal</label>" in html
    assert '<input type="search" id="id_countries_filter"' in html and "choice_filter.js" in html


def test_visitors_find_the_form_in_the_footer_and_members_in_their_space(client: Client, login):
    home = client.get("/").content.decode()
    assert f'href="{FORM_URL}" data-support-link' in home
    assert "Porteurs et porteuses de projet : demander un accompagnement" in home
    space = login("asso-a").get("/casi/mon-espace/").content.decode()
    assert f'href="{FORM_URL}" data-member-support' in space and "Accompagnement de vos projets" in space


def test_a_new_structure_asks_with_documents(client: Client):
    sector = Sector.objects.order_by("pk").first()
    goal = SustainableDevelopmentGoal.objects.get(number=6)
    data = new_structure(
        sectors=[sector.pk], sdgs=[goal.pk], documents=[pdf("budget.pdf"), pdf("note.pdf")], countries=["BF", "SN"]
    )
    response = ask(client, data)
    assert response["Location"] == f"{FORM_URL}?envoye=1"
    support_request = request_of(data)
    assert support_request.structure_name == data["structure_name"] and support_request.organisation is None
    assert [str(code) for code in support_request.countries] == ["BF", "SN"]
    assert list(support_request.sectors.all()) == [sector] and list(support_request.sdgs.all()) == [goal]
    assert support_request.status == "new" and support_request.consent_at is not None
    # The demo's Finistère collective handles its département's requests (casi_workspace/demo/support.py).
    assert support_request.responsible_collective.slug == FINISTERE_COLLECTIVE
    assert sorted(support_request.attachments.values_list("name", flat=True)) == ["budget.pdf", "note.pdf"]
    kinds = list(SupportEvent.objects.filter(request=support_request).values_list("kind", flat=True))
    assert kinds == ["created", "attachment", "attachment"]
    assert support_request.ip_hash and "10.1.0.1" not in support_request.ip_hash
    done = client.get(response["Location"])
    assert "data-support-sent" in done.content.decode()


def test_a_directory_organisation_gives_its_place_and_type(client: Client, collective_opted_in):
    organisation = OrganisationPage.objects.get(slug=UNTRUSTED_ASSOCIATION)
    data = new_structure(organisation=organisation.pk, structure_name="", structure_commune="", department="")
    ask(client, data)
    support_request = request_of(data)
    assert support_request.organisation == organisation
    assert support_request.department == organisation.department == "29"
    assert support_request.actor_type == organisation.actor_type
    assert support_request.responsible_collective == collective_opted_in


def test_a_request_outside_an_opted_in_collective_goes_to_the_network(client: Client, collective_opted_in):
    data = new_structure(department="35")
    ask(client, data)
    assert request_of(data).responsible_collective is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"consent": ""}, "consent", "Please agree to the processing of these data to send the request."),
        ({"structure_name": ""}, "structure_name", "Choose your structure in the directory, or fill in this field."),
        ({"contact_email": "pas-une-adresse"}, "contact_email", None),
        ({"need": "hack"}, "need", None),
        ({"organisation": "999999"}, "organisation", None),
        ({"project_title": "x" * 5000}, "project_title", None),
        ({"description": "a\x00b"}, "description", None),
        ({"countries": ["ZZ"]}, "countries", None),
    ],
)
def test_bad_input_is_a_french_400_and_nothing_is_stored(client: Client, fields, field, message):
    data = new_structure(**fields, documents=[pdf()])
    response = ask(client, data, expect=400)
    html = _page(response)
    assert french("The request could not be sent: please correct the fields below.") in html
    assert f'href="#id_{field}"' in html
    if message:
        assert french(message) in html
    assert not SupportRequest.objects.filter(contact_email=data["contact_email"]).exists()
    assert not mail.outbox
    # What the person typed is still there; the files must be chosen again, and the page says so.
    assert data["contact_email"] in html and "data-files-lost" in html


def test_hostile_strings_are_stored_as_text_and_shown_escaped(client: Client, login):
    script = '<script>alert("x")</script>'
    data = new_structure(project_title=f"Projet {script}", description=f"{script}\n' OR 1=1 --", contact_name="Ève ‮")
    ask(client, data)
    support_request = request_of(data)
    assert support_request.project_title == f"Projet {script}"
    login("coordination")
    html = client.get(f"/admin/casi_workspace/accompagnements/{support_request.pk}/").content.decode()
    assert script not in html and "&lt;script&gt;" in html


UPLOAD_POLICY = {
    "type": "“%(name)s”: files of this type are not accepted. Accepted types: %(types)s.",
    "size": "“%(name)s” is too large (%(size)s): the limit is %(limit)s.",
    "empty": "“%(name)s” is empty.",
}


@pytest.mark.parametrize(
    ("name", "content", "refusal"),
    [
        ("page.html", b"<script>alert(1)</script>", "type"),
        ("image.svg", b"<svg/>", "type"),
        ("sans-extension", b"data", "type"),
        ("gros.pdf", b"%PDF" + b"0" * 3000, "size"),
        ("vide.pdf", b"", "empty"),
    ],
)
def test_a_refused_file_is_a_french_400_and_nothing_is_stored(client: Client, settings, name, content, refusal):
    settings.CASI_WORKSPACE_SUPPORT_ATTACHMENT_MAX_SIZE = 1000
    data = new_structure(documents=[pdf("bon.pdf"), SimpleUploadedFile(name, content)])
    html = _page(ask(client, data, expect=400))
    # The upload policy's own sentence, up to its first value other than the file's name.
    sentence = french(UPLOAD_POLICY[refusal]).replace("%(name)s", name).split("%(")[0]
    assert sentence in html
    assert not SupportRequest.objects.filter(contact_email=data["contact_email"]).exists()
    assert not SupportAttachment.objects.filter(name="bon.pdf").exists()
    assert data["description"] in html


def test_too_many_files_are_refused(client: Client, settings):
    settings.CASI_WORKSPACE_SUPPORT_ATTACHMENT_MAX_FILES = 2
    data = new_structure(documents=[pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")])
    html = _page(ask(client, data, expect=400))
    assert "Envoyez au plus 2 fichiers à la fois." in html
    assert not SupportRequest.objects.filter(contact_email=data["contact_email"]).exists()


def test_the_honeypot_drops_the_request_silently(client: Client):
    data = new_structure(homepage="http://spam.example")
    ask(client, data)
    assert not SupportRequest.objects.filter(contact_email=data["contact_email"]).exists()
    assert not mail.outbox


def test_the_rate_limit_answers_429_in_french(client: Client, settings):
    settings.CASI_WORKSPACE_SUPPORT_RATE_LIMIT = 2
    for _ in range(2):
        ask(client, new_structure(), ip="10.9.9.9")
    data = new_structure()
    html = _page(ask(client, data, ip="10.9.9.9", expect=429))
    assert french("Too many requests have been sent from your connection. Please try again in an hour.") in html
    assert not SupportRequest.objects.filter(contact_email=data["contact_email"]).exists()
    ask(client, new_structure(), ip="10.9.9.10")


def test_a_member_editor_finds_the_form_filled_in(client: Client, django_user_model):
    organisation = OrganisationPage.objects.get(slug=TRUSTED_ASSOCIATION)
    user = django_user_model.objects.create_user(
        username="redactrice",
        email="redactrice@example.org",
        password=DEFAULT_PASSWORD,
        first_name="Rozenn",
        last_name="Le Gall",
    )
    add_editor(user, organisation)
    assert client.login(username="redactrice", password=DEFAULT_PASSWORD)
    html = _page(client.get(FORM_URL))
    assert f'<option value="{organisation.pk}" selected>' in html
    assert 'value="Rozenn Le Gall"' in html and 'value="redactrice@example.org"' in html
