"""A registrant changes their workshops from the link of their emails, no account needed: a full session
cannot be taken, the places they leave go to the waiting list, and nothing changes once registrations close."""

from __future__ import annotations

import pytest
from django.test import Client

from casi_workspace.models import EventRegistration, EventRegistrationSettings, RegistrationStatus
from casi_workspace.registrations.services import Registrant, registration_add, registration_settings_save
from casi_workspace.registrations.tokens import cancel_token

from .conftest import committed, emails_to, register
from .test_workshops import Programme, _direct, _sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(event) -> Programme:
    return Programme(event)


def _link(registration: EventRegistration) -> str:
    return f"/casi/inscriptions/annuler/{cancel_token(registration)}/"


def _change(client: Client, registration: EventRegistration, programme: Programme, *sessions):
    data = {f"sessions-{name}": value for name, value in programme.choose(*sessions).items()}
    with committed():
        return client.post(_link(registration), {"action": "sessions", **data})


def test_the_emailed_link_changes_the_sessions_and_confirms_them_by_email(client: Client, event, programme):
    registration = register(client, event, **programme.choose(programme.advocacy, programme.youth))
    (confirmation,) = emails_to(registration.email)
    assert "Pour changer d’atelier, ou annuler votre inscription si vous ne pouvez plus venir :" in confirmation.body
    link = "/casi/inscriptions/annuler/" + confirmation.body.split("/casi/inscriptions/annuler/")[1].split()[0]
    html = client.get(link).content.decode()
    assert "Mon inscription" in html and "Changer d’atelier" in html
    (held,) = [tag for tag in html.split("<input") if f'value="{programme.advocacy.pk}"' in tag]
    assert "checked" in held.split(">")[0]

    response = _change(client, registration, programme, programme.funding, programme.youth)
    assert response.status_code == 302 and response["Location"].endswith("?ateliers=1")
    assert _sessions(registration) == {"Financements", "Jeunesse"}
    page = client.get(response["Location"]).content.decode()
    assert "Vos ateliers sont modifiés." in page
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    changed = emails_to(registration.email)[-1]
    assert changed.subject == "Ateliers modifiés : Ciné-débat Sahel"
    assert "Vos ateliers pour « Ciné-débat Sahel »" in changed.body and "Financements" in changed.body
    assert "Plaidoyer" not in changed.body
    # The same link still cancels.
    with committed():
        assert client.post(link).status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_a_full_session_cannot_be_taken_but_ones_own_stays_chosen(client: Client, event, programme):
    first = _direct(event, programme, programme.advocacy, programme.youth, name="Premiere")
    _direct(event, programme, programme.advocacy, programme.youth, name="Seconde")  # Plaidoyer: 2 of 2
    other = _direct(event, programme, programme.education, programme.youth, name="Autre")
    html = client.get(_link(other)).content.decode()
    (radio,) = [tag for tag in html.split("<input") if f'value="{programme.advocacy.pk}"' in tag]
    assert "disabled" in radio.split(">")[0]
    response = _change(client, other, programme, programme.advocacy, programme.youth)
    assert response.status_code == 400
    assert "L’atelier « Plaidoyer » est complet : choisissez-en un autre." in response.content.decode()
    assert _sessions(other) == {"Éducation à la citoyenneté", "Jeunesse"}
    # Someone in the full session keeps it, and changes only the afternoon.
    html = client.get(_link(first)).content.decode()
    (own,) = [tag for tag in html.split("<input") if f'value="{programme.advocacy.pk}"' in tag]
    assert "disabled" not in own.split(">")[0] and "checked" in own.split(">")[0]
    assert _change(client, first, programme, programme.advocacy, programme.climate).status_code == 302
    assert _sessions(first) == {"Plaidoyer", "Climat"}


