"""The acknowledgement email and its signed link: the follow page, replies and documents in the timeline,
forged and expired links refused in French."""

from __future__ import annotations

import time

import pytest
from django.core import mail, signing
from django.test import Client

from casi_workspace.models import SupportEvent, SupportEventKind
from casi_workspace.support.tokens import FOLLOW_SALT, follow_token
from tests.helpers import french

from .conftest import ask, follow_path, new_structure, pdf, request_of

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def asked(client: Client):
    data = new_structure(documents=[pdf("budget.pdf")])
    ask(client, data)
    return data


def test_the_acknowledgement_is_french_and_carries_the_link(asked):
    [message] = mail.outbox
    assert message.to == [asked["contact_email"]]
    assert french("Kind regards,") in message.body
    assert asked["project_title"] in message.body
    assert "http://testserver/casi/accompagnement/suivi/" in message.body
    html = message.alternatives[0][0]
    assert follow_path(asked["contact_email"]) in html


def test_the_link_shows_the_request_without_the_internal_steps(client: Client, asked):
    support_request = request_of(asked)
    SupportEvent.objects.create(request=support_request, kind=SupportEventKind.NOTE, text="Note interne secrète")
    response = Client().get(follow_path(asked["contact_email"]))
    html = _page(response)
    assert response.status_code == 200
    assert asked["project_title"] in html and asked["description"] in html
    assert "Nouvelle" in html and "budget.pdf" in html
    assert "Note interne secrète" not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_the_requester_replies_and_adds_a_document(asked):
    client = Client()
    path = follow_path(asked["contact_email"])
    response = client.post(path, {"action": "reply", "text": "Voici le budget révisé."})
    assert response.status_code == 302 and response["Location"] == f"{path}?envoye=message"
    response = client.post(path, {"action": "document", "documents": [pdf("budget-2.pdf"), pdf("devis.pdf")]})
    assert response.status_code == 302 and response["Location"] == f"{path}?envoye=document"
    support_request = request_of(asked)
    events = SupportEvent.objects.filter(request=support_request).order_by("pk")
    assert [(event.kind, event.text) for event in events][-4:] == [
        ("attachment", "budget.pdf"),
        ("requester_message", "Voici le budget révisé."),
        ("attachment", "budget-2.pdf"),
        ("attachment", "devis.pdf"),
    ]
    html = _page(client.get(f"{path}?envoye=document"))
    assert "Voici le budget révisé." in html and "devis.pdf" in html
    assert french("Your documents have been added to your request.") in html
    attachment = support_request.attachments.get(name="devis.pdf")
    download = client.get(f"{path}documents/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_an_empty_reply_or_a_wrong_document_is_a_french_400(asked, settings):
    settings.CASI_WORKSPACE_SUPPORT_ATTACHMENT_MAX_SIZE = 100
    client = Client()
    path = follow_path(asked["contact_email"])
    before = SupportEvent.objects.count()
    response = client.post(path, {"action": "reply", "text": "   "})
    assert response.status_code == 400
    assert french("The message could not be sent: please correct the field below.") in _page(response)
    response = client.post(path, {"action": "document", "documents": [pdf("gros.pdf", size=500)]})
    assert response.status_code == 400
    assert french("The documents could not be added: please correct the field below.") in _page(response)
    response = client.post(path, {"action": "document"})
    assert response.status_code == 400
    assert SupportEvent.objects.count() == before


@pytest.mark.parametrize(
    "token", ["nimportequoi", "WzEsImFiYyJd:1uXyZa:forged-signature", "a" * 500, "%E2%80%AE", ".eJyLVjI0"]
)
def test_a_forged_link_is_a_french_400(asked, token):
    client = Client()
    message = french("This link is not valid. Copy the whole address from the email you received.")
    for response in (
        client.get(f"/casi/accompagnement/suivi/{token}/"),
        client.post(f"/casi/accompagnement/suivi/{token}/", {"action": "reply", "text": "Intrus"}),
        client.get(f"/casi/accompagnement/suivi/{token}/documents/1/"),
    ):
        assert response.status_code == 400
        assert message in _page(response)
    assert not SupportEvent.objects.filter(text="Intrus").exists()


def test_a_link_with_another_key_or_salt_is_refused(asked):
    support_request = request_of(asked)
    client = Client()
    wrong_key = signing.dumps([support_request.pk, "0" * 32], salt=FOLLOW_SALT, compress=True)
    wrong_salt = signing.dumps([support_request.pk, support_request.key], salt="casi_workspace.registrations.cancel")
    for token in (wrong_key, wrong_salt):
        assert client.get(f"/casi/accompagnement/suivi/{token}/").status_code == 400


def test_an_expired_link_is_a_french_400(asked, settings, monkeypatch):
    support_request = request_of(asked)
    token = follow_token(support_request)
    settings.CASI_WORKSPACE_SUPPORT_LINK_MAX_AGE = 60
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    response = Client().get(f"/casi/accompagnement/suivi/{token}/")
    assert response.status_code == 400
    assert french("This link has expired. Write to the network's coordinators, who will send you a new one.") in _page(
        response
    )


def test_the_requester_reopens_a_closed_request_from_the_link(asked):
    support_request = request_of(asked)
    client, path = Client(), follow_path(asked["contact_email"])
    response = client.post(path, {"action": "reopen"})
    assert response.status_code == 400
    assert "Cette demande n’est pas close." in _page(response)
    assert "Rouvrir ma demande" not in _page(client.get(path))
    support_request.status, support_request.closing_reason = "closed", "Terminé"
    support_request.save()
    assert "Rouvrir ma demande" in _page(client.get(path))
    response = client.post(path, {"action": "reopen"})
    assert response.status_code == 302 and response["Location"] == f"{path}?envoye=reopened"
    support_request.refresh_from_db()
    assert support_request.status == "in_progress" and support_request.closing_reason == ""
    assert support_request.events.filter(kind=SupportEventKind.REOPENED).count() == 1
    html = _page(client.get(response["Location"]))
    assert "Votre demande est de nouveau ouverte" in html and "Rouverte par le demandeur" in html
