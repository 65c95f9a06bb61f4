"""The emails' signed links: cancel without an account; a forged or reused link is a French 400."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from casi_workspace.models import RegistrationStatus
from casi_workspace.registrations.tokens import cancel_token
from tests.helpers import french

from .conftest import committed, emails_to, register

pytestmark = pytest.mark.django_db


def _cancel_url(message) -> str:
    return "/casi/inscriptions/annuler/" + message.body.split("/casi/inscriptions/annuler/")[1].split()[0]


def test_the_confirmation_link_cancels_once(client: Client, event):
    registration = register(client, event)
    url = _cancel_url(emails_to(registration.email)[0])
    response = client.get(url)  # what a mail scanner opening the link does: nothing changes
    assert response.status_code == 200 and french("Cancel my registration") in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    with committed():
        response = client.post(url)
    assert response.status_code == 200 and "data-link-done" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    for again in (client.get(url), client.post(url)):
        html = again.content.decode().replace("&#x27;", "'")
        assert again.status_code == 400
        assert french("This registration is already cancelled: the link cannot be used again.") in html


@pytest.mark.parametrize(
    "token",
    ["nimportequoi", "WzEsImFiYyJd:1uXyZa:forged-signature", "%00", "a" * 500],
)
def test_a_forged_link_is_refused_in_french(client: Client, event, token):
    registration = register(client, event)
    for response in (
        client.get(f"/casi/inscriptions/annuler/{token}/"),
        client.post(f"/casi/inscriptions/annuler/{token}/"),
        client.post(f"/casi/inscriptions/confirmer/{token}/"),
    ):
        assert response.status_code in (400, 404)
        if response.status_code == 400:
            html = response.content.decode().replace("&#x27;", "'")
            assert french("This link is not valid. Check that it was copied whole from the email.") in html
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_link_for_another_key_or_purpose_is_refused(client: Client, event):
    registration = register(client, event)
    token = cancel_token(registration)
    registration.key = "changed"
    registration.save(update_fields=["key"])
    assert client.post(f"/casi/inscriptions/annuler/{token}/").status_code == 400
    registration.refresh_from_db()
    # A cancellation token is no offer token, and a confirmed registration has no offer to take.
    assert client.post(f"/casi/inscriptions/confirmer/{cancel_token(registration)}/").status_code == 400
    assert registration.status == RegistrationStatus.CONFIRMED
    assert len(mail.outbox) == 1