def test_the_place_left_in_a_full_session_goes_to_the_person_waiting_for_it(client: Client, event, programme):
    """Someone waits for "Plaidoyer" (2 places), filled meanwhile by an organiser's guest: when a confirmed
    person moves to another workshop, the person waiting gets the place, without any organiser."""
    EventRegistrationSettings.objects.filter(pk=event.pk).update(capacity=3)
    leaving = _direct(event, programme, programme.advocacy, programme.youth, name="Part")
    for name in ("Deux", "Trois"):
        _direct(event, programme, programme.education, programme.youth, name=name)
    waiting = _direct(event, programme, programme.advocacy, programme.climate, name="Attend")
    assert waiting.status == RegistrationStatus.WAITING
    guest = Registrant(
        name="Invitée", email="invitee@example.org", sessions=(programme.advocacy.pk, programme.youth.pk)
    )
    registration_add(event=event, registrant=guest)  # Plaidoyer: 2 of 2
    options = EventRegistrationSettings.objects.get(pk=event.pk)
    options.capacity = 6
    with committed():
        registration_settings_save(options=options)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITING  # its workshop is full
    assert _change(client, leaving, programme, programme.funding, programme.youth).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert emails_to(waiting.email)[-1].subject.startswith("Une place s’est libérée")


def test_someone_waiting_changes_sessions_and_keeps_their_turn(client: Client, event, programme):
    EventRegistrationSettings.objects.filter(pk=event.pk).update(capacity=1)
    _direct(event, programme, programme.education, programme.youth, name="Dedans")
    first = _direct(event, programme, programme.funding, programme.youth, name="Premier")
    second = _direct(event, programme, programme.funding, programme.youth, name="Second")
    html = client.get(_link(first)).content.decode()
    assert "Quitter la liste d’attente" in html
    assert _change(client, first, programme, programme.education, programme.climate).status_code == 302
    first.refresh_from_db()
    assert first.status == RegistrationStatus.WAITING and _sessions(first) == {"Éducation à la citoyenneté", "Climat"}
    assert first.joined_at < second.joined_at
    assert emails_to(first.email)[-1].subject == "Ateliers modifiés : Ciné-débat Sahel"


def test_once_registrations_close_the_link_offers_no_change_and_refuses_one(client: Client, event, programme):
    registration = _direct(event, programme, programme.education, programme.youth)
    EventRegistrationSettings.objects.filter(pk=event.pk).update(is_open=False)
    html = client.get(_link(registration)).content.decode()
    assert "Changer d’atelier" not in html and "Annuler mon inscription" in html
    response = _change(client, registration, programme, programme.funding, programme.youth)
    assert response.status_code == 400
    assert "Les inscriptions sont closes : les ateliers ne peuvent plus être changés." in response.content.decode()
    assert _sessions(registration) == {"Éducation à la citoyenneté", "Jeunesse"}


@pytest.mark.parametrize(
    "value", ["", "abc", "-1", "99999999999999999999", "' OR 1=1 --", '<img src=x onerror="alert(1)">']
)
def test_a_bad_or_foreign_choice_is_refused_in_french_and_changes_nothing(client: Client, event, programme, value):
    registration = _direct(event, programme, programme.education, programme.youth)
    data = {f"sessions-creneau_{programme.morning.pk}": value, f"sessions-creneau_{programme.afternoon.pk}": ""}
    response = client.post(_link(registration), {"action": "sessions", **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vos ateliers n’ont pas pu être changés." in html and 'onerror="alert' not in html
    # A session of the other slot is no answer for this one.
    response = _change(client, registration, programme, programme.youth, programme.climate)
    assert response.status_code == 400
    assert _sessions(registration) == {"Éducation à la citoyenneté", "Jeunesse"}


def test_a_forged_or_used_link_changes_nothing(client: Client, event, programme):
    registration = _direct(event, programme, programme.education, programme.youth)
    forged = _link(registration)[:-3] + "xx/"
    data = {"action": "sessions", **{f"sessions-{k}": v for k, v in programme.choose(programme.funding).items()}}
    assert client.post(forged, data).status_code == 400
    with committed():
        client.post(_link(registration))  # cancelled
    response = _change(client, registration, programme, programme.funding, programme.youth)
    assert response.status_code == 400
    assert _sessions(registration) == {"Éducation à la citoyenneté", "Jeunesse"}
